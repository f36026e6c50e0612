// The `transfer` section: how data crosses the link (compression, refresh by delta, a total
// bandwidth budget). Self-contained: its schema, its rate syntax, its checks against other
// sections, and the camelCase result.
import { z } from 'zod';
import { describe } from './messages.ts';

/** "200Mbit", "1Gbit", "1.5 Gbit/s", "25MB/s", "800KB/s", "0" → bytes per second (0: none). Bits are decimal (Mbit = 10^6 bits), bytes are decimal too. */
export function parseRate(v: unknown): number | undefined {
  if (v === 0 || v === '0') return 0;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg])(bit|b)(?:\/s|ps)?\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]) * { k: 1e3, m: 1e6, g: 1e9 }[m[2]!.toLowerCase() as 'k' | 'm' | 'g'];
  const bytes = m[3] === 'B' ? n : m[3]!.toLowerCase() === 'bit' ? n / 8 : undefined;
  return bytes === undefined || bytes <= 0 ? undefined : Math.round(bytes);
}

const rate = z.union([z.string(), z.number()]).optional();

export const transferSchema = z
  .object({
    compression: z.enum(['auto', 'zstd', 'lz4', 'zlib', 'none']).default('auto'),
    compression_level: z.number().int().min(1).max(19).optional(),
    link_rate: rate,
    max_rate: rate,
    archivelog_share: z.number().min(0.05).max(0.9).default(0.25),
    delta: z.enum(['auto', 'always', 'never']).default('auto'),
  })
  .strict()
  .default({});

export interface TransferConfig {
  compression: 'auto' | 'zstd' | 'lz4' | 'zlib' | 'none';
  compressionLevel?: number;
  /** Payload bytes per second of the link, when configured (else measured). */
  linkRateBytesPerSec?: number;
  /** Total bytes per second for the whole run; undefined: unlimited. */
  maxRateBytesPerSec?: number;
  archivelogShare: number;
  delta: 'auto' | 'always' | 'never';
}

const RATE_HELP = 'a rate such as 100Mbit, 1Gbit or 12MB/s';
const COMPRESS_OPTION = /^(-z|--compress|--compress-choice(=.*)?|--zc(=.*)?|--compress-level(=.*)?|--zl(=.*)?|--new-compress|--old-compress|-[A-Za-y]*z[A-Za-z]*)$/;

/** Does rsync.extra_options already choose compression (a configuration older than transfer.compression)? */
export function hasCompressOption(extra: readonly string[]): boolean {
  return extra.some((o) => COMPRESS_OPTION.test(o));
}

/** Checks across keys; pushes "<key>: <problem>" lines. `data` is the whole (cleaned) YAML document. */
export function checkTransfer(data: Record<string, unknown>, problems: string[]): void {
  const t = data.transfer as Record<string, unknown> | undefined;
  if (!t || typeof t !== 'object' || Array.isArray(t)) return;
  for (const key of ['link_rate', 'max_rate'] as const) {
    const v = t[key];
    if (v === undefined) continue;
    const r = parseRate(v);
    if (r === undefined) problems.push(`transfer.${key}: must be ${RATE_HELP} (found ${describe(v)})`);
    else if (key === 'link_rate' && r === 0) problems.push(`transfer.link_rate: must be greater than 0; leave it out to have the link measured`);
  }
  const rsync = (data.rsync ?? {}) as Record<string, unknown>;
  const extra = Array.isArray(rsync.extra_options) ? (rsync.extra_options as unknown[]) : [];
  const maxRate = t.max_rate === undefined ? 0 : parseRate(t.max_rate) ?? 0;
  if (maxRate > 0) {
    if (typeof rsync.bwlimit_kbps === 'number' && rsync.bwlimit_kbps > 0) {
      problems.push('transfer.max_rate: set it or rsync.bwlimit_kbps (a limit per rsync process), not both');
    }
    extra.forEach((o, i) => {
      if (typeof o === 'string' && /^--bwlimit(=|$)/.test(o)) problems.push(`rsync.extra_options[${i}]: ${o} conflicts with transfer.max_rate, which sets each rsync's --bwlimit; remove it`);
    });
  }
  if (t.compression !== undefined) {
    extra.forEach((o, i) => {
      if (typeof o === 'string' && COMPRESS_OPTION.test(o)) problems.push(`rsync.extra_options[${i}]: ${o} conflicts with transfer.compression; choose compression there`);
    });
  }
  if (t.compression === 'lz4' && t.compression_level !== undefined) problems.push('transfer.compression_level: lz4 has no levels; remove it');
  if (t.compression === 'none' && t.compression_level !== undefined) problems.push('transfer.compression_level: has no effect with compression: none; remove it');
}

export function buildTransfer(y: z.infer<typeof transferSchema>): TransferConfig {
  const link = y.link_rate === undefined ? undefined : parseRate(y.link_rate);
  const max = y.max_rate === undefined ? undefined : parseRate(y.max_rate);
  return {
    compression: y.compression,
    ...(y.compression_level !== undefined && { compressionLevel: y.compression_level }),
    ...(link ? { linkRateBytesPerSec: link } : {}),
    ...(max ? { maxRateBytesPerSec: max } : {}),
    archivelogShare: y.archivelog_share,
    delta: y.delta,
  };
}
