// Finding (optional, check.dr_instance.enabled): the state of the DR instance, asked with
// `sqlplus -s -L / as sysdba` on the DR host (over ssh) — idle, mounted as a standby of this
// database, or another database (wrong DBID: shipping there would mix two databases).
import { ok, problem, skip, type Finding } from './finding.ts';

export type DrInstanceState =
  | { state: 'idle' }
  | { state: 'nomount' }
  | { state: 'up'; dbid: string; name: string; controlfileType: string; openMode: string }
  | { state: 'error'; text: string };

/** The marker of the one answer row of DR_INSTANCE_SCRIPT. */
const MARK = 'DRCHECK|';

/** Sent to the DR sqlplus on stdin. V$DATABASE (facts §3): DBID, NAME, CONTROLFILE_TYPE, OPEN_MODE. */
export const DR_INSTANCE_SCRIPT =
  'SET PAGESIZE 0 FEEDBACK OFF HEADING OFF LINESIZE 400 TRIMOUT ON\n' +
  `SELECT '${MARK}' || TO_CHAR(dbid) || '|' || name || '|' || controlfile_type || '|' || open_mode FROM v$database;\n` +
  'EXIT\n';

export function parseDrInstance(output: string): DrInstanceState {
  const row = output.split('\n').find((l) => l.startsWith(MARK));
  if (row) {
    const [dbid, name, controlfileType, openMode] = row.slice(MARK.length).trim().split('|');
    return { state: 'up', dbid: dbid!, name: name!, controlfileType: controlfileType!, openMode: openMode! };
  }
  if (/^ORA-01034\b/m.test(output)) return { state: 'idle' };
  if (/^ORA-01507\b/m.test(output)) return { state: 'nomount' };
  const ora = output.split('\n').filter((l) => /^(ORA|SP2)-\d+/.test(l));
  return { state: 'error', text: (ora.length ? ora : output.trim().split('\n').slice(-2)).join(' | ') };
}

const MOUNT = 'on the DR host: STARTUP NOMOUNT; ALTER DATABASE MOUNT STANDBY DATABASE; (with the standby controlfile hot_backup_ts shipped)';

/** `s` undefined: not asked (check.dr_instance.enabled is false). */
export function drInstanceFinding(s: DrInstanceState | undefined, prod: { dbid: string; name: string }, sid: string): Finding {
  const id = 'dr_instance';
  if (!s) return skip(id, 'not checked (check.dr_instance.enabled is false)');
  switch (s.state) {
    case 'idle':
      return problem(id, 'WARN', `the DR instance ${sid} is not started (idle): nothing can apply the shipped logs`, MOUNT);
    case 'nomount':
      return problem(id, 'WARN', `the DR instance ${sid} is started but not mounted (ORA-01507)`, MOUNT);
    case 'error':
      return problem(id, 'FAIL', `cannot ask the DR instance ${sid}: ${s.text}`, 'check check.dr_instance.oracle_sid and oracle_home, and that the ssh user may run sqlplus / as sysdba there (dba group)');
    case 'up':
      if (s.dbid !== prod.dbid)
        return problem(
          id,
          'FAIL',
          `the DR instance ${sid} is database ${s.name} (DBID ${s.dbid}), not a standby of ${prod.name} (DBID ${prod.dbid})`,
          'check.dr_instance.oracle_sid and oracle_home must name the standby of this database; never ship these files over another database',
        );
      if (s.controlfileType !== 'STANDBY')
        return problem(
          id,
          'FAIL',
          `the DR instance ${sid} is ${prod.name} with a ${s.controlfileType} controlfile (${s.openMode}), not a standby: it can no longer apply production's redo`,
          `a database opened or mounted without the standby controlfile must be built again: shut it down, then ${MOUNT}`,
        );
      if (s.openMode !== 'MOUNTED')
        return problem(id, 'WARN', `the DR instance ${sid} is a standby of ${prod.name} open ${s.openMode} (a drill?): redo is not applied while it is open`, 'when the drill is over: SHUTDOWN IMMEDIATE; then ' + MOUNT);
      return ok(id, `the DR instance ${sid} is mounted as a standby of ${prod.name} (DBID ${prod.dbid})`);
  }
}
