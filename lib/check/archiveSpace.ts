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
    if (!d.filesystem) return skip(id, `not checked: ${name} is not a directory on this host (ASM?); watch its space in V$ASM_DISKGROUP`);
    const fsInfo = d.filesystem;
    const perHour = redo.seconds > 0 ? (redo.bytes / redo.seconds) * 3600 : 0;
    const hours = perHour > 0 ? fsInfo.freeBytes / perHour : Infinity;
    let why = `${name}: ${humanBytes(fsInfo.freeBytes)} free (${fsInfo.usedPercent}% used), `;
    why += perHour > 0 ? `${hoursText(hours)} of redo at the rate of the last ${span(redo.seconds)} (${humanBytes(perHour)}/h)` : `no redo archived in the last ${span(redo.seconds)}`;
    const reasons = (level: 'warning' | 'critical') => [
      ...(fsInfo.usedPercent > t.archiveDestUsedPercent[level] ? [`over ${t.archiveDestUsedPercent[level]}% used`] : []),
      ...(hours < t.archiveDestHoursLeft[level] ? [`less than ${t.archiveDestHoursLeft[level]} h left`] : []),
    ];
    const fail = reasons('critical');
    if (fail.length) return problem(id, 'FAIL', `${why}; ${fail.join(', ')}`, TODO);
    const warn = reasons('warning');
    if (warn.length) return problem(id, 'WARN', `${why}; ${warn.join(', ')}`, TODO);
    return ok(id, why);
  });
}
