// Findings about the redo production writes: ARCHIVELOG, FORCE LOGGING, NOLOGGING changes
// since the standby copy began, and datafiles in backup mode (facts §1, §3, §4 NOLOGGING).
import { ok, problem, skip, type Finding } from './finding.ts';

export interface CheckDatafile {
  fileId: number;
  name: string;
  bytes: number;
  /** V$DATAFILE.UNRECOVERABLE_CHANGE# (0: never); updated only in ARCHIVELOG mode. */
  unrecoverableScn: bigint;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function logModeFindings(db: { logMode: string; forceLogging: string }): Finding[] {
  return [
    db.logMode === 'ARCHIVELOG'
      ? ok('archivelog', 'the database is in ARCHIVELOG mode')
      : problem(
          'archivelog',
          'FAIL',
          `the database is in ${db.logMode} mode: no redo is archived, so the standby cannot be recovered and BEGIN BACKUP fails (ORA-01123)`,
          'in a maintenance window: SHUTDOWN IMMEDIATE; STARTUP MOUNT; ALTER DATABASE ARCHIVELOG; ALTER DATABASE OPEN;',
        ),
    db.forceLogging === 'YES'
      ? ok('force_logging', 'FORCE LOGGING is on: NOLOGGING operations write full redo')
      : problem(
          'force_logging',
          'WARN',
          'FORCE LOGGING is off: a NOLOGGING operation (direct-path load, CREATE INDEX ... NOLOGGING) leaves blocks the standby cannot recover (ORA-01578/ORA-26040 when read)',
          'ALTER DATABASE FORCE LOGGING; (online; NOLOGGING operations then write full redo)',
        ),
  ];
}

/**
 * Files with an unrecoverable change after the cutoff SCN of this backup cycle (the earliest
 * point any copy of this cycle can start from): their standby blocks would be corrupt. A file
 * copied after its NOLOGGING change would be fine, so this errs on the safe side.
 */
export function nologgingFinding(files: CheckDatafile[], cutoff: bigint | undefined, newCycle = false): Finding {
  if (newCycle) return skip('nologging', 'not checked: a new backup cycle starts now (--new-cycle): every datafile is copied again');
  if (cutoff === undefined) return skip('nologging', 'not checked: no backup cycle yet (no cutoff SCN recorded), so no standby copy to compare with');
  const hit = files.filter((f) => f.unrecoverableScn > cutoff);
  if (hit.length === 0) return ok('nologging', `no NOLOGGING change since the standby copy began (cutoff SCN ${cutoff}; V$DATAFILE.UNRECOVERABLE_CHANGE#)`);
  const list = hit.map((f) => `file ${f.fileId} '${f.name}' at SCN ${f.unrecoverableScn}`).join(', ');
  return problem(
    'nologging',
    'FAIL',
    `${plural(hit.length, 'datafile')} changed by NOLOGGING since the standby copy began (cutoff SCN ${cutoff}): ${list}; those blocks are unrecoverable on the standby (ORA-01578/ORA-26040 when read)`,
    'ALTER DATABASE FORCE LOGGING; then copy the files again in a new backup cycle (orquestra_dr --new-cycle)',
  );
}

export interface BackupOwner {
  /** pid of the hot_backup_ts of this database that holds its lock now. */
  hotBackupPid?: number;
  /** Tablespaces whose BEGIN BACKUP an earlier hot_backup_ts recorded and did not end (its in-flight file). */
  inflight?: string[];
}

/** `active`: FILE# of the files V$BACKUP shows ACTIVE. */
export function backupModeFinding(active: number[], owner: BackupOwner): Finding {
  if (active.length === 0) return ok('backup_mode', 'no datafile is in backup mode (V$BACKUP)');
  const n = plural(active.length, 'datafile');
  if (owner.hotBackupPid) return ok('backup_mode', `${n} in backup mode by the running hot_backup_ts (pid ${owner.hotBackupPid})`);
  if (owner.inflight?.length)
    return problem(
      'backup_mode',
      'WARN',
      `${n} in backup mode, left by an interrupted hot_backup_ts (tablespaces ${owner.inflight.join(', ')}): redo carries full block images until it ends`,
      'run hot_backup_ts (or orquestra_dr) again: it ends or resumes its own backup windows',
    );
  return problem(
    'backup_mode',
    'FAIL',
    `${active.length === 1 ? `datafile ${active[0]} is` : `datafiles ${active.join(', ')} are`} in backup mode, not by this suite (a DBA's BEGIN BACKUP, a snapshot script?): hot_backup_ts refuses to take over such a window`,
    'find who began it; once nothing copies those files: ALTER DATABASE END BACKUP;',
  );
}
