// Logs that were shipped but are not on DR when the standby needs them (deleted there, or lost
// with a disk): apply_standby finds them (recovery cannot open a log the shipper's state says
// it shipped) and writes a request; copy_archivelog ships each requested log again on its next
// pass, from production if a copy is still there (otherwise it is a gap it reports). One
// writer (apply_standby) rewrites the whole file each pass, dropping requests the standby has
// applied past; the shipper only reads it and remembers which requests it has served.
import type { StateFiles } from '../state.ts';
import { readJsonIfExists, writeJsonAtomic } from '../state.ts';

export interface ReshipRequest {
  thread: number;
  sequence: number;
  /** The name recovery could not open on DR. */
  path: string;
  requestedAt: string;
}

/** A request still unanswered after this long is made again. */
const ASK_AGAIN_MS = 60_000;

export function readReshipRequests(state: StateFiles): ReshipRequest[] {
  const r = readJsonIfExists<{ requests?: ReshipRequest[] }>(state.reship());
  return Array.isArray(r?.requests) ? r.requests.filter((x) => Number.isInteger(x.thread) && Number.isInteger(x.sequence)) : [];
}

/**
 * apply_standby's view after a pass: keep the requests for logs the standby still needs (at or
 * after its next needed sequence), add `missing` ones not requested yet.
 */
export function updateReshipRequests(state: StateFiles, nextNeeded: ReadonlyMap<number, number>, missing: Omit<ReshipRequest, 'requestedAt'>[], now: Date): ReshipRequest[] {
  const kept = readReshipRequests(state).filter((r) => r.sequence >= (nextNeeded.get(r.thread) ?? 0));
  for (const m of missing) {
    const i = kept.findIndex((r) => r.thread === m.thread && r.sequence === m.sequence);
    // Still missing a while after it was asked for (shipped again and lost again?): ask anew, the shipper serves each request once.
    if (i < 0 || now.getTime() - Date.parse(kept[i]!.requestedAt) >= ASK_AGAIN_MS) kept.splice(i < 0 ? kept.length : i, 1, { ...m, requestedAt: now.toISOString() });
  }
  if (kept.length || readJsonIfExists(state.reship())) writeJsonAtomic(state.reship(), { requests: kept });
  return kept;
}

export const reshipKey = (r: ReshipRequest) => `${r.thread}/${r.sequence}/${r.requestedAt}`;
