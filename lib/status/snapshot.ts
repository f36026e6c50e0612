// The one source of every status view: facts (files) → DatabaseStatus. deriveStatus is pure
// (facts and a clock in, document out), so the monitor, status.ts --json/--prometheus/--check
// and the alerts all say the same thing about the same moment.
import os from 'node:os';
import type { DrConfig, Thresholds } from '../config/index.ts';
import { evaluateConditions, worst } from './conditions.ts';
import { readFacts, type Facts } from './facts.ts';
import { standbyStatus } from './standby.ts';
import type { BackupStatus, CycleState, DatabaseStatus, StatusDocument, ThreadTransport, ToolName, ToolStatus, TransportStatus } from './types.ts';
import { TOOLS } from './types.ts';

const secondsBetween = (from: string | null | undefined, now: Date): number | null => {
  if (!from) return null;
  const t = Date.parse(from);
  return Number.isNaN(t) ? null : Math.max(0, Math.round((now.getTime() - t) / 1000));
};

/** Seconds between two database times 'YYYY-MM-DD HH24:MI:SS' (same clock, so no time zone is needed). */
export function dbSecondsBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const parse = (s: string) => Date.parse(s.replace(' ', 'T') + 'Z');
  const a = parse(from);
  const b = parse(to);
  return Number.isNaN(a) || Number.isNaN(b) ? null : Math.max(0, Math.round((b - a) / 1000));
}

const maxOf = (xs: (number | null)[]): number | null => xs.reduce<number | null>((m, x) => (x === null ? m : m === null || x > m ? x : m), null);

export function toolStatus(f: Facts, tool: ToolName, now: Date, staleSeconds: number): ToolStatus {
  const lock = f.locks[tool];
  const hb = f.heartbeats[tool];
  const hbCurrent = hb && (!lock || hb.pid === lock.pid) ? hb : undefined; // a previous run's heartbeat says nothing about this one
  const age = secondsBetween(hbCurrent?.at, now);
  let state: ToolStatus['state'];
  if (lock) {
    if (!lock.alive) state = 'dead';
    else if (hbCurrent && !hbCurrent.stoppedAt && age !== null && age > staleSeconds) state = 'stale';
    else state = 'running';
  } else if (hb) {
    state = hb.stoppedAt ? 'stopped' : 'dead';
  } else {
    state = 'never_run';
  }
  const src = lock ?? hb;
  return {
    state,
    pid: src?.pid ?? null,
    host: src?.host ?? null,
    startedAt: lock?.startedAt ?? hb?.startedAt ?? null,
    heartbeatAt: hbCurrent?.at ?? (lock ? null : hb?.at ?? null),
    heartbeatAgeSeconds: age ?? (lock ? null : secondsBetween(hb?.at, now)),
    stoppedAt: lock ? null : hb?.stoppedAt ?? null,
  };
}

function backupStatus(f: Facts, hot: ToolStatus, now: Date): BackupStatus {
  const p = f.backupProgress;
  const states = p ? Object.values(p.tablespaces) : [];
  const failed = states.filter((x) => x === 'failed').length;
  const names = f.inflight?.tablespaces ?? [];
  const inBackupMode = names.map((name) => {
    const since = f.inflight?.since?.[name] ?? f.inflightAt ?? null;
    return { name, since, seconds: secondsBetween(since, now) };
  });
  const pending = p ? Math.max(0, states.length - states.filter((x) => x === 'done').length - failed - names.length) : 0;
  const r = f.backupResult;
  const running = hot.state === 'running' || hot.state === 'stale';
  let cycle: CycleState;
  if (!f.cutoff) cycle = 'none';
  else if (running) cycle = 'copying';
  else if (f.consistent) cycle = 'complete';
  else if (hot.state === 'dead' || (r && r.exitCode !== 0)) cycle = 'failed';
  else if (f.doneCount === 0 && !p && !r) cycle = 'waiting';
  else cycle = 'incomplete';
  return {
    cycle,
    cutoffScn: f.cutoff ?? null,
    tablespaces: { done: f.doneCount, inBackupMode: names.length, pending, failed },
    ...(f.containers && { containers: f.containers }),
    inBackupMode,
    bytes: p ? { done: p.doneBytes, total: p.totalBytes } : null,
    rateBytesPerSec: p && running ? p.rateBytesPerSec : null,
    etaSeconds: p && running ? p.etaSeconds : null,
    ...(p?.transfer && { transfer: p.transfer }),
    progressAt: p?.updatedAt ?? null,
    lastRun: r ? { exitCode: r.exitCode, finishedAt: r.finishedAt, message: r.message ?? null } : null,
    consistentPoint: f.consistent ? { scn: f.consistent.scn, threads: f.consistent.threads } : null,
  };
}

function transportStatus(f: Facts, now: Date): TransportStatus {
  const s = f.ship;
  const threads: ThreadTransport[] = (s?.threads ?? []).map((t) => {
    if (t.archivedSequence === null) {
      // no archived log is needed yet: the cutoff SCN is still in the current online log
      return { thread: t.thread, productionSequence: t.productionSequence, archivedSequence: null, shippedSequence: t.lastShipped, lagSequences: 0, lagSeconds: 0, archivedNextTime: null, shippedNextTime: null };
    }
    // Written by an older shipper (no archivedSequence): the log before the current one is the newest archived.
    const archived = t.archivedSequence ?? (t.productionSequence !== null ? t.productionSequence - 1 : null);
    const shippedFloor = t.lastShipped ?? (t.firstNeeded !== null && t.firstNeeded !== undefined ? t.firstNeeded - 1 : null);
    return {
      thread: t.thread,
      productionSequence: t.productionSequence,
      archivedSequence: archived,
      shippedSequence: t.lastShipped,
      lagSequences: archived !== null && shippedFloor !== null ? Math.max(0, archived - shippedFloor) : null,
      lagSeconds: t.lastShipped !== null && t.lastShipped === archived ? 0 : dbSecondsBetween(t.shippedNextTime ?? null, t.archivedNextTime ?? null),
      archivedNextTime: t.archivedNextTime ?? null,
      shippedNextTime: t.shippedNextTime ?? null,
    };
  });
  const d = f.archiveDests;
  return {
    observedAt: s?.observedAt ?? s?.updatedAt ?? null,
    lastPassAt: s?.updatedAt ?? null,
    lastPassAgeSeconds: secondsBetween(s?.updatedAt, now),
    destId: s?.destId ?? null,
    threads,
    lagSequences: maxOf(threads.map((t) => t.lagSequences)),
    lagSeconds: maxOf(threads.map((t) => t.lagSeconds)),
    gaps: s?.gaps ?? [],
    archiveDests: d
      ? {
          observedAt: d.observedAt,
          dests: d.dests.map((x) => ({
            destId: x.destId,
            status: x.status,
            error: x.error || null,
            destination: x.destination,
            usedPercent: x.filesystem?.usedPercent ?? null,
            freeBytes: x.filesystem?.freeBytes ?? null,
          })),
          recoveryArea: d.recoveryArea ?? null,
        }
      : null,
  };
}

export function deriveStatus(f: Facts, meta: { sid: string; config: string; session: string }, thresholds: Thresholds, now: Date): DatabaseStatus {
  const tools = Object.fromEntries(TOOLS.map((t) => [t, toolStatus(f, t, now, thresholds.heartbeatStaleSeconds)])) as Record<ToolName, ToolStatus>;
  const backup = backupStatus(f, tools.hot_backup_ts, now);
  const transport = transportStatus(f, now);
  const standby = standbyStatus(f.apply, transport.threads, now, { failed: f.ship?.failed ?? [], productionGaps: transport.gaps });
  const lastErrors = f.errorTail.slice(-4);
  const conditions = evaluateConditions({ ...meta, backup, transport, standby, tools, lastErrors }, f, thresholds, now);
  return { sid: meta.sid, config: meta.config, session: meta.session, status: worst(conditions), conditions, backup, transport, standby, tools, lastErrors };
}

export function collectStatus(config: DrConfig, now = new Date()): DatabaseStatus {
  return deriveStatus(readFacts(config), { sid: config.oracle.sid, config: config.source, session: config.tmux.session }, config.thresholds, now);
}

/** The JSON document of status.ts: several databases (one config each), one overall status. */
export function statusDocument(dbs: DatabaseStatus[], now: Date): StatusDocument {
  return { version: 1, generatedAt: now.toISOString(), host: os.hostname(), status: worst(dbs.flatMap((d) => d.conditions)), databases: dbs };
}
