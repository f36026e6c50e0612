// What the shipper records after each pass (state/copy_archivelog.<sid>.progress.json) for the
// monitor, status and alerts: per thread, production's position and newest archived log, the
// newest shipped one, and their NEXT_TIMEs (transport lag in seconds is the difference of the
// two, both read from the database's own clock: no clock skew between hosts).
import type { ArchivedLogRow } from '../db/database.ts';
import type { Gap } from './plan.ts';

export interface ShipThreadProgress {
  thread: number;
  /** Sequence of the CURRENT online log (V$LOG). */
  productionSequence: number | null;
  /** Newest archived sequence listed for the shipped destination. */
  archivedSequence: number | null;
  /** Its NEXT_TIME ('YYYY-MM-DD HH24:MI:SS', database time). */
  archivedNextTime: string | null;
  /** First sequence this backup cycle needs (the log that holds the cutoff SCN). */
  firstNeeded: number | null;
  lastShipped: number | null;
  shippedNextTime: string | null;
}

/** A log whose last transfer failed (until it ships): rsync's line that names it, or its last error. */
export interface FailedShipment {
  thread: number;
  sequence: number;
  error: string;
  at: string;
}

export interface ShipProgress {
  pid: number;
  /** End of the last completed pass (absent until one completes in this cycle). */
  updatedAt?: string;
  /** When production was last looked at (every pass, also one whose transfer then failed): the figures below are as of then. */
  observedAt?: string;
  cutoffScn: string;
  destId: number;
  shippedTotal: number;
  threads: ShipThreadProgress[];
  gaps: Gap[];
  /** Logs whose last transfer failed (absent when none). */
  failed?: FailedShipment[];
}

export function threadProgress(rows: ArchivedLogRow[], shipped: Map<number, number>, current: { thread: number; sequence: number }[]): ShipThreadProgress[] {
  const threads = [...new Set([...current.map((c) => c.thread), ...shipped.keys(), ...rows.map((r) => r.thread)])].sort((a, b) => a - b);
  return threads.map((t) => {
    const mine = rows.filter((r) => r.thread === t);
    const newest = mine.reduce<ArchivedLogRow | undefined>((m, r) => (!m || r.sequence > m.sequence ? r : m), undefined);
    const first = mine.reduce<number | null>((m, r) => (m === null || r.sequence < m ? r.sequence : m), null);
    const last = shipped.get(t) ?? null;
    const shippedRow = last === null ? undefined : mine.find((r) => r.sequence === last && r.nextTime);
    return {
      thread: t,
      productionSequence: current.find((c) => c.thread === t)?.sequence ?? null,
      archivedSequence: newest?.sequence ?? null,
      archivedNextTime: newest?.nextTime ?? null,
      firstNeeded: first,
      lastShipped: last,
      shippedNextTime: shippedRow?.nextTime ?? null,
    };
  });
}
