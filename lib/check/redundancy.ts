// Findings about what protects production itself and bounds the data lost: mirrored control
// files and online redo members (/work/shared/seeds background note: a control file lost stops
// the database, an unmirrored redo member lost loses committed changes), and
// ARCHIVE_LAG_TARGET (Reference 19c: forces a log switch after that many seconds; 0 disables
// it; "typical, or recommended value is 1800"; range 0 or 60..7200).
import fs from 'node:fs';
import path from 'node:path';
import { ok, problem, type Finding } from './finding.ts';

/** The filesystem (device number) a path is on: stat of the path or its nearest existing parent. */
export type DeviceOf = (p: string) => number | undefined;

export const deviceOfPath: DeviceOf = (p) => {
  for (let d = p; ; d = path.dirname(d)) {
    try {
      return fs.statSync(d).dev;
    } catch {
      if (d === path.dirname(d)) return undefined;
    }
  }
};

export const RECOMMENDED_LAG_SECONDS = 900;

/** `value`: V$PARAMETER.VALUE of archive_lag_target (undefined: no row, as the default 0). */
export function archiveLagFinding(value: string | undefined): Finding {
  const seconds = Number(value ?? '0');
  if (!Number.isFinite(seconds) || seconds <= 0)
    return problem(
      'archive_lag_target',
      'WARN',
      'ARCHIVE_LAG_TARGET is 0: a quiet database may not switch logs for hours, and the standby is only as recent as the last archived log (no bound on the data lost)',
      `ALTER SYSTEM SET archive_lag_target=${RECOMMENDED_LAG_SECONDS} SCOPE=BOTH; (a log switch at least every ${RECOMMENDED_LAG_SECONDS / 60} min: RPO about ${RECOMMENDED_LAG_SECONDS / 60} min plus shipping; Oracle suggests 1800, at most 7200 is useful)`,
    );
  return ok('archive_lag_target', `ARCHIVE_LAG_TARGET is ${seconds} s: a log switch at least every ${Math.round(seconds / 60)} min bounds the data lost`);
}

function filesystems(paths: string[], deviceOf: DeviceOf): number {
  return new Set(paths.map((p) => deviceOf(p) ?? `?${p}`)).size;
}

/** `value`: V$PARAMETER control_files, names separated by commas. */
export function controlfileFinding(value: string, deviceOf: DeviceOf): Finding {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length < 2)
    return problem(
      'controlfiles',
      'WARN',
      `${names.length === 1 ? `one control file (${names[0]})` : 'no control file listed in CONTROL_FILES'}: losing it stops the database, and recovering it needs a backup controlfile and RESETLOGS`,
      'mirror it on another filesystem: add a copy to CONTROL_FILES (ALTER SYSTEM SET control_files=... SCOPE=SPFILE), copy the file while the database is down, start it',
    );
  const n = filesystems(names, deviceOf);
  if (n < 2)
    return problem(
      'controlfiles',
      'WARN',
      `the ${names.length} control files are all on one filesystem: one disk lost loses them all`,
      'move a copy to another filesystem: change CONTROL_FILES (SCOPE=SPFILE), move the file while the database is down, start it',
    );
  return ok('controlfiles', `${names.length} control files on ${n} filesystems`);
}

export function redoMembersFinding(groups: { group: number; members: string[] }[], deviceOf: DeviceOf): Finding {
  const weak = groups.filter((g) => g.members.length < 2 || filesystems(g.members, deviceOf) < 2);
  if (weak.length === 0) return ok('redo_members', `every online redo log group (${groups.length}) has members on 2 or more filesystems`);
  return problem(
    'redo_members',
    'WARN',
    `${weak.length} of ${groups.length} online redo log groups have a single member or all members on one filesystem (groups ${weak.map((g) => g.group).join(', ')}): losing that disk loses committed changes not yet archived`,
    "add a member on another filesystem to each: ALTER DATABASE ADD LOGFILE MEMBER '<path>' TO GROUP <n>;",
  );
}
