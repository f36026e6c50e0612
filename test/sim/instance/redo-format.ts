// Redo stream format: online and archived logs share it.
//
//   block 0 (512 bytes): log header (magic, dbid, thread, sequence, resetlogs id,
//   first/next change, blocks, redo bytes, record count). NEXT_CHANGE# 0 means the log is
//   not complete: the current online log, or an archived log ARCn is still writing (ARCn
//   writes the final header last). A complete archived log announces how many records and
//   bytes of redo follow, so a standby can tell a truncated or damaged copy from a whole one.
//   Then redo records, each: u32 length, u8 type, 3 pad, SCN(8), u32 file#, u32 block#,
//   type-specific body, u32 crc32 of everything before it. A zero length ends the stream.
import { crc32 } from 'node:zlib';
import { BLOCK_SIZE, readScn, writeScn } from './block.ts';

export const REDO_BLOCK = 512;
const LOG_MAGIC = 'SIMREDO1';

export enum RecType {
  Delta = 1, // normal change: offset + new bytes, and the block's prior SCN
  Full = 2, // full block image (first change of a block after BEGIN BACKUP)
  Invalidate = 3, // NOLOGGING: no data, the block range is invalid on recovery
  EndBackup = 4, // END BACKUP marker for a file, carrying the SCN its backup window began at
  BeginBackup = 5, // informational
  FileCreate = 6, // ADD DATAFILE
}

export type RedoRecord =
  | { type: RecType.Delta; scn: number; file: number; block: number; prior: number; offset: number; data: Buffer }
  | { type: RecType.Full; scn: number; file: number; block: number; image: Buffer }
  | { type: RecType.Invalidate; scn: number; file: number; block: number; count: number }
  | { type: RecType.EndBackup; scn: number; file: number; block: 0; beginScn: number }
  | { type: RecType.BeginBackup; scn: number; file: number; block: 0 }
  /** conId: the container the file belongs to (a CDB's redo carries it for every change; 0 in a non-CDB). */
  | { type: RecType.FileCreate; scn: number; file: number; block: 0; ts: number; blocks: number; name: string; tablespace: string; conId: number };

export function encodeRecord(r: RedoRecord): Buffer {
  let body: Buffer;
  switch (r.type) {
    case RecType.Delta:
      body = Buffer.alloc(12 + r.data.length);
      writeScn(body, 0, r.prior);
      body.writeUInt16LE(r.offset, 8);
      body.writeUInt16LE(r.data.length, 10);
      r.data.copy(body, 12);
      break;
    case RecType.Full:
      body = r.image;
      break;
    case RecType.Invalidate:
      body = Buffer.alloc(4);
      body.writeUInt32LE(r.count, 0);
      break;
    case RecType.EndBackup:
      body = Buffer.alloc(8);
      writeScn(body, 0, r.beginScn);
      break;
    case RecType.FileCreate: {
      const n = Buffer.from(r.name, 'utf8');
      const t = Buffer.from(r.tablespace, 'utf8');
      body = Buffer.alloc(16 + n.length + t.length);
      body.writeUInt32LE(r.ts, 0);
      body.writeUInt32LE(r.blocks, 4);
      body.writeUInt16LE(n.length, 8);
      n.copy(body, 10);
      body.writeUInt16LE(t.length, 10 + n.length);
      t.copy(body, 12 + n.length);
      body.writeUInt32LE(r.conId, 12 + n.length + t.length);
      break;
    }
    default:
      body = Buffer.alloc(0);
  }
  const len = 24 + body.length + 4;
  const buf = Buffer.alloc(len);
  buf.writeUInt32LE(len, 0);
  buf[4] = r.type;
  writeScn(buf, 8, r.scn);
  buf.writeUInt32LE(r.file, 16);
  buf.writeUInt32LE(r.block, 20);
  body.copy(buf, 24);
  buf.writeUInt32LE(crc32(buf.subarray(0, len - 4)), len - 4);
  return buf;
}

/** Why reading a redo stream stopped before its end. */
export type RedoDamage = 'short' | 'checksum' | 'type';

export interface RedoRead {
  records: RedoRecord[];
  /** offset just past the last whole record */
  end: number;
  /** set when the stream stops at a damaged record before `limit` (or before a zero length) */
  damage?: { offset: number; why: RedoDamage };
}

/**
 * Reads the records of a redo stream from `start` up to `limit` (default: the buffer's end).
 * A zero length or reaching `limit` exactly ends it cleanly; a record cut short, a bad
 * checksum or an unknown type is reported as damage, never skipped silently. Online logs
 * (crash recovery) treat damage as the torn end of the redo; archived logs fail on it.
 */
export function readRedo(buf: Buffer, start = REDO_BLOCK, limit = buf.length): RedoRead {
  const records: RedoRecord[] = [];
  const stop = Math.min(limit, buf.length);
  let o = start;
  const damaged = (why: RedoDamage): RedoRead => ({ records, end: o, damage: { offset: o, why } });
  while (o < limit) {
    if (o + 4 > stop) return damaged('short');
    const len = buf.readUInt32LE(o);
    if (len === 0 && limit === buf.length) break;
    if (len < 28 || o + len > stop) return damaged('short');
    const rec = buf.subarray(o, o + len);
    if (rec.readUInt32LE(len - 4) !== crc32(rec.subarray(0, len - 4))) return damaged('checksum');
    const r = decodeRecord(rec);
    if (!r) return damaged('type');
    records.push(r);
    o += len;
  }
  return { records, end: o };
}

function decodeRecord(rec: Buffer): RedoRecord | undefined {
  const len = rec.length;
  const type = rec[4] as RecType;
  const scn = readScn(rec, 8);
  const file = rec.readUInt32LE(16);
  const block = rec.readUInt32LE(20);
  const body = rec.subarray(24, len - 4);
  switch (type) {
    case RecType.Delta: {
      const dl = body.readUInt16LE(10);
      return { type, scn, file, block, prior: readScn(body, 0), offset: body.readUInt16LE(8), data: body.subarray(12, 12 + dl) };
    }
    case RecType.Full:
      return { type, scn, file, block, image: body.subarray(0, BLOCK_SIZE) };
    case RecType.Invalidate:
      return { type, scn, file, block, count: body.readUInt32LE(0) };
    case RecType.FileCreate: {
      const nl = body.readUInt16LE(8);
      const name = body.toString('utf8', 10, 10 + nl);
      const tl = body.readUInt16LE(10 + nl);
      const conId = body.length >= 16 + nl + tl ? body.readUInt32LE(12 + nl + tl) : 0;
      return { type, scn, file, block: 0, ts: body.readUInt32LE(0), blocks: body.readUInt32LE(4), name, tablespace: body.toString('utf8', 12 + nl, 12 + nl + tl), conId };
    }
    case RecType.EndBackup:
      return { type, scn, file, block: 0, beginScn: body.length >= 8 ? readScn(body, 0) : 0 };
    case RecType.BeginBackup:
      return { type, scn, file, block: 0 };
    default:
      return undefined;
  }
}

export interface LogHeader {
  dbid: number;
  dbName: string;
  thread: number;
  sequence: number;
  resetlogsId: number;
  firstChange: number;
  nextChange: number; // 0 while the log is current
  firstTime: number;
  nextTime: number;
  blocks: number; // redo blocks after the header (0 while current)
  /** bytes of redo records after the header block (archived logs; 0 while incomplete) */
  redoBytes?: number;
  /** number of redo records (archived logs; 0 while incomplete) */
  records?: number;
}

export function encodeLogHeader(h: LogHeader): Buffer {
  const buf = Buffer.alloc(REDO_BLOCK);
  buf.write(LOG_MAGIC, 0, 'latin1');
  buf.writeUInt32LE(h.dbid >>> 0, 8);
  buf.writeUInt32LE(h.thread, 12);
  buf.writeUInt32LE(h.sequence, 16);
  buf.writeUInt32LE(h.resetlogsId >>> 0, 20);
  writeScn(buf, 24, h.firstChange);
  writeScn(buf, 32, h.nextChange);
  buf.writeDoubleLE(h.firstTime, 40);
  buf.writeDoubleLE(h.nextTime, 48);
  buf.writeUInt32LE(h.blocks, 56);
  buf.write(h.dbName.slice(0, 8), 60, 'latin1');
  buf.writeUInt32LE(h.redoBytes ?? 0, 68);
  buf.writeUInt32LE(h.records ?? 0, 72);
  buf.writeUInt32LE(crc32(buf.subarray(0, 508)), 508);
  return buf;
}

export function decodeLogHeader(buf: Buffer): LogHeader | undefined {
  if (buf.length < REDO_BLOCK || buf.toString('latin1', 0, 8) !== LOG_MAGIC) return undefined;
  if (buf.readUInt32LE(508) !== crc32(buf.subarray(0, 508))) return undefined;
  return {
    dbid: buf.readUInt32LE(8),
    thread: buf.readUInt32LE(12),
    sequence: buf.readUInt32LE(16),
    resetlogsId: buf.readUInt32LE(20),
    firstChange: readScn(buf, 24),
    nextChange: readScn(buf, 32),
    firstTime: buf.readDoubleLE(40),
    nextTime: buf.readDoubleLE(48),
    blocks: buf.readUInt32LE(56),
    dbName: buf.toString('latin1', 60, 68).replace(/\0+$/, ''),
    redoBytes: buf.readUInt32LE(68),
    records: buf.readUInt32LE(72),
  };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern matching the names archiveName gives thread `thread`'s logs of one incarnation; group 1 is the sequence. */
export function archiveNamePattern(format: string, thread: number, resetlogsId: number, dbid: number): RegExp {
  let seen = false;
  const parts = format.split(/(%[tTsSrd])/).map((p) => {
    if (p === '%s' || p === '%S') return seen ? '\\d+' : ((seen = true), '(\\d+)');
    if (/^%[tTrd]$/.test(p)) return escapeRe(archiveName(p, thread, 0, resetlogsId, dbid));
    return escapeRe(p);
  });
  return new RegExp(`^${parts.join('')}$`);
}

/** LOG_ARCHIVE_FORMAT expansion: %t/%T thread, %s/%S sequence, %r resetlogs id, %d dbid (uppercase = zero-padded). */
export function archiveName(format: string, thread: number, seq: number, resetlogsId: number, dbid: number): string {
  return format.replace(/%([tTsSrd])/g, (_, c: string) => {
    switch (c) {
      case 't': return String(thread);
      case 'T': return String(thread).padStart(4, '0');
      case 's': return String(seq);
      case 'S': return String(seq).padStart(9, '0');
      case 'r': return String(resetlogsId);
      default: return dbid.toString(16);
    }
  });
}
