// Typed answers to the questions the tools ask Oracle. Rows arrive as text (see sql.ts)
// and are converted here, once; a row of the wrong shape is an error, never guessed at.
// Each statement carries what to say if it does not finish in time; the session under it
// replaces itself when lost (resilientSession.ts).
import { OracleError } from '../errors.ts';
import type { BackupFileStatus, DatafileRow } from '../backup/plan.ts';
import type { DbConnection, StatementOptions } from './connection.ts';
import { ResilientSession, type ResilientSessionOptions } from './resilientSession.ts';
import { SQL } from './sql.ts';

export interface DatabaseInfo {
  name: string;
  dbid: string;
  logMode: string;
  openMode: string;
  role: string;
  controlfileType: string;
  forceLogging: string;
  currentScn: bigint;
  resetlogsScn: bigint;
}

export interface ArchivedLogRow {
  destId: number; // 0: restored or cataloged by RMAN
  thread: number;
  sequence: number;
  resetlogsId: string;
  firstScn: bigint;
  nextScn: bigint;
  name: string; // '' when the log was cleared (NAME is NULL)
  status: string; // A available, D deleted, U unavailable, X expired
  deleted: string; // YES | NO
  blocks: number;
  blockSize: number;
  /** NEXT_TIME as 'YYYY-MM-DD HH24:MI:SS' in the database's local time (optional for rows made by hand in tests). */
  nextTime?: string;
}

/** V$RECOVERY_FILE_DEST; limitBytes 0 when no fast recovery area is set. */
export interface RecoveryFileDest {
  name: string;
  limitBytes: number;
  usedBytes: number;
  reclaimableBytes: number;
}

export interface ArchiveDest {
  destId: number;
  status: string;
  destination: string;
  error: string;
}

function shape(sql: string, rows: string[][], width: number): string[][] {
  for (const r of rows) {
    if (r.length !== width) throw new OracleError(`unexpected row shape (${r.length} columns, expected ${width}) for: ${sql}`, [r.join(',')]);
  }
  return rows;
}

function int(v: string, what: string): number {
  if (!/^-?\d+$/.test(v)) throw new OracleError(`expected a whole number for ${what}, got ${JSON.stringify(v)}`, []);
  return Number(v);
}

function scn(v: string, what: string): bigint {
  if (!/^\d+$/.test(v)) throw new OracleError(`expected an SCN for ${what}, got ${JSON.stringify(v)}`, []);
  return BigInt(v);
}

const QUERY_HINT = 'a query on the data dictionary answers in seconds: check the instance (alert log, V$SESSION_WAIT); raise oracle.statement_timeout_seconds if it is only slow';
const q = (what: string): StatementOptions => ({ what, hint: QUERY_HINT });

export type DatabaseOptions = ResilientSessionOptions;

export class Database {
  private constructor(private readonly s: ResilientSession) {}

  /** Opens a session and proves it reaches an instance. */
  static async open(connect: () => Promise<DbConnection>, opts: DatabaseOptions): Promise<Database> {
    const s = new ResilientSession(connect, opts);
    await s.start();
    try {
      await s.run((c) => c.query(SQL.probe, q('the first query (SELECT dummy FROM dual)')));
    } catch (err) {
      await s.close();
      throw err;
    }
    return new Database(s);
  }

  get description(): string {
    return this.s.description;
  }

  /** What glogin.sql/login.sql printed when the session started. */
  get profileOutput(): string[] {
    return this.s.profileOutput;
  }

  close(): Promise<void> {
    return this.s.close();
  }

  private run<T>(fn: (c: DbConnection) => Promise<T>): Promise<T> {
    return this.s.run(fn);
  }

  private rows(sql: string, width: number, opts: StatementOptions): Promise<string[][]> {
    return this.run(async (c) => shape(sql, await c.query(sql, opts), width));
  }

  /** Rows of `width` columns, for the question modules beside this one (checkQuestions.ts). */
  ask(sql: string, width: number, what: string): Promise<string[][]> {
    return this.rows(sql, width, q(what));
  }

  async info(): Promise<DatabaseInfo> {
    const rows = await this.rows(SQL.database, 9, q('the query on V$DATABASE'));
    if (rows.length !== 1) throw new OracleError(`V$DATABASE returned ${rows.length} rows`, []);
    const [name, dbid, logMode, openMode, role, controlfileType, forceLogging, cur, resetlogs] = rows[0];
    return { name, dbid, logMode, openMode, role, controlfileType, forceLogging, currentScn: scn(cur, 'CURRENT_SCN'), resetlogsScn: scn(resetlogs, 'RESETLOGS_CHANGE#') };
  }

  async currentScn(): Promise<bigint> {
    const rows = await this.rows(SQL.currentScn, 1, q('the query on V$DATABASE'));
    if (rows.length !== 1) throw new OracleError('V$DATABASE returned no current SCN', []);
    return scn(rows[0][0], 'CURRENT_SCN');
  }

  async datafiles(): Promise<DatafileRow[]> {
    return (await this.rows(SQL.datafiles, 6, q('the query on DBA_DATA_FILES'))).map(([tablespace, contents, tsStatus, id, path, bytes]) => ({
      tablespace,
      contents,
      tsStatus,
      fileId: int(id, 'FILE_ID'),
      path,
      bytes: int(bytes || '0', 'BYTES'),
    }));
  }

  async tablespaces(): Promise<{ name: string; contents: string; status: string }[]> {
    return (await this.rows(SQL.tablespaces, 3, q('the query on DBA_TABLESPACES'))).map(([name, contents, status]) => ({ name, contents, status }));
  }

  /** STATUS of one tablespace now (ONLINE, OFFLINE, READ ONLY); undefined when it no longer exists. */
  async tablespaceStatus(ts: string): Promise<string | undefined> {
    const sql = SQL.tablespaceStatus(ts);
    return (await this.rows(sql, 1, q('the query on DBA_TABLESPACES')))[0]?.[0];
  }

  async backupStatus(): Promise<BackupFileStatus[]> {
    return (await this.rows(SQL.backupStatus, 3, q('the query on V$BACKUP'))).map(([id, status, change]) => ({
      fileId: int(id, 'FILE#'),
      active: status === 'ACTIVE',
      changeScn: change === '' ? 0n : scn(change, 'CHANGE#'),
    }));
  }

  beginBackup(ts: string): Promise<void> {
    const sql = SQL.beginBackup(ts);
    return this.run((c) =>
      c.execute(sql, {
        what: sql,
        changesDatabase: true,
        hint: "BEGIN BACKUP checkpoints the tablespace's datafiles: see the alert log and V$SESSION_WAIT for what it waits on; the next hot_backup_ts run ends or takes over the window if the statement completes",
      }),
    );
  }

  endBackup(ts: string): Promise<void> {
    const sql = SQL.endBackup(ts);
    return this.run((c) =>
      c.execute(sql, {
        what: sql,
        changesDatabase: true,
        hint: `END BACKUP writes redo, which waits while the archiver is stuck: check V$ARCHIVE_DEST (STATUS, ERROR) and the alert log; if V$BACKUP still shows the tablespace ACTIVE, end it by hand (${sql})`,
      }),
    );
  }

  archiveLogCurrent(): Promise<void> {
    return this.run((c) =>
      c.execute(SQL.archiveLogCurrent, {
        what: SQL.archiveLogCurrent,
        why: 'the archiver is probably stuck',
        hint: 'check V$ARCHIVE_DEST (STATUS, ERROR) and the free space of every archive destination (ORA-00257 or ORA-19502 in the alert log); once archiving works again, re-run: only the steps not done are repeated',
      }),
    );
  }

  createStandbyControlfile(path: string): Promise<void> {
    const sql = SQL.createStandbyControlfile(path);
    return this.run((c) => c.execute(sql, { what: 'ALTER DATABASE CREATE STANDBY CONTROLFILE', changesDatabase: true }));
  }

  async localArchiveDests(): Promise<ArchiveDest[]> {
    return (await this.rows(SQL.localArchiveDests, 4, q('the query on V$ARCHIVE_DEST'))).map(([id, status, destination, error]) => ({
      destId: int(id, 'DEST_ID'),
      status,
      destination,
      error,
    }));
  }

  async archivedLogs(cutoff: bigint, destIds: number[]): Promise<ArchivedLogRow[]> {
    const sql = SQL.archivedLogs(cutoff, destIds);
    return (await this.rows(sql, 12, q('the query on V$ARCHIVED_LOG'))).map(([d, t, s, rid, f, n, name, status, deleted, blocks, blockSize, nextTime]) => ({
      destId: int(d, 'DEST_ID'),
      thread: int(t, 'THREAD#'),
      sequence: int(s, 'SEQUENCE#'),
      resetlogsId: rid,
      firstScn: scn(f, 'FIRST_CHANGE#'),
      nextScn: scn(n, 'NEXT_CHANGE#'),
      name,
      status,
      deleted,
      blocks: int(blocks || '0', 'BLOCKS'),
      blockSize: int(blockSize || '0', 'BLOCK_SIZE'),
      nextTime,
    }));
  }

  async recoveryFileDest(): Promise<RecoveryFileDest | undefined> {
    const rows = await this.rows(SQL.recoveryFileDest, 4, q('the query on V$RECOVERY_FILE_DEST'));
    if (rows.length === 0) return undefined;
    const [name, limit, used, reclaimable] = rows[0];
    return {
      name,
      limitBytes: int(limit || '0', 'SPACE_LIMIT'),
      usedBytes: int(used || '0', 'SPACE_USED'),
      reclaimableBytes: int(reclaimable || '0', 'SPACE_RECLAIMABLE'),
    };
  }

  async currentLogs(): Promise<{ thread: number; sequence: number }[]> {
    return (await this.rows(SQL.currentLogs, 2, q('the query on V$LOG'))).map(([t, s]) => ({ thread: int(t, 'THREAD#'), sequence: int(s, 'SEQUENCE#') }));
  }

  async unrecoverableSince(since: bigint): Promise<{ fileId: number; scn: bigint; name: string }[]> {
    const sql = SQL.unrecoverableSince(since);
    return (await this.rows(sql, 3, q('the query on V$DATAFILE'))).map(([id, s, name]) => ({ fileId: int(id, 'FILE#'), scn: scn(s, 'UNRECOVERABLE_CHANGE#'), name }));
  }
}
