// Refresh decisions (pure): for each file, whole-file or delta transfer, and rsync's block
// size for a delta. A cycle on an existing DR copy is a refresh: rsync's delta transfer reads
// both copies and sends only the blocks that differ.
//
// Block size (docs/CONFIGURATION.md, "Refresh"): Oracle changes whole 8 KiB blocks, so an
// rsync block of 8 KiB aligned with them sends the least data (rsync's default, sqrt(size)
// capped at 128 KiB, straddles Oracle blocks: about twice the bytes). Each rsync block costs
// the receiver ~20 bytes of checksums sent back and the sender ~40 bytes of memory, so a
// file gets 8 KiB blocks up to MAX_BLOCKS_PER_FILE blocks (8 GiB) and larger multiples of
// 8 KiB beyond, up to rsync's maximum of 128 KiB (128 GiB and more).
//
// Whole-file or delta, per run: a delta reads the DR copy too and checksums both; it pays
// when the link is slower than that scan. With S the scan rate (a previous refresh's file
// bytes per second, else DEFAULT_SCAN_BYTES_PER_SEC) and c the fraction that changed
// (previous refresh, else DEFAULT_CHANGED_FRACTION), a delta takes F/S + cF/L against F/L
// for whole files: delta when L < S(1 - c). A file missing on DR, or of another size there,
// is always copied whole (no basis worth scanning: a resized, recreated or partly copied file).

export const ORACLE_BLOCK = 8192;
export const RSYNC_MAX_BLOCK = 128 * 1024;
export const MAX_BLOCKS_PER_FILE = 1 << 20;
export const DEFAULT_SCAN_BYTES_PER_SEC = 300e6;
export const DEFAULT_CHANGED_FRACTION = 0.1;

export type DeltaSetting = 'auto' | 'always' | 'never';

export function blockSizeFor(bytes: number): number {
  const blocks = Math.ceil(bytes / MAX_BLOCKS_PER_FILE / ORACLE_BLOCK);
  return Math.min(RSYNC_MAX_BLOCK, Math.max(1, blocks) * ORACLE_BLOCK);
}

export interface RefreshHistory {
  /** File bytes per second of the last refresh's delta batches. */
  scanBytesPerSec?: number;
  /** Literal (changed) bytes / file bytes of the last refresh. */
  changedFraction?: number;
  at?: string;
}

export interface RunMode {
  mode: 'delta' | 'whole';
  reason: string;
}

export function decideRunMode(setting: DeltaSetting, link: { bytesPerSec?: number; source: string }, history: RefreshHistory = {}): RunMode {
  if (setting === 'always') return { mode: 'delta', reason: 'transfer.delta: always' };
  if (setting === 'never') return { mode: 'whole', reason: 'transfer.delta: never' };
  if (link.source === 'local') return { mode: 'whole', reason: 'auto: local destination (reading the old copy costs as much as writing it)' };
  if (link.bytesPerSec === undefined) return { mode: 'delta', reason: 'auto: link speed unknown' };
  const scan = history.scanBytesPerSec ?? DEFAULT_SCAN_BYTES_PER_SEC;
  const changed = Math.min(0.9, history.changedFraction ?? DEFAULT_CHANGED_FRACTION);
  const limit = scan * (1 - changed);
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB/s`;
  const basis = `scan ${mb(scan)} ${history.scanBytesPerSec ? `(refresh of ${history.at})` : '(default)'}, ${(changed * 100).toFixed(1)} % changed ${history.changedFraction !== undefined ? '(last refresh)' : '(assumed)'}`;
  return link.bytesPerSec < limit
    ? { mode: 'delta', reason: `auto: link ${mb(link.bytesPerSec)} < ${mb(limit)} (${basis})` }
    : { mode: 'whole', reason: `auto: link ${mb(link.bytesPerSec)} >= ${mb(limit)} (${basis}): sending whole files is faster than scanning both copies` };
}

export interface FileMode {
  mode: 'delta' | 'whole';
  blockSize?: number;
  why: 'no DR copy' | 'other size on DR' | 'same size on DR' | 'whole-file run';
}

/** drBytes: the DR copy's size, undefined when there is none. */
export function fileMode(bytes: number, drBytes: number | undefined, run: RunMode): FileMode {
  if (drBytes === undefined) return { mode: 'whole', why: 'no DR copy' };
  if (drBytes !== bytes) return { mode: 'whole', why: 'other size on DR' };
  if (run.mode === 'whole') return { mode: 'whole', why: 'whole-file run' };
  return { mode: 'delta', blockSize: blockSizeFor(bytes), why: 'same size on DR' };
}

/** rsync flags for one mode: --whole-file, or --no-whole-file with the block size. */
export function modeArgs(m: FileMode): string[] {
  return m.mode === 'whole' ? ['--whole-file'] : ['--no-whole-file', `--block-size=${m.blockSize}`];
}
