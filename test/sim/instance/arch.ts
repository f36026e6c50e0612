// ARCn: copies each filled online log to every archive destination progressively (the
// file stays open while it is written, in chunks with small delays), then records one
// V$ARCHIVED_LOG row per destination. A full destination (fault) makes it retry.
// The file starts with an "incomplete" header (NEXT_CHANGE# 0, no blocks); the final header,
// announcing the blocks, bytes and records of redo, is written only after the body is on
// disk (fsync), so a copy of a half-written archive never looks like a complete log.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ArchiveDest, Control, LogGroup } from './control.ts';
import { archiveName, encodeLogHeader, readRedo, REDO_BLOCK } from './redo-format.ts';
import { logHeaderOf } from './redo-io.ts';

export interface ArchHost {
  c: Control;
  alert(line: string): void;
  save(): void;
  running(): boolean;
}

export class Archiver {
  private queue: LogGroup[] = [];
  private busy: Promise<void> | null = null;
  private waiters = new Map<number, (() => void)[]>();
  chunkBytes = 64 * 1024;
  chunkDelayMs = 3;

  constructor(private host: ArchHost) {}

  enqueue(g: LogGroup): void {
    if (!this.queue.includes(g)) this.queue.push(g);
    if (!this.busy) this.busy = this.run().finally(() => (this.busy = null));
  }

  /** Resolves once the given sequence is archived. */
  waitFor(sequence: number): Promise<void> {
    if (this.host.c.archivedLogs.some((a) => a.sequence === sequence && a.resetlogsId === this.host.c.resetlogsId)) return Promise.resolve();
    return new Promise((resolve) => {
      const l = this.waiters.get(sequence) ?? [];
      l.push(resolve);
      this.waiters.set(sequence, l);
    });
  }

  private async run(): Promise<void> {
    while (this.queue.length && this.host.running()) {
      const g = this.queue[0]!;
      const ok = await this.archive(g);
      if (!ok) {
        await sleep(250);
        continue;
      }
      this.queue.shift();
    }
  }

  /** Archives one group to every destination; true when at least one destination has it. */
  private async archive(g: LogGroup): Promise<boolean> {
    const c = this.host.c;
    const content = fs.readFileSync(g.members[0]!);
    const redo = readRedo(content);
    const redoBytes = redo.end - REDO_BLOCK;
    const blocks = Math.ceil(redoBytes / REDO_BLOCK);
    const body = Buffer.alloc(blocks * REDO_BLOCK);
    content.copy(body, 0, REDO_BLOCK, redo.end);
    const header = encodeLogHeader({ ...logHeaderOf(c, g), blocks, redoBytes, records: redo.records.length });
    const incomplete = encodeLogHeader({ ...logHeaderOf(c, g), nextChange: 0, nextTime: 0, blocks: 0 });
    const seq = g.sequence;
    const done = new Set(c.archivedLogs.filter((a) => a.sequence === seq && a.resetlogsId === c.resetlogsId).map((a) => a.destId));
    let any = done.size > 0;
    for (const d of c.dests) {
      if (done.has(d.id) || d.status === 'INACTIVE') continue;
      const base = d.omf ? omfArchiveName(seq) : archiveName(c.params.log_archive_format ?? '%t_%s_%r.dbf', 1, seq, c.resetlogsId, c.dbid);
      // an ASM destination names its files +DG/DB/ARCHIVELOG/...; no filesystem path reaches them
      const name = d.asmStore ? `${d.location}/${c.dbName}/ARCHIVELOG/${base}` : d.omf ? path.join(d.location, c.params.db_unique_name ?? c.dbName, 'archivelog', dayDir(), base) : path.join(d.location, base);
      if (d.full) {
        this.destError(d, `ORA-19502: write error on file "${name}", block number 1 (block size=512)`);
        continue;
      }
      await this.writeProgressively(d.asmStore ? path.join(d.asmStore, base) : name, incomplete, body, header);
      if (d.status === 'ERROR') {
        d.status = 'VALID';
        d.error = '';
        this.host.alert(`Archiver process freed from errors. No longer stopped`);
      }
      const now = Date.now();
      c.archivedLogs.push({
        recid: c.nextRecid++, stamp: Math.floor(now / 1000) % 1_000_000_000 + 1_100_000_000, name, destId: d.id,
        thread: 1, sequence: seq, resetlogsChange: c.resetlogsScn, resetlogsId: c.resetlogsId,
        firstChange: g.firstChange, firstTime: g.firstTime, nextChange: g.nextChange!, nextTime: g.nextTime!,
        blocks, blockSize: REDO_BLOCK, deleted: false, status: 'A', completionTime: now,
      });
      this.host.alert(`Archived Log entry ${c.nextRecid - 1} added for T-1.S-${seq} ID 0x${c.dbid.toString(16)} LAD:${d.id}`);
      any = true;
    }
    if (!any) return false;
    g.archived = true;
    this.host.save();
    for (const w of this.waiters.get(seq) ?? []) w();
    this.waiters.delete(seq);
    return true;
  }

  private destError(d: ArchiveDest, error: string): void {
    if (d.status !== 'ERROR') {
      d.status = 'ERROR';
      d.error = error;
      this.host.alert(`ARC1: Error 19502 Creating archive log file to '${d.location}'`);
      this.host.alert(error);
      this.host.alert('ORA-00257: Archiver error. Connect AS SYSDBA only until resolved.');
      this.host.save();
    }
  }

  private async writeProgressively(name: string, incomplete: Buffer, body: Buffer, header: Buffer): Promise<void> {
    fs.mkdirSync(path.dirname(name), { recursive: true });
    const fd = fs.openSync(name, 'w');
    try {
      fs.writeSync(fd, incomplete, 0, incomplete.length, 0);
      for (let o = 0; o < body.length; o += this.chunkBytes) {
        const n = Math.min(this.chunkBytes, body.length - o);
        fs.writeSync(fd, body, o, n, REDO_BLOCK + o);
        await sleep(this.chunkDelayMs);
      }
      fs.fsyncSync(fd);
      // the header that makes the log complete, only once its body is on disk
      fs.writeSync(fd, header, 0, header.length, 0);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  pending(): number {
    return this.queue.length;
  }
}

/** An OMF archived log's name (OMF: o1_mf_<thread>_<sequence>_<8 characters>_.arc); LOG_ARCHIVE_FORMAT does not apply. */
function omfArchiveName(seq: number): string {
  const id = Array.from({ length: 8 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join('');
  return `o1_mf_1_${seq}_${id}_.arc`;
}

/** The fast recovery area's day directory: YYYY_MM_DD. */
function dayDir(): string {
  const d = new Date();
  return `${d.getFullYear()}_${String(d.getMonth() + 1).padStart(2, '0')}_${String(d.getDate()).padStart(2, '0')}`;
}
