// Whether the datafiles about to be sent compress at all: SAMPLES pieces of SAMPLE_BYTES taken
// at evenly spaced points over all their bytes (largest files weigh most, every region of a
// file has its chance: used and empty blocks alike), each deflated at level 1 by node's zlib.
// zstd -1 compresses datafile blocks at least as well as deflate -1, so the ratio is a fair
// (slightly pessimistic) estimate of what rsync's compression would save; reading 2 MiB costs
// a few milliseconds here and 64 random reads on the disks.
import fs from 'node:fs';
import { deflateRawSync, constants } from 'node:zlib';

export const SAMPLES = 64;
export const SAMPLE_BYTES = 32 * 1024;

export interface CompressSample {
  /** Bytes read. */
  sampledBytes: number;
  /** Their size after deflate level 1 (each piece compressed on its own). */
  compressedBytes: number;
  /** Files the pieces came from. */
  files: number;
}

/** Samples `files` (sizes as planned); undefined when nothing could be read. */
export function sampleCompressibility(files: { source: string; bytes: number }[], samples = SAMPLES, sampleBytes = SAMPLE_BYTES): CompressSample | undefined {
  const list = files.filter((f) => f.bytes > 0);
  const total = list.reduce((a, f) => a + f.bytes, 0);
  if (total === 0) return undefined;
  // Offsets into the concatenation of all files, at the middle of `samples` equal strata.
  const wanted = new Map<number, number[]>();
  for (let i = 0; i < samples; i++) {
    let at = Math.floor(((i + 0.5) * total) / samples);
    let k = 0;
    while (at >= list[k]!.bytes) at -= list[k++]!.bytes;
    const offsets = wanted.get(k) ?? [];
    offsets.push(at);
    wanted.set(k, offsets);
  }
  const buf = Buffer.alloc(sampleBytes);
  let sampledBytes = 0;
  let compressedBytes = 0;
  let readFiles = 0;
  for (const [k, offsets] of wanted) {
    const f = list[k]!;
    let fd: number;
    try {
      fd = fs.openSync(f.source, 'r');
    } catch {
      continue; // rsync will report it
    }
    try {
      let read = false;
      for (const at of offsets) {
        const start = Math.max(0, Math.min(at, f.bytes - sampleBytes));
        const n = fs.readSync(fd, buf, 0, sampleBytes, start);
        if (n <= 0) continue;
        sampledBytes += n;
        compressedBytes += deflateRawSync(buf.subarray(0, n), { level: 1, strategy: constants.Z_DEFAULT_STRATEGY }).length;
        read = true;
      }
      if (read) readFiles++;
    } catch {
      /* unreadable now: rsync will report it */
    } finally {
      fs.closeSync(fd);
    }
  }
  return sampledBytes ? { sampledBytes, compressedBytes, files: readFiles } : undefined;
}
