// Datafile files on disk: creation (formatted, empty blocks), block and header I/O.
import fs from 'node:fs';
import path from 'node:path';
import { BLOCK_SIZE, decodeHeader, encodeHeader, type FileHeader, formatDataBlock, osHeaderBlock, sealBlock, writeScn } from './block.ts';

const CHUNK_BLOCKS = 256;

/** Writes a new datafile: OS block, header, and BLOCKS-1 formatted empty data blocks at creationScn. */
export function createDatafile(name: string, h: FileHeader): void {
  fs.mkdirSync(path.dirname(name), { recursive: true });
  const fd = fs.openSync(name, 'w');
  try {
    fs.writeSync(fd, osHeaderBlock(h.blocks), 0, BLOCK_SIZE, 0);
    fs.writeSync(fd, encodeHeader(h), 0, BLOCK_SIZE, BLOCK_SIZE);
    const n = Math.min(CHUNK_BLOCKS, h.blocks);
    const chunk = Buffer.alloc(n * BLOCK_SIZE);
    for (let i = 0; i < n; i++) formatDataBlock(chunk.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE), h.file, 0, h.creationScn);
    for (let first = 2; first <= h.blocks; first += n) {
      const count = Math.min(n, h.blocks - first + 1);
      for (let i = 0; i < count; i++) {
        const b = chunk.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE);
        b.writeUInt32LE(first + i, 8);
        sealBlock(b);
      }
      fs.writeSync(fd, chunk, 0, count * BLOCK_SIZE, first * BLOCK_SIZE);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The image a data block has right after creation of its file (used by verify). */
export function emptyBlock(file: number, block: number, creationScn: number): Buffer {
  const b = Buffer.alloc(BLOCK_SIZE);
  formatDataBlock(b, file, block, creationScn);
  return b;
}

export function readBlock(fd: number, block: number, into = Buffer.alloc(BLOCK_SIZE)): Buffer {
  const n = fs.readSync(fd, into, 0, BLOCK_SIZE, block * BLOCK_SIZE);
  if (n < BLOCK_SIZE) into.fill(0, n);
  return into;
}

export function readHeaderAt(name: string): FileHeader | undefined {
  const fd = fs.openSync(name, 'r');
  try {
    return decodeHeader(readBlock(fd, 1));
  } finally {
    fs.closeSync(fd);
  }
}

export function writeHeader(fd: number, h: FileHeader): void {
  fs.writeSync(fd, encodeHeader(h), 0, BLOCK_SIZE, BLOCK_SIZE);
}

/** Applies a change (offset + bytes) to a block image and stamps it with scn. */
export function applyChange(buf: Buffer, scn: number, offset: number, data: Buffer): void {
  data.copy(buf, offset);
  writeScn(buf, 12, scn);
  sealBlock(buf);
}
