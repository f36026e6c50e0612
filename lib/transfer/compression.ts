// Which compression rsync uses, from transfer.compression, what both ends support
// (capabilities.ts) and how fast the link is (link.ts). Pure: the caller logs `reason`.
//
// `auto` (the default), from bench figures (docs/CONFIGURATION.md, "Compression"):
//  - zstd level 1 whenever both ends have it and the destination is remote: it costs about
//    0.3 s of one core per GB on incompressible data and saves 2-4x on datafiles (formatted
//    empty blocks, row data), so it wins on every link up to loopback speed;
//  - lz4 when zstd is missing but lz4 is not (same reasoning, a bit less saving);
//  - zlib (the only choice with rsync 3.1.x at either end) only on links up to
//    ZLIB_MAX_BYTES_PER_SEC: zlib -1 compresses 50-120 MB/s per core, so above that the CPU
//    becomes the bottleneck;
//  - none for a local destination (no network between the ends);
//  - for datafiles, none when a sample of the files of the round shows they do not compress
//    (compressionForData, sample.ts): on incompressible data zstd only costs CPU.
import type { LinkCapabilities } from './capabilities.ts';
import type { CompressSample } from './sample.ts';

export type CompressionSetting = 'auto' | 'zstd' | 'lz4' | 'zlib' | 'none';

export interface LinkSpeed {
  /** Payload bytes per second the ssh connection carries; undefined when unknown. */
  bytesPerSec?: number;
  /** How it is known: 'configured' (transfer.link_rate), 'measured', 'local' (no network). */
  source: 'configured' | 'measured' | 'local' | 'unknown';
}

export interface CompressionChoice {
  /** What rsync will use: zstd, lz4, zlibx, zlib or none. */
  algorithm: string;
  level?: number;
  /** rsync flags that select it (empty for none). */
  args: string[];
  /** Why, for the log. */
  reason: string;
}

export const ZLIB_MAX_BYTES_PER_SEC = 30e6;
const LEVELS: Record<string, [number, number, number]> = { zstd: [1, 19, 1], zlibx: [1, 9, 1], zlib: [1, 9, 1] }; // min, max, default

export function describeSpeed(l: LinkSpeed): string {
  if (l.source === 'local') return 'local destination';
  if (l.bytesPerSec === undefined) return 'link speed unknown';
  return `link ${(l.bytesPerSec / 1e6).toFixed(1)} MB/s (${((l.bytesPerSec * 8) / 1e6).toFixed(0)} Mbit/s, ${l.source})`;
}

function build(algorithm: string, caps: LinkCapabilities, level: number | undefined, reason: string): CompressionChoice {
  if (algorithm === 'none') return { algorithm, args: [], reason };
  const range = LEVELS[algorithm];
  let lvl: number | undefined;
  let note = '';
  if (range) {
    lvl = level ?? range[2];
    if (lvl < range[0] || lvl > range[1]) {
      note = ` (transfer.compression_level ${lvl} is outside ${algorithm}'s ${range[0]}..${range[1]}: using ${Math.min(range[1], Math.max(range[0], lvl))})`;
      lvl = Math.min(range[1], Math.max(range[0], lvl));
    }
  } else if (level !== undefined) {
    note = ` (${algorithm} has no levels: transfer.compression_level ignored)`;
  }
  const args = ['--compress'];
  if (caps.choices) args.push(`--compress-choice=${algorithm}`);
  if (lvl !== undefined) args.push(`--compress-level=${lvl}`);
  return { algorithm, ...(lvl !== undefined && { level: lvl }), args, reason: reason + note };
}

export function chooseCompression(setting: CompressionSetting, level: number | undefined, caps: LinkCapabilities, link: LinkSpeed): CompressionChoice {
  const has = (a: string) => caps.compressions.includes(a);
  const zlib = has('zlibx') ? 'zlibx' : 'zlib';
  const old = caps.choices ? '' : '; rsync 3.1.x at one end offers zlib only';
  if (setting === 'none') return build('none', caps, level, 'transfer.compression: none');
  if (setting !== 'auto') {
    const want = setting === 'zlib' ? zlib : setting;
    if (has(want)) return build(want, caps, level, `transfer.compression: ${setting}${want !== setting ? ` (as ${want}: both ends have it)` : ''}`);
    const fallback = has('zstd') ? 'zstd' : has('lz4') ? 'lz4' : zlib;
    return build(
      fallback,
      caps,
      level,
      `transfer.compression: ${setting} is not supported by both ends (common: ${caps.compressions.join(' ')}${old}): using ${fallback} instead`,
    );
  }
  const speed = describeSpeed(link);
  if (link.source === 'local') return build('none', caps, level, `auto: ${speed}, nothing to save`);
  if (has('zstd')) return build('zstd', caps, level, `auto: zstd (both ends have it; ${speed}; fast enough not to slow any link)`);
  if (has('lz4')) return build('lz4', caps, level, `auto: lz4 (both ends have it, not zstd; ${speed})`);
  if (link.bytesPerSec !== undefined && link.bytesPerSec <= ZLIB_MAX_BYTES_PER_SEC) {
    return build(zlib, caps, level, `auto: ${zlib} (${speed}, at most ${ZLIB_MAX_BYTES_PER_SEC / 1e6} MB/s: compressing pays${old})`);
  }
  return build(
    'none',
    caps,
    level,
    `auto: none (only zlib is common${old}; ${speed}${link.bytesPerSec === undefined ? '' : `, above ${ZLIB_MAX_BYTES_PER_SEC / 1e6} MB/s`}: zlib would cost more CPU than it saves)`,
  );
}

/** auto compresses datafiles only when a sample of them deflates to at most this fraction. */
export const WORTH_COMPRESSING = 0.9;

/**
 * `auto` on the datafiles of one round: the run's choice, unless a sample of those files shows
 * that compressing them would save less than 10 % (random payload, compressed or encrypted
 * data): then none, which spares both ends' CPU. Explicit settings and `none` are kept as
 * they are. The result's reason says what the sample showed.
 */
export function compressionForData(run: CompressionChoice, setting: CompressionSetting, sample: CompressSample | undefined): CompressionChoice {
  if (setting !== 'auto' || run.args.length === 0) return run;
  if (!sample) return { ...run, reason: `${run.reason}; no sample could be read` };
  const ratio = sample.compressedBytes / sample.sampledBytes;
  const seen = `a sample of ${(sample.sampledBytes / 1048576).toFixed(1)} MiB from ${sample.files} datafile(s) deflates to ${(ratio * 100).toFixed(1)} % at level 1`;
  if (ratio <= WORTH_COMPRESSING) return { ...run, reason: `${run.reason}; ${seen}` };
  return { algorithm: 'none', args: [], reason: `auto: none (${seen}: compressing would save less than ${Math.round((1 - WORTH_COMPRESSING) * 100)} %, not worth the CPU of both ends)` };
}

/** The log line of a round's datafile compression. */
export function describeDataCompression(c: CompressionChoice): string {
  return `datafile compression: ${c.algorithm}${c.level !== undefined ? ` level ${c.level}` : ''} (${c.reason})`;
}
