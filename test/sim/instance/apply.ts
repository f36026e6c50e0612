// Applying redo to datafile blocks: shared by media recovery (recover.ts) and instance
// (crash) recovery. Full images overwrite; a delta needs an intact block at exactly its
// prior SCN; an invalidation (NOLOGGING) marks the block unrecoverable.
import fs from 'node:fs';
import { BLOCK_SIZE, blockDefect, FLAG_NOLOGGING, readScn, sealBlock, writeScn } from './block.ts';
import { applyChange, readBlock } from './datafile.ts';
import { RecType, type RedoRecord } from './redo-format.ts';

export class RecoveryError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'RecoveryError';
  }
}

/** Blocks of files being recovered, read on demand and written back on flush. */
export class BlockStore {
  private fds = new Map<number, number>();
  private blocks = new Map<number, Map<number, Buffer>>();
  constructor(private nameOf: (file: number) => string) {}
  read(file: number, block: number): Buffer {
    let m = this.blocks.get(file);
    if (!m) this.blocks.set(file, (m = new Map()));
    let b = m.get(block);
    if (!b) m.set(block, (b = readBlock(this.fd(file), block)));
    return b;
  }
  set(file: number, block: number, buf: Buffer): void {
    this.read(file, block);
    this.blocks.get(file)!.set(block, buf);
  }
  fd(file: number): number {
    let fd = this.fds.get(file);
    if (fd === undefined) this.fds.set(file, (fd = fs.openSync(this.nameOf(file), 'r+')));
    return fd;
  }
  /** Writes every block read through this store back to its file. */
  flush(): void {
    for (const [file, m] of this.blocks) {
      const fd = this.fd(file);
      for (const [block, buf] of m) fs.writeSync(fd, buf, 0, BLOCK_SIZE, block * BLOCK_SIZE);
      fs.fsyncSync(fd);
    }
    this.blocks.clear();
  }
  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}

export interface ApplyContext {
  store: BlockStore;
  fileName(file: number): string;
  tablespace(file: number): string;
  /** instance recovery only: rebuild a torn block (crash during a DBWR write) */
  repair?(file: number, block: number, rec: RedoRecord): Buffer | undefined;
  invalidated?: Set<string>;
}

function corrupt(ctx: ApplyContext, file: number, block: number, why: string): RecoveryError {
  return new RecoveryError([
    'ORA-00283: recovery session canceled due to errors',
    `ORA-01578: ORACLE data block corrupted (file # ${file}, block # ${block})`,
    `ORA-01110: data file ${file}: '${ctx.fileName(file)}'`,
    `(sim: ${why})`,
  ]);
}

/** Applies one block-level record (Delta, Full, Invalidate); returns true when the block changed. */
export function applyBlockRecord(rec: RedoRecord, ctx: ApplyContext): boolean {
  if (rec.type === RecType.Full) {
    ctx.store.set(rec.file, rec.block, Buffer.from(rec.image));
    return true;
  }
  if (rec.type === RecType.Invalidate) {
    for (let b = rec.block; b < rec.block + rec.count; b++) {
      const buf = ctx.store.read(rec.file, b);
      if (!blockDefect(buf, rec.file, b) && readScn(buf, 12) >= rec.scn) continue;
      buf.writeUInt32LE(rec.file, 4);
      buf.writeUInt32LE(b, 8);
      buf[1] = buf[1]! | FLAG_NOLOGGING;
      writeScn(buf, 12, rec.scn);
      sealBlock(buf);
      ctx.invalidated?.add(`${rec.file}:${b}`);
    }
    return true;
  }
  if (rec.type !== RecType.Delta) return false;
  let buf = ctx.store.read(rec.file, rec.block);
  const defect = blockDefect(buf, rec.file, rec.block);
  if (defect) {
    const fixed = ctx.repair?.(rec.file, rec.block, rec);
    if (!fixed) throw corrupt(ctx, rec.file, rec.block, defect);
    ctx.store.set(rec.file, rec.block, fixed);
    buf = fixed;
  }
  const head = readScn(buf, 12);
  if (head >= rec.scn) return false; // change already in the block
  if (head !== rec.prior) {
    throw new RecoveryError([
      'ORA-00283: recovery session canceled due to errors',
      `ORA-00600: internal error code, arguments: [3020], [${rec.file}], [${rec.block}], [${rec.file * 4194304 + rec.block}], [], [], [], [], [], [], [], []`,
      `ORA-10567: Redo is inconsistent with data block (file# ${rec.file}, block# ${rec.block}, file offset is ${rec.block * BLOCK_SIZE} bytes)`,
      `ORA-10564: tablespace ${ctx.tablespace(rec.file)}`,
      `ORA-01110: data file ${rec.file}: '${ctx.fileName(rec.file)}'`,
      `(sim: block is at SCN ${head}, redo at SCN ${rec.scn} expects SCN ${rec.prior})`,
    ]);
  }
  applyChange(buf, rec.scn, rec.offset, rec.data);
  return true;
}
