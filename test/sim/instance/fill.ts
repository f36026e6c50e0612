// `sim create --fill F [--fill-style rows|random]`: the first F of each datafile's data blocks
// (below a "high-water mark", as Oracle fills a segment) start with row data instead of being
// formatted-but-empty, so compressors and delta transfers meet realistic content.
//
//   rows    rows of six columns, like an orders table: a row header, a growing id, a DATE, a
//           status and a customer name from small dictionaries (compressible), an amount and
//           a 16..64-byte opaque column (random: hashes, encrypted values); 10..30 % of each
//           block is left free (PCTFREE). deflate -1 keeps about half of such a block.
//   random  the whole payload is random bytes (incompressible: compressed or encrypted data).
//
// The content of every filled block is a pure function of (seed, file#, block#), so verify and
// the truth rebuild compute a block's creation image instead of storing it anywhere. Which
// blocks were filled is recorded per file in the control data (`fill.lastBlock`): datafiles
// added later start empty, as they do in Oracle.
import { createCipheriv, createHash } from 'node:crypto';
import fs from 'node:fs';
import { BLOCK_SIZE, PAYLOAD_END, PAYLOAD_START, formatDataBlock, sealBlock } from './block.ts';

export type FillStyle = 'rows' | 'random';

export interface FillSpec {
  fraction: number;
  style: FillStyle;
  seed: number;
  /** file# → last data block holding rows at creation (blocks 2..lastBlock are filled). */
  lastBlock: Record<number, number>;
}

export class FillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FillError';
  }
}

export function parseFill(fraction: string | undefined, style: string | undefined): { fraction: number; style: FillStyle } | undefined {
  if (fraction === undefined) {
    if (style !== undefined) throw new FillError('--fill-style needs --fill');
    return undefined;
  }
  const f = Number(fraction);
  if (!/^\d+(\.\d+)?$/.test(fraction) || !(f >= 0 && f <= 1)) throw new FillError(`--fill must be a fraction from 0 to 1, got '${fraction}'`);
  if (style !== undefined && style !== 'rows' && style !== 'random') throw new FillError(`--fill-style must be rows or random, got '${style}'`);
  return { fraction: f, style: (style as FillStyle | undefined) ?? 'rows' };
}

/** Data blocks 2..blocks of a file: the filled ones are the first round(fraction × (blocks - 1)). */
export function lastFilledBlock(blocks: number, fraction: number): number {
  return 1 + Math.round(fraction * (blocks - 1));
}

const STATUS = ['OPEN', 'ACTIVE', 'PENDING', 'SHIPPED', 'CLOSED', 'CANCELLED', 'INVOICED', 'RETURNED'];
const NAMES = [
  'ANDERSEN', 'BAKER', 'CARVALHO', 'DUBOIS', 'ESPOSITO', 'FISCHER', 'GARCIA', 'HANSEN', 'IVANOV', 'JANSSEN', 'KOWALSKI',
  'LARSEN', 'MARTIN', 'NOVAK', 'OLSEN', 'PETERSEN', 'QUINN', 'ROSSI', 'SILVA', 'TANAKA', 'UNGER', 'VARGA', 'WEBER',
  'XAVIER', 'YILMAZ', 'ZIMMERMANN', 'NGUYEN', 'MUELLER', 'SCHMIDT', 'LOPEZ', 'COSTA', 'BERG',
];

function keystream(seed: number, file: number, block: number): Buffer {
  const key = createHash('sha256').update(`sim-fill\0${seed}\0${file}`).digest().subarray(0, 16);
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(block, 8);
  return createCipheriv('aes-128-ctr', key, iv).update(Buffer.alloc(BLOCK_SIZE));
}

/** Writes the rows (or random payload) of a filled block into a formatted block image; seals it. */
export function fillPayload(buf: Buffer, style: FillStyle, seed: number, file: number, block: number): void {
  const rnd = keystream(seed, file, block);
  if (style === 'random') {
    rnd.copy(buf, PAYLOAD_START, 0, PAYLOAD_END - PAYLOAD_START);
    sealBlock(buf);
    return;
  }
  let r = 0; // next random byte
  const byte = () => rnd[r++ % rnd.length]!;
  const limit = PAYLOAD_END - Math.floor((PAYLOAD_END - PAYLOAD_START) * (0.1 + 0.2 * (byte() / 255)));
  let o = PAYLOAD_START + 24; // block "row directory" header left at zero
  let row = 0;
  for (;;) {
    const status = STATUS[byte() % STATUS.length]!;
    const name = `${NAMES[byte() % NAMES.length]!} ${NAMES[byte() % NAMES.length]!}`;
    const opaque = 16 + (byte() % 49);
    const len = 3 + 5 + 8 + 1 + status.length + 1 + name.length + 6 + 1 + opaque;
    if (o + len > limit) break;
    buf[o++] = 0x2c; // row flags
    buf[o++] = 0x00; // lock byte
    buf[o++] = 6; // column count
    buf[o++] = 4; // id: NUMBER-like, grows through the table
    buf.writeUInt32BE((file * 1_000_000 + block * 128 + row) >>> 0, o);
    o += 4;
    buf[o++] = 7; // DATE: century, year, month, day, hour, minute, second (+1 each, as Oracle stores them)
    buf[o++] = 120;
    buf[o++] = 124 + (byte() & 1);
    buf[o++] = 1 + (byte() % 12);
    buf[o++] = 1 + (byte() % 28);
    buf[o++] = 1;
    buf[o++] = 1;
    buf[o++] = 1;
    buf[o++] = status.length;
    o += buf.write(status, o, 'latin1');
    buf[o++] = name.length;
    o += buf.write(name, o, 'latin1');
    buf[o++] = 5; // amount
    buf[o++] = 0xc2 + (byte() & 1);
    for (let i = 0; i < 4; i++) buf[o++] = byte();
    buf[o++] = opaque; // opaque column: random
    for (let i = 0; i < opaque; i++) buf[o++] = byte();
    row++;
  }
  sealBlock(buf);
}

/** The image a data block has right after its file was created: empty, or filled by `sim create --fill`. */
export function creationBlock(fill: FillSpec | undefined, file: number, block: number, creationScn: number): Buffer {
  const b = Buffer.alloc(BLOCK_SIZE);
  formatDataBlock(b, file, block, creationScn);
  if (fill && block >= 2 && block <= (fill.lastBlock[file] ?? 0)) fillPayload(b, fill.style, fill.seed, file, block);
  return b;
}

/** Rewrites the filled blocks of a just-created datafile; returns its last filled block. */
export function fillDatafile(name: string, spec: { fraction: number; style: FillStyle; seed: number }, d: { file: number; blocks: number; creationScn: number }): number {
  const last = lastFilledBlock(d.blocks, spec.fraction);
  const CHUNK = 256;
  const chunk = Buffer.alloc(CHUNK * BLOCK_SIZE);
  const fd = fs.openSync(name, 'r+');
  try {
    for (let first = 2; first <= last; first += CHUNK) {
      const n = Math.min(CHUNK, last - first + 1);
      for (let i = 0; i < n; i++) {
        const b = chunk.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE);
        formatDataBlock(b, d.file, first + i, d.creationScn);
        fillPayload(b, spec.style, spec.seed, d.file, first + i);
      }
      fs.writeSync(fd, chunk, 0, n * BLOCK_SIZE, first * BLOCK_SIZE);
    }
  } finally {
    fs.closeSync(fd);
  }
  return last;
}
