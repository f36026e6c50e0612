// Truth journal: every change made to a data block, NOLOGGING ones included, in SCN order.
// Never shipped; verify replays it to rebuild any block of production at any SCN.
//   record: u32 len, SCN(8), u32 file#, u32 block#, u16 offset, u16 n, n bytes
import fs from 'node:fs';
import path from 'node:path';
import { readScn, writeScn } from './block.ts';

export const JOURNAL_FILE = 'truth.journal';

export interface TruthChange {
  scn: number;
  file: number;
  block: number;
  offset: number;
  data: Buffer;
}

export function encodeTruth(t: TruthChange): Buffer {
  const len = 24 + t.data.length;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(len, 0);
  writeScn(b, 4, t.scn);
  b.writeUInt32LE(t.file, 12);
  b.writeUInt32LE(t.block, 16);
  b.writeUInt16LE(t.offset, 20);
  b.writeUInt16LE(t.data.length, 22);
  t.data.copy(b, 24);
  return b;
}

export function* readTruth(dir: string): Generator<TruthChange & { end: number }> {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(path.join(dir, JOURNAL_FILE));
  } catch {
    return;
  }
  let o = 0;
  while (o + 24 <= buf.length) {
    const len = buf.readUInt32LE(o);
    if (len < 24 || o + len > buf.length) return;
    const n = buf.readUInt16LE(o + 22);
    if (24 + n !== len) return;
    yield {
      scn: readScn(buf, o + 4), file: buf.readUInt32LE(o + 12), block: buf.readUInt32LE(o + 16),
      offset: buf.readUInt16LE(o + 20), data: buf.subarray(o + 24, o + 24 + n), end: o + len,
    };
    o += len;
  }
}

/** Drops journal records above lastScn (changes whose redo never reached disk before a crash). */
export function truncateTruth(dir: string, lastScn: number): void {
  let keep = 0;
  for (const t of readTruth(dir)) {
    if (t.scn > lastScn) break;
    keep = t.end;
  }
  fs.truncateSync(path.join(dir, JOURNAL_FILE), keep);
}

export class TruthWriter {
  private fd: number;
  constructor(dir: string) {
    this.fd = fs.openSync(path.join(dir, JOURNAL_FILE), 'a');
  }
  write(chunks: Buffer[]): void {
    if (chunks.length) fs.writeSync(this.fd, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}
