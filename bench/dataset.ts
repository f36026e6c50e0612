// Deterministic benchmark datasets.
//
// Content model (like formatted Oracle datafiles below their high-water mark): the first half
// of each file (rounded to 8 KiB blocks) is an AES-128-CTR keystream derived from the seed and
// the file's relative path (incompressible, deterministic), the second half is zeros (written
// out, not sparse). Same seed + options => byte-identical tree.
import { createCipheriv, createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const BLOCK = 8192;
const CHUNK = 1 << 20;

export interface DatasetFile {
  /** Path relative to the dataset dir. */
  path: string;
  bytes: number;
}

export interface Dataset {
  dir: string;
  files: DatasetFile[];
  totalBytes: number;
}

export interface SkewedOptions {
  /** Total size, rounded down to a multiple of 8 KiB (exact unless files hit the 8 KiB minimum). */
  totalBytes: number;
  /** Number of large files (they get ~85% of totalBytes when smallFiles > 0). */
  largeFiles: number;
  /** Number of small files (share the remaining ~15%). */
  smallFiles: number;
  seed: number | string;
  /** Number of /uNN-style mount points (u01..). Default 4. */
  mounts?: number;
  /** Give some files names with a space (e.g. "users 01.dbf"). Default false. */
  oddNames?: boolean;
}

/** splitmix32-style PRNG: deterministic from the seed. */
function prng(seed: number | string): () => number {
  let s = typeof seed === 'number' ? seed >>> 0 : createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 0x100000000;
  };
}

/** Writes one file: first half (block-rounded) pseudo-random from (seed, rel), rest zeros. */
export async function writeHalfRandom(root: string, rel: string, bytes: number, seed: number | string): Promise<void> {
  const full = join(root, rel);
  await mkdir(dirname(full), { recursive: true });
  const key = createHash('sha256').update(`${seed}\0${rel}`).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  const randomBytes = Math.min(bytes, Math.ceil(bytes / 2 / BLOCK) * BLOCK);
  const zeros = Buffer.alloc(CHUNK);
  const fh = await open(full, 'w');
  try {
    let done = 0;
    while (done < bytes) {
      const inRandom = done < randomBytes;
      const n = Math.min(CHUNK, (inRandom ? randomBytes : bytes) - done);
      const buf = inRandom ? cipher.update(zeros.subarray(0, n)) : zeros.subarray(0, n);
      await fh.write(buf, 0, n);
      done += n;
    }
  } finally {
    await fh.close();
  }
}

function split(total: number, n: number, rnd: () => number, min: number): number[] {
  if (n <= 0) return [];
  const w = Array.from({ length: n }, () => 0.6 + 0.8 * rnd());
  const sum = w.reduce((a, b) => a + b, 0);
  const sizes = w.map((x) => Math.max(min, Math.floor((total * x) / sum / BLOCK) * BLOCK));
  // put the rounding remainder on the first file, keeping block alignment
  const diff = Math.floor((total - sizes.reduce((a, b) => a + b, 0)) / BLOCK) * BLOCK;
  sizes[0] = Math.max(min, sizes[0] + diff);
  return sizes;
}

/**
 * A few large and many small files spread over dir/u01..uNN/oradata/DBPROD/.
 * Deterministic from opts.seed.
 */
export async function makeSkewedDataset(dir: string, opts: SkewedOptions): Promise<Dataset> {
  const rnd = prng(opts.seed);
  const mounts = Math.max(1, opts.mounts ?? 4);
  const largeShare = opts.smallFiles > 0 ? (opts.largeFiles > 0 ? 0.85 : 0) : 1;
  const total = Math.floor(opts.totalBytes / BLOCK) * BLOCK;
  const largeTotal = Math.floor((total * largeShare) / BLOCK) * BLOCK;
  const large = split(largeTotal, opts.largeFiles, rnd, BLOCK);
  const small = split(total - largeTotal, opts.smallFiles, rnd, BLOCK);
  const mp = (i: number) => `u${String((i % mounts) + 1).padStart(2, '0')}/oradata/DBPROD`;
  const files: DatasetFile[] = [];
  large.forEach((bytes, i) => {
    const name = opts.oddNames && i === 0 ? 'users 01.dbf' : `data${String(i + 1).padStart(2, '0')}.dbf`;
    files.push({ path: `${mp(i)}/${name}`, bytes });
  });
  small.forEach((bytes, i) => {
    const name = opts.oddNames && i === 0 ? 'small tbs 001.dbf' : `small${String(i + 1).padStart(3, '0')}.dbf`;
    files.push({ path: `${mp(i + 1)}/${name}`, bytes });
  });
  for (const f of files) await writeHalfRandom(dir, f.path, f.bytes, opts.seed);
  return { dir, files, totalBytes: files.reduce((a, f) => a + f.bytes, 0) };
}

export interface ManySmallOptions {
  /** Number of files. Default 750. */
  files?: number;
  /** Number of directories they are spread over (round-robin). Default 100. */
  dirs?: number;
  /** Size of EACH file in bytes. Default 64 KiB. */
  bytes?: number;
  seed?: number | string;
}

/** `files` files of `bytes` each, round-robin over `dirs` dirs: dir/dNNN/fNNNN.dat. */
export async function makeManySmall(dir: string, opts: ManySmallOptions = {}): Promise<Dataset> {
  const n = opts.files ?? 750;
  const dirs = Math.max(1, opts.dirs ?? 100);
  const bytes = opts.bytes ?? 64 * 1024;
  const seed = opts.seed ?? 1;
  const files: DatasetFile[] = [];
  for (let i = 0; i < n; i++) {
    const rel = `d${String(i % dirs).padStart(3, '0')}/f${String(i).padStart(4, '0')}.dat`;
    await writeHalfRandom(dir, rel, bytes, seed);
    files.push({ path: rel, bytes });
  }
  return { dir, files, totalBytes: n * bytes };
}
