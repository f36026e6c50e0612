// The monitor window: the status document (lib/status/snapshot.ts, the same one status.ts
// prints) drawn for a person on 80x24. Pure: status in, lines out.
import type { DrConfig } from './config/index.ts';
import { formatError } from './errors.ts';
import { formatTimestamp } from './log.ts';
import { keyPart } from './state.ts';
import { humanBytes, humanSeconds, localTime } from './status/format.ts';
import { collectStatus } from './status/snapshot.ts';
import type { DatabaseStatus } from './status/types.ts';

export { humanBytes };

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

export function hotBackupLine(s: DatabaseStatus): string {
  const t = s.tools.hot_backup_ts;
  if (t.state === 'running') return `running (pid ${t.pid})`;
  if (t.state === 'stale') return `NOT RESPONDING (pid ${t.pid}, no heartbeat for ${humanSeconds(t.heartbeatAgeSeconds ?? 0)})`;
  if (t.state === 'dead') return `DIED (pid ${t.pid})`;
  const r = s.backup.lastRun;
  if (!r) return 'not running';
  const at = localTime(r.finishedAt).slice(11);
  return r.exitCode === 0 ? `finished ${at}` : `FAILED (exit ${r.exitCode}) ${at}: ${r.message ?? ''}`;
}

export function shipperLine(s: DatabaseStatus): string {
  const t = s.tools.copy_archivelog;
  const age = s.transport.lastPassAgeSeconds;
  const pass = age !== null ? `, last pass ${humanSeconds(age)} ago` : '';
  if (t.state === 'running') return `shipping (pid ${t.pid})${pass}`;
  if (t.state === 'stale') return `shipper NOT RESPONDING (pid ${t.pid})${pass}`;
  if (t.state === 'dead') return `shipper DIED (pid ${t.pid})${pass}`;
  return `shipper not running${pass}`;
}

/** Where a gap's log still exists, in a word or three. */
const WHERE = { production: 'only in ASM', rman_backup: 'only in an RMAN backup', nowhere: 'exists nowhere' } as const;

export function standbyLine(s: DatabaseStatus): string {
  const b = s.standby;
  if (!b.configured) return 'STANDBY  apply not configured (no report from apply_standby)';
  const applied = b.threads.map((t) => `thread ${t.thread} seq ${t.appliedSequence ?? 'none'}`).join(', ');
  const lag = `${b.lagSequences ?? '?'} behind${b.lagSeconds !== null ? `, ${humanSeconds(b.lagSeconds)}` : ''}`;
  return `STANDBY  applied ${applied} (${lag}), consistent ${b.consistent ? 'yes' : 'no'}${b.lastError ? `, ERROR: ${b.lastError}` : ''}`;
}

/** "  DR archive dir: used 42% (58.0 GiB free) in /u12/arch", once housekeeping has looked at it. */
export function drArchiveLine(s: DatabaseStatus): string | undefined {
  const a = s.standby.configured ? s.standby.drArchive : undefined;
  return a && `  DR archive dir: used ${a.usedPercent}% (${humanBytes(a.availBytes)} free) in ${a.dir}`;
}

/** "  refresh of the DR copy: 2.1 MiB sent for 600.0 MiB of files so far (0.4 %)" */
export function transferLine(t: NonNullable<DatabaseStatus['backup']['transfer']>): string {
  const what = t.kind === 'refresh' ? 'refresh of the DR copy' : 'full copy';
  if (!t.fileBytes) return `  ${what}`;
  return `  ${what}: ${humanBytes(t.sentBytes)} sent for ${humanBytes(t.fileBytes)} of files so far (${((t.sentBytes / t.fileBytes) * 100).toFixed(1)} %)`;
}

export function renderMonitor(s: DatabaseStatus, now: Date, width = 80, height = 24): string[] {
  const L: string[] = [];
  const b = s.backup;
  L.push(`${s.session}  ${s.sid}  ${formatTimestamp(now)}  cutoff SCN ${b.cutoffScn ?? '(not recorded)'}`);
  const n = s.conditions.length;
  L.push(n ? `STATUS ${s.status}${n > 1 ? ` (${n} problems)` : ''}: ${s.conditions[0].summary}` : `STATUS ${s.status}`);
  L.push('');
  L.push(`HOT BACKUP  ${hotBackupLine(s)}`);
  const t = b.tablespaces;
  if (b.bytes) {
    L.push(`  tablespaces: ${t.done} done, ${t.inBackupMode} in backup mode, ${t.pending} pending, ${t.failed} failed`);
    const pct = b.bytes.total ? Math.floor((b.bytes.done / b.bytes.total) * 100) : 100;
    const eta = b.etaSeconds === null ? '--:--:--' : hms(b.etaSeconds);
    L.push(`  copied ${humanBytes(b.bytes.done)} of ${humanBytes(b.bytes.total)} (${pct}%)  ${humanBytes(b.rateBytesPerSec ?? 0)}/s  ETA ${eta}`);
    const bar = Math.max(10, width - 4);
    const fill = Math.round((pct / 100) * bar);
    L.push(`  [${'#'.repeat(fill)}${'.'.repeat(bar - fill)}]`);
    if (b.transfer) L.push(transferLine(b.transfer));
  } else {
    L.push(`  tablespaces: ${t.done} done; no copy has started yet`);
  }
  if (b.containers) L.push(listFit('  containers: ', b.containers.map((k) => (k.openMode === 'READ WRITE' ? k.name : `${k.name} (${k.openMode})`)), width));
  L.push(listFit('  in backup mode: ', b.inBackupMode.length ? b.inBackupMode.map((x) => x.name) : ['none'], width));
  L.push('');
  L.push(`ARCHIVED LOGS  ${shipperLine(s)}`);
  if (s.transport.observedAt) {
    for (const th of s.transport.threads.slice(0, 3)) {
      const lag = th.lagSequences !== null ? `  (${th.lagSequences} behind${th.lagSeconds !== null ? `, ${humanSeconds(th.lagSeconds)}` : ''})` : '';
      L.push(`  thread ${th.thread}: production at sequence ${th.productionSequence ?? '?'}, shipped through ${th.shippedSequence ?? 'none'}${lag}`);
    }
    L.push(s.transport.gaps.length ? listFit('  GAP: ', s.transport.gaps.map((g) => `thread ${g.thread} seq ${g.sequence}${g.where ? ` (${WHERE[g.where]})` : ''}`), width) : '  gaps: none');
  } else {
    L.push('  no pass yet');
  }
  if (b.consistentPoint) L.push(`  standby consistent after ${b.consistentPoint.threads.map((x) => `thread ${x.thread} seq ${x.sequence}`).join(', ')} (SCN ${b.consistentPoint.scn})`);
  L.push(standbyLine(s));
  if (s.standby.configured && s.standby.gaps.length) {
    L.push(listFit('  NOT ON DR: ', s.standby.gaps.map((g) => `thread ${g.thread} seq ${g.sequence} (${g.state === 'missing_on_dr' ? 'lost on DR, shipping again' : 'transfer failed, retried'})`), width));
  }
  const archive = drArchiveLine(s);
  if (archive) L.push(archive);
  L.push('');
  L.push(`LAST ERRORS (log/errors.${keyPart(s.sid)}.log)`);
  const room = Math.max(1, height - L.length);
  const errs = s.lastErrors.length ? s.lastErrors.slice(-room) : ['  none'];
  L.push(...errs.map((e) => (e.startsWith('  ') ? e : `  ${e}`)));
  return L.slice(0, height).map((l) => (l.length > width ? l.slice(0, width - 1) + '~' : l));
}

/** One refresh of the window: the status drawn, or why it cannot be read (the window stays up). */
export function monitorScreen(config: DrConfig, now: Date, width = 80, height = 24): string[] {
  try {
    return renderMonitor(collectStatus(config, now), now, width, height);
  } catch (err) {
    const wrap = (l: string) => (l.length <= width ? [l] : Array.from({ length: Math.ceil(l.length / width) }, (_, i) => l.slice(i * width, (i + 1) * width)));
    const lines = [`${config.tmux.session}  ${config.oracle.sid}  ${formatTimestamp(now)}`, '', 'STATUS UNKNOWN: the state files cannot be read', ...formatError(err).split('\n').flatMap(wrap)];
    return lines.slice(0, height);
  }
}
