// Per-file transfer modes applied to a backup plan's batches (pure). rsync takes one
// --whole-file/--block-size for all the files of a process, so a batch whose files need
// different modes or block sizes is split, in order, into batches that each need one.
import type { Batch } from '../backup/plan.ts';
import { fileMode, type FileMode, type RunMode } from './delta.ts';
import { mib } from './stats.ts';

export interface RefreshPlan {
  batches: Batch[];
  /** By file id. */
  modes: Map<number, FileMode>;
  /** True when some file has a DR copy of its size: this cycle refreshes an existing copy. */
  refresh: boolean;
  /** One line for the log. */
  summary: string;
}

const key = (m: FileMode) => `${m.mode}:${m.blockSize ?? 0}`;

/**
 * `sizes`: the size of each production file (by source path: the file on disk, one block more
 * than the database's BYTES) and of its DR copy (by dest path; absent when there is none).
 */
export function planRefresh(batches: Batch[], sizes: { source: Map<string, number>; dr: Map<string, number> }, run: RunMode): RefreshPlan {
  const modes = new Map<number, FileMode>();
  let nextId = Math.max(0, ...batches.map((b) => b.id)) + 1;
  const out: Batch[] = [];
  for (const b of batches) {
    const groups = new Map<string, Batch>();
    for (const f of b.files) {
      const m = fileMode(sizes.source.get(f.source) ?? f.bytes, sizes.dr.get(f.dest), run);
      modes.set(f.fileId, m);
      let g = groups.get(key(m));
      if (!g) groups.set(key(m), (g = { ...b, id: groups.size === 0 ? b.id : nextId++, files: [], tablespaces: [], bytes: 0 }));
      g.files.push(f);
      g.bytes += f.bytes;
      if (!g.tablespaces.includes(f.tablespace)) g.tablespaces.push(f.tablespace);
    }
    out.push(...groups.values());
  }
  const all = batches.flatMap((b) => b.files);
  const count = (why: FileMode['why']) => {
    const fs = all.filter((f) => modes.get(f.fileId)!.why === why);
    return { n: fs.length, bytes: fs.reduce((a, f) => a + f.bytes, 0) };
  };
  const same = count('same size on DR');
  const wholeRun = count('whole-file run');
  const missing = count('no DR copy');
  const other = count('other size on DR');
  const present = same.n + wholeRun.n;
  const blockSizes = [...new Set(all.map((f) => modes.get(f.fileId)!.blockSize).filter((x): x is number => x !== undefined))].sort((a, b) => a - b);
  const parts: string[] = [];
  if (present) {
    parts.push(
      `refresh of an existing DR copy: ${present} of ${all.length} file(s) there with the same size (${mib(same.bytes + wholeRun.bytes)}): ` +
        (same.n ? `delta transfer (${run.reason}), rsync blocks of ${blockSizes.map((s) => `${s / 1024} KiB`).join('/')}` : `whole files (${run.reason})`),
    );
  } else {
    parts.push(`full copy: no file has a DR copy of its size`);
  }
  if (missing.n && present) parts.push(`${missing.n} file(s) with no DR copy (${mib(missing.bytes)}): copied whole`);
  if (other.n) parts.push(`${other.n} file(s) of another size on DR (${mib(other.bytes)}): copied whole`);
  if (out.length !== batches.length) parts.push(`${batches.length} batch(es) split into ${out.length} by transfer mode`);
  return { batches: out, modes, refresh: present > 0, summary: parts.join('; ') };
}
