// Which archived logs to ship, per thread, and how far the shipped-sequence state may
// advance. Pure: the rows of V$ARCHIVED_LOG and what the filesystem says about their files
// come in, the plan goes out. The rules:
//  - the log that contains the cutoff is needed (NEXT_CHANGE# > cutoff in the query, and its
//    absence is a gap, never a silent later start); the first needed sequence is shipped;
//  - every thread is read;
//  - a log has one row per copy (each local destination, and DEST_ID 0 for an RMAN restore or
//    catalog): rows are grouped by thread, sequence and resetlogs id, and one copy is chosen
//    whose file exists and is complete (the preferred destination first, then the other
//    destinations, then RMAN's); only when no copy can be read is the sequence a gap, and the
//    gap says what is wrong with each copy;
//  - a name in ASM (+DG/...) is never a "missing file": this tool cannot read ASM at all;
//  - state advances only over a contiguous run of verified transfers: a log that failed, is
//    still open, or is missing holds it back;
//  - a log found missing on DR after it was shipped (`again`) is planned like any other, before
//    the rest: shipped again from a readable copy, or a gap.
import type { ArchivedLogRow } from '../db/database.ts';
import { isAsmName } from './dest.ts';

export interface Gap {
  thread: number;
  sequence: number;
  /** What is wrong with each copy production lists. */
  reason: string;
  /**
   * Where the log still exists (gaps.ts, once the planner's gaps are located): on production
   * but only where this tool cannot read it (ASM), only in an RMAN backup, or nowhere.
   */
  where?: 'production' | 'rman_backup' | 'nowhere';
  /** The ASM name or the RMAN backup set. */
  location?: string;
}

export interface ThreadPlan {
  thread: number;
  start: number; // first sequence the standby still needs from us
  toShip: ArchivedLogRow[]; // one readable copy per sequence from `start` on, in sequence order
  gaps: Gap[];
}

/** What the filesystem says about an archived log's file: its size, or undefined when it does not exist. */
export type FileSizes = ReadonlyMap<string, number | undefined>;

function byThread(rows: ArchivedLogRow[]): Map<number, ArchivedLogRow[]> {
  const m = new Map<number, ArchivedLogRow[]>();
  for (const r of rows) {
    const list = m.get(r.thread) ?? [];
    list.push(r);
    m.set(r.thread, list);
  }
  return m;
}

/** The first sequence each thread still needs: after the last shipped one, never before the first listed. */
export function startSequences(rows: ArchivedLogRow[], lastShipped: ReadonlyMap<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [thread, list] of byThread(rows)) {
    const firstNeeded = Math.min(...list.map((r) => r.sequence));
    const last = lastShipped.get(thread);
    out.set(thread, last !== undefined && last + 1 > firstNeeded ? last + 1 : firstNeeded);
  }
  return out;
}

/** Names whose file the caller must look at (size or absence) before planning. */
export function filesToCheck(rows: ArchivedLogRow[], lastShipped: ReadonlyMap<number, number>, again: Again = new Map()): string[] {
  const start = startSequences(rows, lastShipped);
  const wanted = (r: ArchivedLogRow) => r.sequence >= start.get(r.thread)! || again.get(r.thread)?.has(r.sequence) === true;
  return [...new Set(rows.filter((r) => wanted(r) && isListed(r) && !isAsmName(r.name)).map((r) => r.name))];
}

/** Sequences per thread to ship again although the shipped state is past them (reship.ts: missing on DR). */
export type Again = ReadonlyMap<number, ReadonlySet<number>>;

function isListed(r: ArchivedLogRow): boolean {
  return r.status === 'A' && r.name !== '' && r.deleted !== 'YES';
}

/** Why this copy cannot be shipped, or undefined when it can. */
function problem(r: ArchivedLogRow, files: FileSizes): string | undefined {
  if (!isListed(r)) return `not available on production (STATUS ${r.status}, DELETED ${r.deleted}${r.name ? '' : ', NAME is NULL'})`;
  if (isAsmName(r.name)) return `${r.name} is in ASM, which copy_archivelog cannot read`;
  const size = files.get(r.name);
  if (size === undefined) return `file ${r.name} is missing on production (deleted before it was shipped?)`;
  const expected = r.blocks * r.blockSize;
  if (size < expected) return `file ${r.name} is incomplete on production (${size} of at least ${expected} bytes)`;
  return undefined;
}

function where(destId: number): string {
  return destId === 0 ? 'RMAN restore or catalog (DEST_ID 0)' : `destination ${destId}`;
}

/** Preferred destination first, then the other destinations in order, RMAN's copies (DEST_ID 0) last. */
function rank(destId: number, preferDest: number | undefined): number {
  if (destId === preferDest) return -1;
  return destId === 0 ? 1000 : destId;
}

export function planShipping(rows: ArchivedLogRow[], lastShipped: ReadonlyMap<number, number>, cutoff: bigint, files: FileSizes, preferDest?: number, again: Again = new Map()): ThreadPlan[] {
  const plans: ThreadPlan[] = [];
  const start = startSequences(rows, lastShipped);
  const threads = byThread(rows);
  for (const thread of [...threads.keys()].sort((a, b) => a - b)) {
    const list = threads.get(thread)!;
    const bySeq = new Map<number, Map<string, ArchivedLogRow[]>>();
    for (const r of list) {
      const incarnations = bySeq.get(r.sequence) ?? new Map<string, ArchivedLogRow[]>();
      incarnations.set(r.resetlogsId, [...(incarnations.get(r.resetlogsId) ?? []), r]);
      bySeq.set(r.sequence, incarnations);
    }
    const seqs = [...bySeq.keys()].sort((a, b) => a - b);
    const firstNeeded = seqs[0];
    const from = start.get(thread)!;
    const last = lastShipped.get(thread);
    const gaps: Gap[] = [];
    const firstScn = list.filter((r) => r.sequence === firstNeeded).reduce((m, r) => (r.firstScn < m ? r.firstScn : m), list[0].firstScn);
    if (from === firstNeeded && firstScn > cutoff && (last === undefined || last + 1 < firstNeeded)) {
      gaps.push({
        thread,
        sequence: firstNeeded - 1,
        reason: `no archived log contains the cutoff SCN ${cutoff}: the first one listed (sequence ${firstNeeded}) starts at SCN ${firstScn}`,
      });
    }
    const toShip: ArchivedLogRow[] = [];
    const earlier = [...(again.get(thread) ?? [])].filter((q) => q < from).sort((a, b) => a - b);
    for (const seq of [...earlier, ...Array.from({ length: Math.max(0, seqs[seqs.length - 1] - from + 1) }, (_, k) => from + k)]) {
      const incarnations = bySeq.get(seq);
      if (!incarnations) {
        gaps.push({ thread, sequence: seq, reason: 'not in V$ARCHIVED_LOG' });
        continue;
      }
      // The query lists one incarnation; should several come, each is a log of its own.
      for (const copies of incarnations.values()) {
        const sorted = [...copies].sort((a, b) => rank(a.destId, preferDest) - rank(b.destId, preferDest));
        const chosen = sorted.find((r) => problem(r, files) === undefined);
        if (chosen) {
          toShip.push(chosen);
          continue;
        }
        const reason = sorted.length === 1 ? problem(sorted[0], files)! : sorted.map((r) => `${where(r.destId)}: ${problem(r, files)}`).join('; ');
        gaps.push({ thread, sequence: seq, reason });
      }
    }
    plans.push({ thread, start: from, toShip, gaps });
  }
  return plans;
}

/** The last sequence such that every sequence from `start` up to it is in `verified`. */
export function advance(start: number, verified: Set<number>, previous: number | undefined): number | undefined {
  let s = start;
  while (verified.has(s)) s++;
  const reached = s - 1;
  if (reached < start) return previous;
  return previous !== undefined && previous > reached ? previous : reached;
}
