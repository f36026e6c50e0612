// The standby block of the status. The DR-side apply loop (issue 8: bin/apply_standby.ts) is
// not built yet; this file is the contract it will write and the one place that reads it.
// Until state/apply_standby.<sid>.progress.json exists, the block says "unknown".
import type { FailedShipment } from '../archivelog/progress.ts';
import type { Gap } from '../archivelog/plan.ts';
import type { DrArchiveSpace, StandbyGap, StandbyStatus, ThreadTransport } from './types.ts';

/**
 * What apply_standby writes (atomically) at the end of each pass, to
 * StateFiles.progress('apply_standby'). Times of applied changes are database times
 * ('YYYY-MM-DD HH24:MI:SS'); lagSeconds is computed by the apply tool (it knows the shipped
 * logs' NEXT_TIME and the standby's clock), status passes it through.
 */
export interface ApplyProgress {
  updatedAt: string;
  threads: { thread: number; appliedSequence: number | null; appliedScn: string | null; appliedTime: string | null; nextNeeded: number | null }[];
  lagSeconds: number | null;
  /** The standby has passed the consistent point of this cycle: it could be opened. */
  consistent: boolean;
  lastError: string | null;
  /** The hot backup cycle (its consistent point's recordedAt) whose standby controlfile the instance was mounted with. */
  cycle?: string;
  /** Logs recovery needed and could not open although they were shipped (lost on DR): asked again (reship.ts). */
  drGaps?: { thread: number; sequence: number; path: string }[];
  /** The DR archive directory's space and the last housekeeping run (lib/standby/housekeeping.ts); absent in older files. */
  drArchive?: DrArchiveSpace;
}

export const STANDBY_NOT_CONFIGURED: StandbyStatus = {
  configured: false,
  state: 'unknown',
  reason: 'no apply progress: the DR-side apply (apply_standby) is not configured or has not reported yet',
};

const maxOf = (xs: (number | null)[]): number | null => xs.reduce<number | null>((m, x) => (x === null ? m : m === null || x > m ? x : m), null);

/** The log each thread of the standby waits for, when it is not on DR for a reason other than production's own gap. */
function standbyGaps(apply: ApplyProgress, ship: { failed: FailedShipment[]; productionGaps: Gap[] }): StandbyGap[] {
  return apply.threads.flatMap((t): StandbyGap[] => {
    const seq = t.nextNeeded;
    if (seq === null) return [];
    const same = (x: { thread: number; sequence: number }) => x.thread === t.thread && x.sequence === seq;
    if (ship.productionGaps.some(same)) return [];
    const lost = apply.drGaps?.find(same);
    if (lost) return [{ thread: t.thread, sequence: seq, state: 'missing_on_dr', detail: `shipped, but not on DR (${lost.path}): copy_archivelog ships it again` }];
    const failed = ship.failed.find(same);
    if (failed) return [{ thread: t.thread, sequence: seq, state: 'shipping_failed', detail: `not on DR: copy_archivelog's last transfer of it failed (${failed.error}); it is retried every pass` }];
    return [];
  });
}

export function standbyStatus(apply: ApplyProgress | undefined, transport: ThreadTransport[], now: Date, ship: { failed: FailedShipment[]; productionGaps: Gap[] } = { failed: [], productionGaps: [] }): StandbyStatus {
  if (!apply) return STANDBY_NOT_CONFIGURED;
  const threads = apply.threads.map((t) => {
    const prod = transport.find((x) => x.thread === t.thread)?.archivedSequence ?? null;
    return { ...t, lagSequences: prod !== null && t.appliedSequence !== null ? Math.max(0, prod - t.appliedSequence) : null };
  });
  return {
    configured: true,
    observedAt: apply.updatedAt,
    lastPassAgeSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(apply.updatedAt)) / 1000)),
    threads,
    lagSequences: maxOf(threads.map((t) => t.lagSequences)),
    lagSeconds: apply.lagSeconds,
    consistent: apply.consistent,
    lastError: apply.lastError,
    gaps: standbyGaps(apply, ship),
    ...(apply.drArchive && { drArchive: apply.drArchive }),
  };
}
