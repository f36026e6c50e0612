// Which archived logs to ship, per thread, and how far the shipped-sequence state may
// advance. Pure. The defects of the bash original each have a rule here:
//  - the log that contains the cutoff is needed (NEXT_CHANGE# > cutoff in the query, and its
//    absence is a gap, never a silent later start);
//  - the first needed sequence is shipped (no off-by-one);
//  - every thread is read, one destination's rows only (the query filters DEST_ID);
//  - state advances only over a contiguous run of verified transfers: a log that failed, is
//    still open, or is missing holds it back, and a missing one is reported as a gap.
import type { ArchivedLogRow } from '../db/database.ts';

export interface Gap {
  thread: number;
  sequence: number;
  reason: string;
}

export interface ThreadPlan {
  thread: number;
  start: number; // first sequence the standby still needs from us
  toShip: ArchivedLogRow[]; // available logs from `start` on, in sequence order
  gaps: Gap[];
}

function isAvailable(r: ArchivedLogRow): boolean {
  return r.status === 'A' && r.name !== '' && r.deleted !== 'YES';
}

export function planShipping(rows: ArchivedLogRow[], lastShipped: Map<number, number>, cutoff: bigint): ThreadPlan[] {
  const byThread = new Map<number, ArchivedLogRow[]>();
  for (const r of rows) {
    const list = byThread.get(r.thread) ?? [];
    list.push(r);
    byThread.set(r.thread, list);
  }
  const plans: ThreadPlan[] = [];
  for (const thread of [...byThread.keys()].sort((a, b) => a - b)) {
    const list = byThread.get(thread)!.sort((a, b) => a.sequence - b.sequence);
    // Two rows for one sequence (e.g. a deleted copy and a restored one): the available one wins.
    const bySeq = new Map<number, ArchivedLogRow>();
    for (const r of list) {
      const seen = bySeq.get(r.sequence);
      if (!seen || (!isAvailable(seen) && isAvailable(r))) bySeq.set(r.sequence, r);
    }
    const firstNeeded = list[0].sequence;
    const last = lastShipped.get(thread);
    const start = last !== undefined && last + 1 > firstNeeded ? last + 1 : firstNeeded;
    const gaps: Gap[] = [];
    if (start === firstNeeded && list[0].firstScn > cutoff && (last === undefined || last + 1 < firstNeeded)) {
      gaps.push({
        thread,
        sequence: firstNeeded - 1,
        reason: `no archived log contains the cutoff SCN ${cutoff}: the first one listed (sequence ${firstNeeded}) starts at SCN ${list[0].firstScn}`,
      });
    }
    const maxSeq = list[list.length - 1].sequence;
    const toShip: ArchivedLogRow[] = [];
    for (let seq = start; seq <= maxSeq; seq++) {
      const r = bySeq.get(seq);
      if (!r) gaps.push({ thread, sequence: seq, reason: 'not in V$ARCHIVED_LOG for this destination' });
      else if (!isAvailable(r)) gaps.push({ thread, sequence: seq, reason: `not available on production (STATUS ${r.status}, DELETED ${r.deleted}${r.name ? '' : ', NAME is NULL'})` });
      else toShip.push(r);
    }
    plans.push({ thread, start, toShip, gaps });
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
