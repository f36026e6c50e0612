// What is wrong now, each as one Condition with a stable id and one line for a person. The
// --check line, the Prometheus dr_condition series and the alerts are all made from this
// list, so a check that says CRITICAL and an alert that stays silent cannot happen.
// Thresholds follow the Nagios convention: WARNING above `warning`, CRITICAL above `critical`.
import os from 'node:os';
import { gapText } from '../archivelog/gaps.ts';
import type { Threshold, Thresholds } from '../config/index.ts';
import type { Facts } from './facts.ts';
import { humanBytes, humanSeconds, localTime } from './format.ts';
import type { Condition, DatabaseStatus, Severity, ToolName, ToolStatus } from './types.ts';

type Level = Condition['severity'];
const RANK: Record<Severity, number> = { OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3 };

export function worst(conditions: { severity: Severity }[]): Severity {
  return conditions.reduce<Severity>((w, c) => (RANK[c.severity] > RANK[w] ? c.severity : w), 'OK');
}

export function level(value: number | null, t: Threshold): Level | undefined {
  if (value === null) return undefined;
  if (value > t.critical) return 'CRITICAL';
  if (value > t.warning) return 'WARNING';
  return undefined;
}

const higher = (a: Level | undefined, b: Level | undefined): Level | undefined => (!a ? b : !b ? a : RANK[a] >= RANK[b] ? a : b);

/**
 * The last error a tool wrote to errors.<sid>.log, on one line: a message of several lines is
 * several log lines with the same timestamp and tag; its HINT is left out.
 */
export function lastErrorOf(tail: string[], tool: string): string | undefined {
  const parse = (l: string) => /^(\S+ \S+) \[([^\]]+)\] ?(.*)$/.exec(l);
  let i = tail.length - 1;
  while (i >= 0 && parse(tail[i])?.[2] !== tool) i--;
  if (i < 0) return undefined;
  const stamp = parse(tail[i])![1];
  const block: string[] = [];
  for (; i >= 0; i--) {
    const m = parse(tail[i]);
    if (!m || m[1] !== stamp || m[2] !== tool) break;
    block.unshift(m[3]);
  }
  const text = block.filter((l) => !l.startsWith('HINT:')).join(' ').replace(/\s+/g, ' ').trim();
  return text || undefined;
}

function whereHost(t: ToolStatus): string {
  return t.host && t.host !== os.hostname() ? ` on ${t.host}` : '';
}

function toolDead(tool: ToolName, t: ToolStatus): Condition | undefined {
  const age = t.heartbeatAgeSeconds !== null ? `; last heartbeat ${humanSeconds(t.heartbeatAgeSeconds)} ago` : '';
  if (t.state === 'dead')
    return { id: `tool_dead:${tool}`, severity: 'CRITICAL', summary: `${tool} died (pid ${t.pid}${whereHost(t)}) without ending itself${age}` };
  if (t.state === 'stale')
    return { id: `tool_dead:${tool}`, severity: 'CRITICAL', summary: `${tool} (pid ${t.pid}${whereHost(t)}) has written no heartbeat for ${humanSeconds(t.heartbeatAgeSeconds ?? 0)}: hung, or dead` };
  return undefined;
}

function shipperState(t: ToolStatus, tail: string[]): string {
  switch (t.state) {
    case 'running': {
      const e = lastErrorOf(tail, 'copy_archivelog');
      return `copy_archivelog runs (pid ${t.pid}) but its passes fail${e ? `: ${e}` : ''}`;
    }
    case 'stale':
      return `copy_archivelog (pid ${t.pid}) writes no heartbeat`;
    case 'dead':
      return `copy_archivelog died (pid ${t.pid})`;
    case 'stopped':
      return `copy_archivelog was stopped at ${localTime(t.stoppedAt ?? '')}`;
    case 'never_run':
      return 'copy_archivelog has not run';
  }
}

type Partial = Omit<DatabaseStatus, 'status' | 'conditions'>;

export function evaluateConditions(s: Partial, f: Facts, th: Thresholds, now: Date): Condition[] {
  const out: Condition[] = [];
  const { backup, transport, tools, standby } = s;
  const nothing = !f.cutoff && !f.ship && !f.backupProgress && Object.values(tools).every((t) => t.state === 'never_run');
  if (nothing) return [{ id: 'no_state', severity: 'UNKNOWN', summary: `no state yet for ${s.sid} in ${f.stateDir}: has copy_archivelog been started (orquestra_dr)?` }];

  for (const tool of ['copy_archivelog', 'hot_backup_ts', 'apply_standby'] as const) {
    const c = toolDead(tool, tools[tool]);
    if (c) out.push(c);
  }

  // Shipping: when did the shipper last complete a pass?
  const ship = tools.copy_archivelog;
  const passAge = transport.lastPassAgeSeconds;
  if (passAge !== null) {
    const sev = level(passAge, th.shippingStoppedSeconds);
    if (sev) out.push({ id: 'shipping_stopped', severity: sev, summary: `shipping stopped: the last completed pass was ${humanSeconds(passAge)} ago (${shipperState(ship, f.errorTail)})` });
  } else {
    const since = ship.state === 'running' && ship.startedAt ? Math.max(0, Math.round((now.getTime() - Date.parse(ship.startedAt)) / 1000)) : null;
    const sev = ship.state === 'running' || ship.state === 'stale' ? level(since, th.shippingStoppedSeconds) : 'CRITICAL';
    if (sev) out.push({ id: 'shipping_stopped', severity: sev, summary: `shipping stopped: copy_archivelog has not completed a pass (${shipperState(ship, f.errorTail)})` });
  }

  if (transport.gaps.length) {
    const g = transport.gaps[0];
    const more = transport.gaps.length > 1 ? ` and ${transport.gaps.length - 1} more` : '';
    out.push({ id: 'gap', severity: 'CRITICAL', summary: `archived-log gap: ${gapText(g)}${more}: the standby cannot recover past it` });
  }
  if (standby.configured && standby.gaps.length) {
    const g = standby.gaps[0]!;
    const more = standby.gaps.length > 1 ? ` and ${standby.gaps.length - 1} more` : '';
    out.push({ id: 'standby_gap', severity: 'WARNING', summary: `the standby waits for thread ${g.thread} sequence ${g.sequence}: ${g.detail}${more}` });
  }

  const lagSev = higher(level(transport.lagSeconds, th.transportLagSeconds), level(transport.lagSequences, th.transportLagSequences));
  if (lagSev) {
    const per = transport.threads.map((t) => `thread ${t.thread} archived ${t.archivedSequence ?? '?'}, shipped ${t.shippedSequence ?? 'none'}`).join('; ');
    const secs = transport.lagSeconds !== null ? `${humanSeconds(transport.lagSeconds)}, ` : '';
    out.push({ id: 'transport_lag', severity: lagSev, summary: `transport lag ${secs}${transport.lagSequences} sequence(s) (${per})` });
  }

  if (backup.inBackupMode.length) {
    const oldest = backup.inBackupMode.reduce((m, x) => ((x.seconds ?? 0) > (m.seconds ?? 0) ? x : m));
    const hot = tools.hot_backup_ts;
    const names = backup.inBackupMode.map((x) => x.name).join(', ');
    if (hot.state === 'running' || hot.state === 'stale') {
      const sev = level(oldest.seconds, th.backupModeSeconds);
      if (sev) out.push({ id: 'backup_mode', severity: sev, summary: `tablespace ${oldest.name} in backup mode for ${humanSeconds(oldest.seconds ?? 0)} (hot_backup_ts pid ${hot.pid} still copying)` });
    } else {
      out.push({
        id: 'backup_mode',
        severity: 'CRITICAL',
        summary: `tablespace(s) ${names} may be left in backup mode (since ${localTime(oldest.since ?? '')}) while hot_backup_ts is not running: re-run hot_backup_ts, or END BACKUP by hand`,
      });
    }
  }

  for (const d of transport.archiveDests?.dests ?? []) {
    if (['ERROR', 'FULL', 'DISABLED', 'BAD PARAM'].includes(d.status)) {
      out.push({ id: `archive_dest:${d.destId}`, severity: 'CRITICAL', summary: `archive destination ${d.destId} (${d.destination}) is ${d.status}${d.error ? `: ${d.error}` : ''}: the archiver may be stuck` });
      continue;
    }
    const sev = level(d.usedPercent, th.archiveDestUsedPercent);
    if (sev) out.push({ id: `archive_dest:${d.destId}`, severity: sev, summary: `archive destination ${d.destId} (${d.destination}) is ${d.usedPercent}% full (${humanBytes(d.freeBytes ?? 0)} free)` });
  }
  const ra = transport.archiveDests?.recoveryArea;
  if (ra) {
    const sev = level(ra.usedPercent, th.archiveDestUsedPercent);
    if (sev) out.push({ id: 'recovery_area', severity: sev, summary: `fast recovery area ${ra.name} is ${ra.usedPercent}% used (reclaimable space counted as free)` });
  }

  const r = backup.lastRun;
  const hotRunning = tools.hot_backup_ts.state === 'running' || tools.hot_backup_ts.state === 'stale';
  if (r && r.exitCode !== 0 && !hotRunning) {
    const at = localTime(r.finishedAt);
    out.push(
      r.exitCode === 130
        ? { id: 'hot_backup_failed', severity: 'WARNING', summary: `hot_backup_ts was interrupted at ${at}${r.message ? `: ${r.message}` : ''}` }
        : { id: 'hot_backup_failed', severity: 'CRITICAL', summary: `hot_backup_ts failed (exit ${r.exitCode}) at ${at}${r.message ? `: ${r.message}` : ''}` },
    );
  }

  if (standby.configured) {
    const sev = higher(level(standby.lagSeconds, th.applyLagSeconds), level(standby.lagSequences, th.applyLagSequences));
    if (sev) out.push({ id: 'apply_lag', severity: sev, summary: `apply lag ${standby.lagSeconds !== null ? `${humanSeconds(standby.lagSeconds)}, ` : ''}${standby.lagSequences ?? '?'} sequence(s)` });
    if (standby.lastError) out.push({ id: 'apply_error', severity: 'WARNING', summary: `standby apply error: ${standby.lastError}` });
    const a = standby.drArchive;
    const full = a && level(a.usedPercent, th.archiveDestUsedPercent);
    if (a && full) out.push({ id: 'dr_archive_dir', severity: full, summary: `DR archive directory ${a.dir} is ${a.usedPercent}% full (${humanBytes(a.availBytes)} free): shipping stops when it is full; apply behind, or standby.housekeeping.retention_hours too long?` });
  }

  return out.sort((a, b) => RANK[b.severity] - RANK[a.severity]);
}
