// monitor --all: every database of the configuration directory (lib/status/all.ts) on one
// screen, one block each, most important lines first: its status and problems, the hot backup,
// the shipper and each thread, the standby, its last error. Blocks share the height equally;
// with more databases than fit, each block keeps its first lines, down to one line per
// database, and what still does not fit is counted on the last line. Pure: statuses in, lines out.
import path from 'node:path';
import { formatTimestamp } from './log.ts';
import { drArchiveLine, hotBackupLine, shipperLine, standbyLine } from './monitor.ts';
import type { DrConfig } from './config/index.ts';
import { formatError } from './errors.ts';
import { collectAll, type AllStatus } from './status/all.ts';
import { worst } from './status/conditions.ts';
import { humanSeconds } from './status/format.ts';
import type { DatabaseStatus } from './status/types.ts';

function block(s: DatabaseStatus): string[] {
  const L: string[] = [];
  const n = s.conditions.length;
  L.push(`${s.sid}  ${s.status}${n > 1 ? ` (${n} problems)` : ''}  session ${s.session}  cutoff SCN ${s.backup.cutoffScn ?? '(not recorded)'}`);
  for (const c of s.conditions.slice(0, 2)) L.push(`  ! ${c.summary}`);
  if (n > 2) L.push(`  ! (+${n - 2} more: status --config ${s.config})`);
  const t = s.backup.tablespaces;
  L.push(`  HOT BACKUP ${hotBackupLine(s)}; ${t.done} done, ${t.inBackupMode} in backup mode, ${t.pending} pending, ${t.failed} failed`);
  L.push(`  ARCHIVED LOGS ${shipperLine(s)}`);
  for (const th of s.transport.threads.slice(0, 3)) {
    const lag = th.lagSequences !== null ? ` (${th.lagSequences} behind${th.lagSeconds !== null ? `, ${humanSeconds(th.lagSeconds)}` : ''})` : '';
    L.push(`    thread ${th.thread}: production at sequence ${th.productionSequence ?? '?'}, shipped through ${th.shippedSequence ?? 'none'}${lag}`);
  }
  L.push(`  ${standbyLine(s)}`);
  const archive = drArchiveLine(s);
  if (archive) L.push(`  ${archive}`);
  const last = s.lastErrors[s.lastErrors.length - 1];
  if (last) L.push(`  last error: ${last.trim()}`);
  return L;
}

export function renderMonitorAll(a: AllStatus, now: Date, width = 80, height = 24): string[] {
  const blocks = [
    ...a.dbs.map((d) => block(d.status)),
    ...a.unreadable.map((u) => [`${u.sid ?? path.basename(u.config)}  UNKNOWN  ${path.basename(u.config)}: ${u.error}`]),
  ];
  const overall = worst([...a.dbs.map((d) => ({ severity: d.status.status })), ...a.unreadable.map(() => ({ severity: 'UNKNOWN' as const }))]);
  const out = [`DR  ${blocks.length} database(s)  ${formatTimestamp(now)}  STATUS ${overall}`];
  const room = height - 1;
  const n = blocks.length;
  const spaced = Math.floor((room - (n - 1)) / n); // lines per block with a blank line between blocks
  if (spaced >= 2) {
    blocks.forEach((b, i) => out.push(...(i ? [''] : []), ...b.slice(0, spaced)));
  } else if (n <= room) {
    const per = Math.floor(room / n);
    let extra = room - per * n; // the first blocks get one line more
    for (const b of blocks) out.push(...b.slice(0, per + (extra-- > 0 ? 1 : 0)));
  } else {
    for (const b of blocks.slice(0, room - 1)) out.push(b[0]);
    out.push(`(+${n - (room - 1)} more databases: status --all)`);
  }
  return out.slice(0, height).map((l) => (l.length > width ? l.slice(0, width - 1) + '~' : l));
}

/** One refresh of monitor --all: the configurations listed and read again (a new one shows up), or why they cannot be. */
export function monitorAllScreen(files: () => string[], load: (file: string) => DrConfig, now: Date, width = 80, height = 24): string[] {
  try {
    return renderMonitorAll(collectAll(files(), load, now), now, width, height);
  } catch (err) {
    const wrap = (l: string) => (l.length <= width ? [l] : Array.from({ length: Math.ceil(l.length / width) }, (_, i) => l.slice(i * width, (i + 1) * width)));
    return [`DR  ${formatTimestamp(now)}`, '', 'STATUS UNKNOWN: the configurations cannot be listed', ...formatError(err).split('\n').flatMap(wrap)].slice(0, height);
  }
}
