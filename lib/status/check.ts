// status.ts --check: one line and an exit code for Nagios, Icinga, Zabbix or any monitoring
// that runs a command (plugin guidelines: `SERVICE STATUS - text | perfdata`, exit 0 OK,
// 1 WARNING, 2 CRITICAL, 3 UNKNOWN). Perfdata thresholds are the config's (value above
// `warning` warns), in the plugin range syntax where "N" means "alert above N".
import path from 'node:path';
import type { Thresholds } from '../config/index.ts';
import { humanSeconds } from './format.ts';
import type { DatabaseStatus, Severity, Unreadable } from './types.ts';
import { worst } from './conditions.ts';

export const EXIT_OF: Record<Severity, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

function okText(s: DatabaseStatus): string {
  const t = s.transport;
  const threads = t.threads.map((x) => `thread ${x.thread} through ${x.shippedSequence ?? 'none'}`).join(', ') || 'no thread yet';
  const lag = `lag ${t.lagSeconds !== null ? humanSeconds(t.lagSeconds) : '?'}, ${t.lagSequences ?? '?'} sequence(s)`;
  return `shipped ${threads}, ${lag}; backup cycle ${s.backup.cycle}`;
}

/** One line about one database: its problems, or what is shipped and the backup cycle. */
export function summaryOf(s: DatabaseStatus): string {
  return s.conditions.length ? s.conditions.map((c) => c.summary).join('; ') : okText(s);
}

const num = (v: number | null, unit = ''): string => (v === null ? 'U' : `${v}${unit}`);

function perfdata(s: DatabaseStatus, th: Thresholds, prefix: string): string[] {
  const p = (label: string, value: string, warn = '', crit = '', min = '0', max = '') =>
    `${prefix}${label}=${value};${warn};${crit};${min}${max ? `;${max}` : ''}`;
  const t = s.transport;
  const inMode = s.backup.inBackupMode.reduce<number>((m, x) => Math.max(m, x.seconds ?? 0), 0);
  const used = [...(t.archiveDests?.dests ?? []).map((d) => d.usedPercent), t.archiveDests?.recoveryArea?.usedPercent ?? null].filter((x): x is number => x !== null);
  const out = [
    p('transport_lag_seconds', num(t.lagSeconds, 's'), String(th.transportLagSeconds.warning), String(th.transportLagSeconds.critical)),
    p('transport_lag_sequences', num(t.lagSequences), String(th.transportLagSequences.warning), String(th.transportLagSequences.critical)),
    p('last_pass_age', num(t.lastPassAgeSeconds, 's'), String(th.shippingStoppedSeconds.warning), String(th.shippingStoppedSeconds.critical)),
    p('gaps', String(t.gaps.length), '', '0'),
    p('in_backup_mode', String(s.backup.inBackupMode.length)),
    p('backup_mode_max', `${inMode}s`, String(th.backupModeSeconds.warning), String(th.backupModeSeconds.critical)),
    p('archive_dest_used', used.length ? `${Math.max(...used)}%` : 'U', String(th.archiveDestUsedPercent.warning), String(th.archiveDestUsedPercent.critical), '0', '100'),
  ];
  if (s.standby.configured) {
    out.push(p('apply_lag_seconds', num(s.standby.lagSeconds, 's'), String(th.applyLagSeconds.warning), String(th.applyLagSeconds.critical)));
    out.push(p('apply_lag_sequences', num(s.standby.lagSequences), String(th.applyLagSequences.warning), String(th.applyLagSequences.critical)));
  }
  return out;
}

/** The plugin output (one line) and its exit code, for one or several databases (and, with status --all, configurations that could not be read). */
export function renderCheck(dbs: { status: DatabaseStatus; thresholds: Thresholds }[], unreadable: Unreadable[] = []): { line: string; exitCode: number } {
  const overall = worst([...dbs.map((d) => ({ severity: d.status.status })), ...unreadable.map(() => ({ severity: 'UNKNOWN' as const }))]);
  const several = dbs.length + unreadable.length > 1 || dbs.length === 0;
  const parts = [
    ...dbs.map((d) => `${d.status.sid}: ${d.status.status === 'OK' ? 'OK' : summaryOf(d.status)}`),
    ...unreadable.map((u) => `${u.sid ?? path.basename(u.config)}: UNKNOWN (${u.error})`),
  ];
  const body = several ? parts.join('; ') : summaryOf(dbs[0].status);
  const head = several ? `DR ${overall}` : `DR ${dbs[0].status.sid} ${overall}`;
  const perf = dbs.flatMap((d) => perfdata(d.status, d.thresholds, several ? `${d.status.sid}_` : ''));
  // '|' starts the perfdata and a newline ends the first line: neither may appear in the text
  return { line: `${head} - ${body.replace(/\|/g, '/').replace(/\s*\n\s*/g, ' ')} | ${perf.join(' ')}`, exitCode: EXIT_OF[overall] };
}
