// Finding per local archive destination: its status, the free space of its filesystem (one
// statfs, lib/archivelog/space.ts) and how many hours of redo that holds at the rate of the
// last hours (V$ARCHIVED_LOG): a warning before the archiver gets stuck and stops production
// (facts §3 "archive stuck"). Limits: thresholds.archive_dest_used_percent (above is bad) and
// thresholds.archive_dest_hours_left (below is bad).
import type { Threshold } from '../config/index.ts';
import type { DestSpace } from '../archivelog/space.ts';
import { humanBytes } from '../status/format.ts';
import { ok, problem, skip, type Finding } from './finding.ts';

export interface SpaceThresholds {
  archiveDestUsedPercent: Threshold;
  /** WARN below `warning` hours, FAIL below `critical`. */
  archiveDestHoursLeft: Threshold;
}

/** Redo archived to one destination over the window (bytes) and how long the window is (seconds). */
export interface RedoRate {
  bytes: number;
  seconds: number;
}

const TODO =
  'free space before the archiver stops production (ORA-00257): delete logs already shipped and backed up (RMAN DELETE ARCHIVELOG), or grow the filesystem (limits: thresholds.archive_dest_used_percent, thresholds.archive_dest_hours_left)';

function span(seconds: number): string {
  return seconds >= 3600 ? `${Math.round(seconds / 3600)} h` : `${Math.max(1, Math.round(seconds / 60))} min`;
}

function hoursText(h: number): string {
  return h >= 1 ? `${Math.floor(h)} h` : `${Math.floor(h * 60)} min`;
}

/** OK / WARN / FAIL for `freeBytes` of space and `usedPercent`, against the redo rate and the thresholds. */
function spaceFinding(id: string, name: string, freeBytes: number, usedPercent: number, redo: RedoRate, t: SpaceThresholds, todo = TODO): Finding {
  const perHour = redo.seconds > 0 ? (redo.bytes / redo.seconds) * 3600 : 0;
  const hours = perHour > 0 ? freeBytes / perHour : Infinity;
  let why = `${name}: ${humanBytes(freeBytes)} free (${usedPercent}% used), `;
  why += perHour > 0 ? `${hoursText(hours)} of redo at the rate of the last ${span(redo.seconds)} (${humanBytes(perHour)}/h)` : `no redo archived in the last ${span(redo.seconds)}`;
  const reasons = (level: 'warning' | 'critical') => [
    ...(usedPercent > t.archiveDestUsedPercent[level] ? [`over ${t.archiveDestUsedPercent[level]}% used`] : []),
    ...(hours < t.archiveDestHoursLeft[level] ? [`less than ${t.archiveDestHoursLeft[level]} h left`] : []),
  ];
  const fail = reasons('critical');
  if (fail.length) return problem(id, 'FAIL', `${why}; ${fail.join(', ')}`, todo);
  const warn = reasons('warning');
  if (warn.length) return problem(id, 'WARN', `${why}; ${warn.join(', ')}`, todo);
  return ok(id, why);
}

export function archiveDestFindings(dests: DestSpace[], redo: RedoRate, t: SpaceThresholds): Finding[] {
  return dests.map((d) => {
    const id = `archive_dest_${d.destId}`;
    const name = `archive destination ${d.destId} (${d.destination})`;
    if (d.status !== 'VALID')
      return problem(
        id,
        'FAIL',
        `${name} is ${d.status} (V$ARCHIVE_DEST.STATUS): the archiver is stuck or skips it${d.error ? `: ${d.error}` : ''}`,
        `fix the destination (space, mount, permissions) so that its STATUS is VALID again; ${TODO}`,
      );
    if (/^USE_DB_RECOVERY_FILE_DEST$/i.test(d.destination)) return skip(id, `not checked here: ${name} is the fast recovery area (finding recovery_area)`);
    if (!d.filesystem) return skip(id, `not checked: ${name} is not a directory on this host (ASM?); watch its space in V$ASM_DISKGROUP`);
    return spaceFinding(id, name, d.filesystem.freeBytes, d.filesystem.usedPercent, redo, t);
  });
}

/** The fast recovery area's quota (V$RECOVERY_FILE_DEST, reclaimable space counted as free), when one is set. */
export function recoveryAreaFinding(ra: { name: string; limitBytes: number; usedBytes: number; reclaimableBytes: number; usedPercent: number }, redo: RedoRate, t: SpaceThresholds): Finding {
  const free = Math.max(0, ra.limitBytes - ra.usedBytes + ra.reclaimableBytes);
  return spaceFinding('recovery_area', `fast recovery area ${ra.name} (quota ${humanBytes(ra.limitBytes)})`, free, ra.usedPercent, redo, t, TODO.replace('or grow the filesystem', 'or raise DB_RECOVERY_FILE_DEST_SIZE (ALTER SYSTEM ... SCOPE=BOTH) if its filesystem has room'));
}
