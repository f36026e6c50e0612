// Datafile block layout of the simulated instance (8 KiB blocks).
//
//   file offset k*8192 holds block k; block 0 is the OS header block, block 1 the file
//   header, blocks 2..BLOCKS are data blocks (V$DATAFILE.BLOCKS = BLOCKS, file size =
//   (BLOCKS + 1) * 8192, like Oracle where the OS block is not counted).
//
//   Data block frame:
//     0  u8  type (0x06 data, 0x0b file header, 0x00 OS header)
//     1  u8  flags (bit 0: invalidated by NOLOGGING redo on a standby, ORA-26040)
//     4  u32 file#     8 u32 block#     12 u32 SCN high   16 u32 SCN low   (head SCN)
//     20 .. 8176 payload
//     8176 u32 SCN high  8180 u32 SCN low (tail SCN)  8184 u32 crc32(0..8184)  8188 u32 magic
//
// DBWR writes the first half (0..4096) and the second half (4096..8192) separately, so a
// concurrent reader can copy a fractured block: new head SCN, old tail SCN, bad checksum.
import { crc32 } from 'node:zlib';

export const BLOCK_SIZE = 8192;
export const HALF = BLOCK_SIZE / 2;
export const PAYLOAD_START = 20;
export const PAYLOAD_END = 8176;
export const TYPE_OS = 0x00;
export const TYPE_DATA = 0x06;
export const TYPE_HEADER = 0x0b;
export const FLAG_NOLOGGING = 0x01;
const TAIL_MAGIC = 0x51a7b10c;
const TWO32 = 0x1_0000_0000;

export function writeScn(buf: Buffer, off: number, scn: number): void {
  buf.writeUInt32LE(Math.floor(scn / TWO32), off);
  buf.writeUInt32LE(scn % TWO32 >>> 0, off + 4);
}
export function readScn(buf: Buffer, off: number): number {
  return buf.readUInt32LE(off) * TWO32 + buf.readUInt32LE(off + 4);
}

export function blockChecksum(buf: Buffer): number {
  return crc32(buf.subarray(0, 8184));
}

/** Recomputes tail SCN (= head SCN), checksum and magic after the block was changed. */
export function sealBlock(buf: Buffer): void {
  buf.copy(buf, 8176, 12, 20);
  buf.writeUInt32LE(blockChecksum(buf), 8184);
  buf.writeUInt32LE(TAIL_MAGIC, 8188);
}

export function formatDataBlock(buf: Buffer, file: number, block: number, scn: number): void {
  buf.fill(0, 0, BLOCK_SIZE);
  buf[0] = TYPE_DATA;
  buf.writeUInt32LE(file, 4);
  buf.writeUInt32LE(block, 8);
  writeScn(buf, 12, scn);
  sealBlock(buf);
}

export interface BlockInfo {
  type: number;
  flags: number;
  file: number;
  block: number;
  headScn: number;
  tailScn: number;
  checksumOk: boolean;
}

export function inspectBlock(buf: Buffer): BlockInfo {
  return {
    type: buf[0]!,
    flags: buf[1]!,
    file: buf.readUInt32LE(4),
    block: buf.readUInt32LE(8),
    headScn: readScn(buf, 12),
    tailScn: readScn(buf, 8176),
    checksumOk: buf.readUInt32LE(8184) === blockChecksum(buf) && buf.readUInt32LE(8188) === TAIL_MAGIC,
  };
}

/** Why a block is not intact, or undefined when it is (checksum good, head and tail SCN agree, right address). */
export function blockDefect(buf: Buffer, file: number, block: number): string | undefined {
  const b = inspectBlock(buf);
  if (b.file !== file || b.block !== block) return `block carries address file ${b.file} block ${b.block}`;
  if (b.headScn !== b.tailScn) return `fractured block (head SCN ${b.headScn}, tail SCN ${b.tailScn})`;
  if (!b.checksumOk) return 'bad checksum';
  return undefined;
}

// ---- file header (block 1) ----------------------------------------------------------
const HDR_MAGIC = 'SIMDFH01';
export interface FileHeader {
  file: number;
  ts: number;
  blocks: number;
  dbid: number;
  resetlogsId: number;
  creationScn: number;
  checkpointScn: number;
  checkpointTime: number; // ms since epoch
  fuzzy: boolean; // "backup fuzzy": file was in backup mode when this header was written
  tablespace: string;
  /** "online fuzzy": the file was open read-write when this header was written (blocks may be in flight) */
  onlineFuzzy?: boolean;
  /** while backup fuzzy: the SCN the backup window began at (its END BACKUP marker carries the same SCN) */
  backupScn?: number;
  /** log sequence holding the checkpoint SCN (Oracle's checkpoint RBA): where recovery of this file starts */
  checkpointSeq?: number;
}

// fixed offsets of the later header fields (after the variable-length tablespace name area)
const H_ONLINE_FUZZY = 2048;
const H_BACKUP_SCN = 2052;
const H_CKPT_SEQ = 2060;

export function encodeHeader(h: FileHeader): Buffer {
  const buf = Buffer.alloc(BLOCK_SIZE);
  buf[0] = TYPE_HEADER;
  buf.writeUInt32LE(h.file, 4);
  buf.writeUInt32LE(1, 8);
  writeScn(buf, 12, h.checkpointScn);
  let o = PAYLOAD_START;
  o += buf.write(HDR_MAGIC, o, 'latin1');
  buf.writeUInt32LE(h.file, o); o += 4;
  buf.writeUInt32LE(h.ts, o); o += 4;
  buf.writeUInt32LE(h.blocks, o); o += 4;
  buf.writeUInt32LE(h.dbid >>> 0, o); o += 4;
  buf.writeUInt32LE(h.resetlogsId >>> 0, o); o += 4;
  writeScn(buf, o, h.creationScn); o += 8;
  writeScn(buf, o, h.checkpointScn); o += 8;
  buf.writeDoubleLE(h.checkpointTime, o); o += 8;
  buf[o++] = h.fuzzy ? 1 : 0;
  const name = Buffer.from(h.tablespace, 'utf8');
  buf.writeUInt16LE(name.length, o); o += 2;
  name.copy(buf, o);
  buf[H_ONLINE_FUZZY] = h.onlineFuzzy ? 1 : 0;
  writeScn(buf, H_BACKUP_SCN, h.backupScn ?? 0);
  buf.writeUInt32LE(h.checkpointSeq ?? 0, H_CKPT_SEQ);
  sealBlock(buf);
  return buf;
}

export function decodeHeader(buf: Buffer): FileHeader | undefined {
  if (buf.length < BLOCK_SIZE || buf[0] !== TYPE_HEADER) return undefined;
  let o = PAYLOAD_START;
  if (buf.toString('latin1', o, o + 8) !== HDR_MAGIC) return undefined;
  if (!inspectBlock(buf).checksumOk) return undefined;
  o += 8;
  const file = buf.readUInt32LE(o); o += 4;
  const ts = buf.readUInt32LE(o); o += 4;
  const blocks = buf.readUInt32LE(o); o += 4;
  const dbid = buf.readUInt32LE(o); o += 4;
  const resetlogsId = buf.readUInt32LE(o); o += 4;
  const creationScn = readScn(buf, o); o += 8;
  const checkpointScn = readScn(buf, o); o += 8;
  const checkpointTime = buf.readDoubleLE(o); o += 8;
  const fuzzy = buf[o++] === 1;
  const len = buf.readUInt16LE(o); o += 2;
  const tablespace = buf.toString('utf8', o, o + len);
  return {
    file, ts, blocks, dbid, resetlogsId, creationScn, checkpointScn, checkpointTime, fuzzy, tablespace,
    onlineFuzzy: buf[H_ONLINE_FUZZY] === 1, backupScn: readScn(buf, H_BACKUP_SCN), checkpointSeq: buf.readUInt32LE(H_CKPT_SEQ),
  };
}

export function osHeaderBlock(blocks: number): Buffer {
  const buf = Buffer.alloc(BLOCK_SIZE);
  buf[0] = TYPE_OS;
  buf.write('SIM OS BLOCK', 32, 'latin1');
  buf.writeUInt32LE(BLOCK_SIZE, 48);
  buf.writeUInt32LE(blocks, 52);
  return buf;
}
