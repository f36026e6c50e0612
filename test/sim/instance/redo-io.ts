// Online redo log files: initialisation at switch-in, appending, reading back.
import fs from 'node:fs';
import path from 'node:path';
import type { Control, LogGroup } from './control.ts';
import { decodeLogHeader, encodeLogHeader, readRedo, REDO_BLOCK, type LogHeader, type RedoRecord } from './redo-format.ts';

export function logHeaderOf(c: Control, g: LogGroup): LogHeader {
  return {
    dbid: c.dbid, dbName: c.dbName, thread: 1, sequence: g.sequence, resetlogsId: c.resetlogsId,
    firstChange: g.firstChange, nextChange: g.nextChange ?? 0, firstTime: g.firstTime, nextTime: g.nextTime ?? 0, blocks: 0,
  };
}

/** Truncates a group's member(s) and writes a fresh header (the log becomes empty). */
export function initOnlineLog(c: Control, g: LogGroup): void {
  for (const m of g.members) {
    fs.mkdirSync(path.dirname(m), { recursive: true });
    fs.writeFileSync(m, encodeLogHeader(logHeaderOf(c, g)));
  }
}

/** Reads an online log; returns its header and the byte length of valid redo (header included). */
export function readOnlineLog(file: string): { header: LogHeader | undefined; records: RedoRecord[]; end: number } {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return { header: undefined, records: [], end: 0 };
  }
  const header = decodeLogHeader(buf);
  if (!header) return { header, records: [], end: 0 };
  // the current log ends where LGWR stopped writing: a torn last record (crash) is its end
  const { records, end } = readRedo(buf);
  return { header, records, end };
}

/** Appends encoded records to the current online log (one write, synchronous: WAL before DBWR). */
export class LogWriter {
  private fd: number | undefined;
  used = REDO_BLOCK;
  bytesWritten = 0;
  constructor(private file: string, startAt = REDO_BLOCK) {
    this.used = startAt;
  }
  open(): void {
    this.fd = fs.openSync(this.file, 'r+');
  }
  write(chunks: Buffer[]): void {
    if (!chunks.length) return;
    if (this.fd === undefined) this.open();
    const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    fs.writeSync(this.fd!, buf, 0, buf.length, this.used);
    this.used += buf.length;
    this.bytesWritten += buf.length;
  }
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
