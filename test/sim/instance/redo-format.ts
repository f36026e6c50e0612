// Redo stream format: online and archived logs share it.
//
//   block 0 (512 bytes): log header (magic, dbid, thread, sequence, resetlogs id,
//   first/next change, blocks), so a standby identifies an archived log by content.
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
  EndBackup = 4, // END BACKUP marker for a file
  BeginBackup = 5, // informational
  FileCreate = 6, // ADD DATAFILE
}

export type RedoRecord =
  | { type: RecType.Delta; scn: number; file: number; block: number; prior: number; offset: number; data: Buffer }
  | { type: RecType.Full; scn: number; file: number; block: number; image: Buffer }
  | { type: RecType.Invalidate; scn: number; file: number; block: number; count: number }
  | { type: RecType.EndBackup | RecType.BeginBackup; scn: number; file: number; block: 0 }
  | { type: RecType.FileCreate; scn: number; file: number; block: 0; ts: number; blocks: number; name: string; tablespace: string };

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
    case RecType.FileCreate: {
      const n = Buffer.from(r.name, 'utf8');
      const t = Buffer.from(r.tablespace, 'utf8');
      body = Buffer.alloc(12 + n.length + t.length);
      body.writeUInt32LE(r.ts, 0);
      body.writeUInt32LE(r.blocks, 4);
      body.writeUInt16LE(n.length, 8);
      n.copy(body, 10);
      body.writeUInt16LE(t.length, 10 + n.length);
      t.copy(body, 12 + n.length);
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

/** Decodes records from a redo stream (after the header block); stops at a zero length or a torn record. */
export function* decodeRecords(buf: Buffer, start = REDO_BLOCK): Generator<RedoRecord> {
  let o = start;
  while (o + 28 <= buf.length) {
    const len = buf.readUInt32LE(o);
    if (len < 28 || o + len > buf.length) return;
    const rec = buf.subarray(o, o + len);
    if (rec.readUInt32LE(len - 4) !== crc32(rec.subarray(0, len - 4))) return;
    o += len;
    const type = rec[4] as RecType;
    const scn = readScn(rec, 8);
    const file = rec.readUInt32LE(16);
    const block = rec.readUInt32LE(20);
    const body = rec.subarray(24, len - 4);
    switch (type) {
      case RecType.Delta: {
        const dl = body.readUInt16LE(10);
        yield { type, scn, file, block, prior: readScn(body, 0), offset: body.readUInt16LE(8), data: body.subarray(12, 12 + dl) };
        break;
      }
      case RecType.Full:
        yield { type, scn, file, block, image: body.subarray(0, BLOCK_SIZE) };
        break;
      case RecType.Invalidate:
        yield { type, scn, file, block, count: body.readUInt32LE(0) };
        break;
      case RecType.FileCreate: {
        const nl = body.readUInt16LE(8);
        const name = body.toString('utf8', 10, 10 + nl);
        const tl = body.readUInt16LE(10 + nl);
        yield { type, scn, file, block: 0, ts: body.readUInt32LE(0), blocks: body.readUInt32LE(4), name, tablespace: body.toString('utf8', 12 + nl, 12 + nl + tl) };
        break;
      }
      case RecType.EndBackup:
      case RecType.BeginBackup:
        yield { type, scn, file, block: 0 };
        break;
      default:
        return;
    }
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
  };
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
