// Every SQL statement the suite sends to Oracle lives here, each next to what it returns
// and the Oracle fact it relies on (../shared/oracle-facts.md, cited as §n).
// Columns are TO_CHAR'd so large SCNs never reach SQL*Plus number formatting
// (NUMWIDTH would print 1.2346E+13, §5) and every client sees plain strings.

/** Oracle quoted identifier: keeps case and spaces; "" escapes a quote (names with " or NUL are refused). */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.length > 128 || /["\u0000\n\r]/.test(name)) {
    throw new Error(`tablespace name cannot be quoted safely: ${JSON.stringify(name)}`);
  }
  return `"${name}"`;
}

/** Oracle string literal. */
export function quoteLiteral(value: string): string {
  if (/[\u0000\n\r]/.test(value)) throw new Error(`value cannot be used in SQL: ${JSON.stringify(value)}`);
  return `'${value.replace(/'/g, "''")}'`;
}

function scnLiteral(scn: bigint): string {
  if (scn < 0n) throw new Error(`negative SCN ${scn}`);
  return scn.toString();
}

export const SQL = {
  /**
   * 1 row: NAME, DBID, LOG_MODE, OPEN_MODE, DATABASE_ROLE, CONTROLFILE_TYPE, FORCE_LOGGING, CURRENT_SCN, RESETLOGS_CHANGE#,
   * CDB (YES for a container database, 12c+). V$DATABASE §3; CDB: Reference 19c, V$DATABASE.
   */
  database: `SELECT name, TO_CHAR(dbid), log_mode, open_mode, database_role, controlfile_type, force_logging, TO_CHAR(current_scn), TO_CHAR(resetlogs_change#), cdb FROM v$database`,

  /**
   * Container database only, from CDB$ROOT: CON_ID, NAME, OPEN_MODE (READ WRITE | READ ONLY | MOUNTED | MIGRATE) of
   * the root, PDB$SEED and every PDB, open or not (V$CONTAINERS; Reference 19c, V$PDBS/V$CONTAINERS).
   */
  containers: `SELECT TO_CHAR(con_id), name, open_mode FROM v$containers ORDER BY con_id`,

  /**
   * Container database only, from CDB$ROOT: one row per datafile of every container, MOUNTED PDBs included
   * (DBA_ views show the current container only, CDB_ views leave closed PDBs out): CON_ID, tablespace NAME,
   * FILE#, file NAME, BYTES, STATUS, ENABLED (READ ONLY for a read-only tablespace's files), CHECKPOINT_CHANGE#.
   * TS# restarts in every container, so the join needs CON_ID as well (Reference 19c, V$DATAFILE, V$TABLESPACE).
   */
  cdbDatafiles: `SELECT TO_CHAR(d.con_id), t.name, TO_CHAR(d.file#), d.name, TO_CHAR(d.bytes), d.status, d.enabled, TO_CHAR(d.checkpoint_change#) FROM v$datafile d JOIN v$tablespace t ON t.con_id = d.con_id AND t.ts# = d.ts# ORDER BY d.con_id, t.name, d.file#`,

  /** Container database only, from CDB$ROOT: CON_ID, TABLESPACE_NAME, CONTENTS, STATUS of the tablespaces of every container open now (CDB_TABLESPACES). */
  cdbTablespaces: `SELECT TO_CHAR(con_id), tablespace_name, contents, status FROM cdb_tablespaces ORDER BY con_id, tablespace_name`,

  /**
   * Makes `name` the session's current container (quoted: PDB names may be lower case). Inside a PDB, DBA_ views and
   * ALTER TABLESPACE act on that PDB; ARCHIVE LOG CURRENT and CREATE STANDBY CONTROLFILE need CDB$ROOT (ORA-65040)
   * (SQL Language Reference 19c, ALTER SESSION SET CONTAINER; ALTER DATABASE "Notes on Using ALTER DATABASE in a CDB").
   */
  setContainer: (name: string) => `ALTER SESSION SET CONTAINER = ${quoteIdent(name)}`,

  /** 1 row: CURRENT_SCN as text (V$DATABASE.CURRENT_SCN §3; Debezium's currentScnQuery [22]). */
  currentScn: `SELECT TO_CHAR(current_scn) FROM v$database`,

  /**
   * One row per datafile of a permanent or undo tablespace: TABLESPACE_NAME, CONTENTS,
   * tablespace STATUS (ONLINE|OFFLINE|READ ONLY), FILE_ID, FILE_NAME, BYTES.
   * Temporary tablespaces have tempfiles, not datafiles, so they never appear (§1 scope).
   */
  datafiles: `SELECT t.tablespace_name, t.contents, t.status, TO_CHAR(f.file_id), f.file_name, TO_CHAR(f.bytes) FROM dba_tablespaces t JOIN dba_data_files f ON f.tablespace_name = t.tablespace_name ORDER BY t.tablespace_name, f.file_id`,

  /** TABLESPACE_NAME, CONTENTS of every tablespace, temporary ones included (to report what is skipped). */
  tablespaces: `SELECT tablespace_name, contents, status FROM dba_tablespaces ORDER BY tablespace_name`,

  /** 0 or 1 row: STATUS (ONLINE|OFFLINE|READ ONLY) of one tablespace, read again right before its copy (§1 scope). */
  tablespaceStatus: (ts: string) => `SELECT status FROM dba_tablespaces WHERE tablespace_name = ${quoteLiteral(ts)}`,

  /** FILE#, STATUS (ACTIVE = in backup mode), CHANGE# (SCN at BEGIN BACKUP). V$BACKUP §1. */
  backupStatus: `SELECT TO_CHAR(file#), status, TO_CHAR(change#) FROM v$backup ORDER BY file#`,

  /** Puts the tablespace's files in backup mode: header SCN frozen, full block images in redo (§1). Needs ARCHIVELOG (ORA-01123). */
  beginBackup: (ts: string) => `ALTER TABLESPACE ${quoteIdent(ts)} BEGIN BACKUP`,

  /** Ends backup mode: header advanced, END BACKUP marker written to redo (§1, §2). */
  endBackup: (ts: string) => `ALTER TABLESPACE ${quoteIdent(ts)} END BACKUP`,

  /** Switches and archives the current log of every thread and returns only once archived (§2, [23][24]). */
  archiveLogCurrent: `ALTER SYSTEM ARCHIVE LOG CURRENT`,

  /** Writes a standby controlfile that lists every datafile with its production name (§4). */
  createStandbyControlfile: (path: string) => `ALTER DATABASE CREATE STANDBY CONTROLFILE AS ${quoteLiteral(path)} REUSE`,

  /** DEST_ID, STATUS, DESTINATION, ERROR of local (TARGET=PRIMARY) destinations (§3 archive stuck). */
  localArchiveDests: `SELECT TO_CHAR(dest_id), status, destination, error FROM v$archive_dest WHERE target = 'PRIMARY' AND destination IS NOT NULL ORDER BY dest_id`,

  /** 1 row, 'X': proves that the session reaches an instance (an idle one answers ORA-01034). */
  probe: `SELECT dummy FROM dual`,

  /**
   * Archived logs that may be needed from `cutoff`, current incarnation only, from every local
   * destination in `destIds` and from RMAN restores/catalogs (DEST_ID 0: "the destination
   * identifier is not available", REFRN V$ARCHIVED_LOG [20]). V$ARCHIVED_LOG has one row per
   * copy (§3), so a log is listed once per place it is in; the planner picks one.
   * NEXT_CHANGE# > cutoff keeps the log that contains the cutoff (FIRST_CHANGE# <= cutoff <
   * NEXT_CHANGE#, §2); FIRST_CHANGE# >= cutoff would drop it. Deleted or cleared rows are
   * returned too, so that a gap is seen, not skipped.
   * DEST_ID, THREAD#, SEQUENCE#, RESETLOGS_ID, FIRST_CHANGE#, NEXT_CHANGE#, NAME, STATUS, DELETED, BLOCKS, BLOCK_SIZE,
   * NEXT_TIME (the database's wall-clock time, DATE §3; only differences between two of them are used: transport lag).
   */
  archivedLogs: (cutoff: bigint, destIds: number[]) =>
    `SELECT TO_CHAR(a.dest_id), TO_CHAR(a.thread#), TO_CHAR(a.sequence#), TO_CHAR(a.resetlogs_id), TO_CHAR(a.first_change#), TO_CHAR(a.next_change#), a.name, a.status, a.deleted, TO_CHAR(a.blocks), TO_CHAR(a.block_size), TO_CHAR(a.next_time, 'YYYY-MM-DD HH24:MI:SS') ` +
    `FROM v$archived_log a, v$database d ` +
    `WHERE a.next_change# > ${scnLiteral(cutoff)} AND a.dest_id IN (${[0, ...destIds.map((d) => Math.trunc(d))].join(', ')}) AND a.archived = 'YES' AND a.standby_dest = 'NO' AND a.resetlogs_change# = d.resetlogs_change# ` +
    `ORDER BY a.thread#, a.sequence#, a.dest_id`,

  /**
   * Archived logs of this incarnation in RMAN backup sets (V$BACKUP_REDOLOG, REFRN: "archived
   * logs in backup sets from the control file"), from the cutoff on: THREAD#, SEQUENCE#,
   * SET_STAMP, SET_COUNT. Asked only when a log cannot be shipped, to say where it still exists.
   */
  backupRedologs: (cutoff: bigint) =>
    `SELECT TO_CHAR(b.thread#), TO_CHAR(b.sequence#), TO_CHAR(b.set_stamp), TO_CHAR(b.set_count) ` +
    `FROM v$backup_redolog b, v$database d WHERE b.next_change# > ${scnLiteral(cutoff)} AND b.resetlogs_change# = d.resetlogs_change# ` +
    `ORDER BY b.thread#, b.sequence#, b.set_stamp`,

  /** LOG_ARCHIVE_FORMAT (the standby's must be the same): the name shipped logs get on DR (lib/archivelog/drNames.ts). */
  logArchiveFormat: `SELECT value FROM v$parameter WHERE name = 'log_archive_format'`,

  /** NAME, SPACE_LIMIT, SPACE_USED, SPACE_RECLAIMABLE of the fast recovery area: one row, SPACE_LIMIT 0 when none is set (§3 archive stuck). Cheap: no file is read. */
  recoveryFileDest: `SELECT name, TO_CHAR(space_limit), TO_CHAR(space_used), TO_CHAR(space_reclaimable) FROM v$recovery_file_dest`,

  /** THREAD#, SEQUENCE# of each thread's CURRENT online log (production's position, for the monitor). V$LOG. */
  currentLogs: `SELECT TO_CHAR(thread#), TO_CHAR(sequence#) FROM v$log WHERE status = 'CURRENT' ORDER BY thread#`,

  /** FILE#, UNRECOVERABLE_CHANGE# of files touched by NOLOGGING after `scn`: their standby blocks would be corrupt (§4 NOLOGGING). */
  unrecoverableSince: (scn: bigint) =>
    `SELECT TO_CHAR(file#), TO_CHAR(unrecoverable_change#), name FROM v$datafile WHERE unrecoverable_change# > ${scnLiteral(scn)} ORDER BY file#`,
} as const;

/** The questions of bin/check (lib/db/checkQuestions.ts), kept apart from SQL's so that the two grow without conflict. */
export const CHECK_SQL = {
  /**
   * Every datafile of every container (V$DATAFILE reads the controlfile: it also answers when
   * MOUNTED): FILE#, NAME, BYTES (0 when inaccessible), UNRECOVERABLE_CHANGE# ("Last
   * unrecoverable change number", updated only in ARCHIVELOG mode, §3; §4 NOLOGGING).
   */
  datafiles: `SELECT TO_CHAR(file#), name, TO_CHAR(bytes), TO_CHAR(NVL(unrecoverable_change#, 0)) FROM v$datafile ORDER BY file#`,

  /**
   * NAME, VALUE of archive_lag_target (seconds; 0 = no time-based log switch, Reference 19c
   * ARCHIVE_LAG_TARGET) and control_files (the control file names, comma-separated).
   * V$CONTROLFILE would list the same names; the parameter is read so one query answers both.
   */
  parameters: `SELECT name, value FROM v$parameter WHERE name IN ('archive_lag_target', 'control_files') ORDER BY name`,

  /** GROUP#, MEMBER of every online redo log member (V$LOGFILE TYPE ONLINE; standby redo logs are left out). */
  logMembers: `SELECT TO_CHAR(group#), member FROM v$logfile WHERE type = 'ONLINE' ORDER BY group#, member`,

  /**
   * 1 row: bytes of the logs archived to destination `destId` that end in the last `hours`
   * (BLOCKS x BLOCK_SIZE, §3), and the seconds those logs span within that window (NULL
   * when there are none). Dates are the database's wall clock; only differences are used.
   */
  redoRate: (destId: number, hours: number) =>
    `SELECT TO_CHAR(NVL(SUM(blocks * block_size), 0)), TO_CHAR(ROUND((SYSDATE - GREATEST(MIN(first_time), SYSDATE - ${Number(hours)} / 24)) * 86400)) ` +
    `FROM v$archived_log WHERE dest_id = ${Math.trunc(destId)} AND standby_dest = 'NO' AND next_time > SYSDATE - ${Number(hours)} / 24`,
} as const;

/** A string literal: the text in single quotes, quotes inside doubled. */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The standby instance on DR (bin/apply_standby), through `sqlplus -s / as sysdba` scripts:
 * every answer row starts with a marker (INST|, DB|, DF|, FUZZY|) so the lines around it
 * (RECOVER's ORA-00279 …) are never taken for data.
 */
export const STANDBY_SQL = {
  /** V$INSTANCE.STATUS (STARTED / MOUNTED / OPEN); ORA-01034 when idle. */
  instance: `SELECT 'INST|'||status FROM v$instance;`,
  /** DBID, role, controlfile type, open mode and the SCN the standby is recovered to (ORA-01507 before MOUNT). */
  database: `SELECT 'DB|'||dbid||'|'||database_role||'|'||controlfile_type||'|'||open_mode||'|'||TO_CHAR(current_scn) FROM v$database;`,
  /** Every datafile as the standby controlfile names it, with its CON_ID (0 in a non-CDB, 1 the root, 2 PDB$SEED, 3+ PDBs). */
  datafiles: `SELECT 'DF|'||file#||'|'||con_id||'|'||name FROM v$datafile ORDER BY file#;`,
  /** Files recovery could not create (ORA-01274): named $ORACLE_HOME/dbs/UNNAMEDnnnnn, with the CON_ID of the container the file was added in. */
  unnamedDatafiles: `SELECT 'DF|'||file#||'|'||con_id||'|'||name FROM v$datafile WHERE name LIKE '%UNNAMED%' ORDER BY file#;`,
  /** CON_ID and NAME of PDB$SEED and every PDB the standby controlfile knows (all MOUNTED on a mounted standby; no rows in a non-CDB). Reference 19c, V$PDBS. */
  pdbs: `SELECT 'PDB|'||con_id||'|'||name FROM v$pdbs ORDER BY con_id;`,
  /**
   * CREATE DATAFILE and RENAME FILE (database_file_clauses) act on the current container only: a PDB's file must be
   * named from inside that PDB, the root's from the root; from CDB$ROOT a PDB's file is ORA-01516 "... in the current
   * container" (SQL Language Reference 19c, ALTER DATABASE, "Notes on Using ALTER DATABASE in a CDB"). A mounted
   * PDB can be made current (ALTER SESSION SET CONTAINER).
   */
  setContainer: (name: string) => `ALTER SESSION SET CONTAINER = ${quoteIdent(name)};`,
  /** Headers still fuzzy (backup or online fuzzy): not consistent yet. */
  fuzzyCount: `SELECT 'FUZZY|'||COUNT(*) FROM v$datafile_header WHERE fuzzy = 'YES';`,
  startNomount: 'STARTUP NOMOUNT',
  mountStandby: 'ALTER DATABASE MOUNT STANDBY DATABASE;',
  shutdownImmediate: 'SHUTDOWN IMMEDIATE',
  openReadOnly: 'ALTER DATABASE OPEN READ ONLY;',
  /** One recovery pass: to the last shipped log, where the `Specify log` prompt is answered CANCEL. */
  recoverPass: ['SET AUTORECOVERY ON', 'RECOVER AUTOMATIC STANDBY DATABASE', 'CANCEL'],
  renameFile: (from: string, to: string) => `ALTER DATABASE RENAME FILE ${literal(from)} TO ${literal(to)};`,
  createDatafile: (unnamed: string, as: string) => `ALTER DATABASE CREATE DATAFILE ${literal(unnamed)} AS ${literal(as)};`,
  /** The standby's LOG_ARCHIVE_FORMAT (its default shows too): the names of the shipped logs (production's, the same format), read by housekeeping. */
  archiveFormat: `SELECT 'FMT|'||value FROM v$parameter WHERE name = 'log_archive_format';`,
} as const;
