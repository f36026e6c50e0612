// The monitor window: a view built only from state and log files, so it never adds load to
// production. collectSnapshot reads; renderMonitor is pure and fits 80x24.
import fs from 'node:fs';
import path from 'node:path';
import type { DrConfig } from './config/index.ts';
import { readResult, type ToolResult } from './context.ts';
import { readLockHolder } from './lock.ts';
import { formatTimestamp } from './log.ts';
import { readJsonIfExists, readTextIfExists, StateFiles } from './state.ts';
import type { BackupProgress } from './backup/progress.ts';
import type { DoneMarker } from './backup/plan.ts';

export interface ArchProgress {
  updatedAt: string;
  cutoffScn: string;
  shippedTotal: number;
  threads: { thread: number; productionSequence: number | null; lastShipped: number | null }[];
  gaps: { thread: number; sequence: number; reason: string }[];
}

export interface Snapshot {
  session: string;
  sid: string;
  now: Date;
  cutoff?: string;
  backupPid?: number;
  backup?: BackupProgress;
  backupResult?: ToolResult;
  doneCount: number;
  inBackupMode: string[];
  archPid?: number;
  arch?: ArchProgress;
  consistent?: { scn: string; threads: { thread: number; sequence: number }[] };
  lastErrors: string[];
}

export function collectSnapshot(config: DrConfig, now = new Date()): Snapshot {
  const state = new StateFiles(config.dirs.state, config.oracle.sid);
  const cutoff = readTextIfExists(state.scnCutoff())?.trim();
  const live = (tool: string) => {
    const h = readLockHolder(state.lock(tool));
    return h?.alive ? h.pid : undefined;
  };
  let doneCount = 0;
  if (fs.existsSync(state.dir)) {
    for (const f of fs.readdirSync(state.dir)) {
      if (!/^ts_.*\.done$/.test(f)) continue;
      const m = readJsonIfExists<DoneMarker>(path.join(state.dir, f));
      if (m && m.cutoffScn === cutoff) doneCount++;
    }
  }
  const inflight = readJsonIfExists<{ tablespaces: string[] }>(state.inflight('hot_backup_ts'));
  const errorsText = readTextIfExists(path.join(config.dirs.log, 'errors.log')) ?? '';
  return {
    session: config.tmux.session,
    sid: config.oracle.sid,
    now,
    cutoff,
    backupPid: live('hot_backup_ts'),
    backup: readJsonIfExists<BackupProgress>(state.progress('hot_backup_ts')),
    backupResult: readResult(state, 'hot_backup_ts'),
    doneCount,
    inBackupMode: inflight?.tablespaces ?? [],
    archPid: live('copy_archivelog'),
    arch: readJsonIfExists<ArchProgress>(state.progress('copy_archivelog')),
    consistent: ((c) => (c && c.cutoffScn === cutoff ? c : undefined))(readJsonIfExists<{ scn: string; cutoffScn: string; threads: { thread: number; sequence: number }[] }>(state.consistentPoint())),
    lastErrors: errorsText.split('\n').filter(Boolean).slice(-4),
  };
}

export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

function hms(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
}

function listFit(prefix: string, items: string[], width: number): string {
  let out = prefix;
  for (let i = 0; i < items.length; i++) {
    const more = ` (+${items.length - i} more)`;
    const piece = (i ? ', ' : '') + items[i];
    if (out.length + piece.length + (i < items.length - 1 ? more.length : 0) > width) return out + more;
    out += piece;
  }
  return out;
}

export function renderMonitor(s: Snapshot, width = 80, height = 24): string[] {
  const L: string[] = [];
  const ts = formatTimestamp(s.now);
  L.push(`${s.session}  ${s.sid}  ${ts}  cutoff SCN ${s.cutoff ?? '(not recorded)'}`);
  L.push('');
  const b = s.backup;
  const r = s.backupResult;
  const at = r ? formatTimestamp(new Date(r.finishedAt)).slice(11) : '';
  const ended = r ? (r.exitCode === 0 ? `finished ${at}` : `FAILED (exit ${r.exitCode}) ${at}: ${r.message ?? ''}`) : 'not running';
  L.push(`HOT BACKUP  ${s.backupPid ? `running (pid ${s.backupPid})` : ended}`);
  if (b) {
    const states = Object.values(b.tablespaces);
    const failed = states.filter((x) => x === 'failed').length;
    const pending = Math.max(0, states.length - states.filter((x) => x === 'done').length - failed - s.inBackupMode.length);
    L.push(`  tablespaces: ${s.doneCount} done, ${s.inBackupMode.length} in backup mode, ${pending} pending, ${failed} failed`);
    const pct = b.totalBytes ? Math.floor((b.doneBytes / b.totalBytes) * 100) : 100;
    const eta = b.etaSeconds === null ? '--:--:--' : hms(b.etaSeconds);
    L.push(`  copied ${humanBytes(b.doneBytes)} of ${humanBytes(b.totalBytes)} (${pct}%)  ${humanBytes(b.rateBytesPerSec)}/s  ETA ${eta}`);
    const bar = Math.max(10, width - 4);
    const fill = Math.round((pct / 100) * bar);
    L.push(`  [${'#'.repeat(fill)}${'.'.repeat(bar - fill)}]`);
  } else {
    L.push(`  tablespaces: ${s.doneCount} done; no copy has started yet`);
  }
  L.push(listFit('  in backup mode: ', s.inBackupMode.length ? s.inBackupMode : ['none'], width));
  L.push('');
  L.push(`ARCHIVED LOGS  ${s.archPid ? `shipping (pid ${s.archPid})` : 'shipper not running'}`);
  if (s.arch) {
    for (const t of s.arch.threads.slice(0, 3)) {
      const lag = t.productionSequence !== null && t.lastShipped !== null ? t.productionSequence - 1 - t.lastShipped : null;
      L.push(`  thread ${t.thread}: production at sequence ${t.productionSequence ?? '?'}, shipped through ${t.lastShipped ?? 'none'}${lag !== null ? `  (${lag} behind)` : ''}`);
    }
    L.push(s.arch.gaps.length ? listFit('  GAP: ', s.arch.gaps.map((g) => `thread ${g.thread} seq ${g.sequence}`), width) : '  gaps: none');
  } else {
    L.push('  no pass yet');
  }
  if (s.consistent) L.push(`  standby consistent after ${s.consistent.threads.map((t) => `thread ${t.thread} seq ${t.sequence}`).join(', ')} (SCN ${s.consistent.scn})`);
  L.push('');
  L.push('LAST ERRORS (log/errors.log)');
  const room = Math.max(1, height - L.length);
  const errs = s.lastErrors.length ? s.lastErrors.slice(-room) : ['  none'];
  L.push(...errs.map((e) => (e.startsWith('  ') ? e : `  ${e}`)));
  return L.slice(0, height).map((l) => (l.length > width ? l.slice(0, width - 1) + '~' : l));
}
