// Typed answers to the questions the tools ask Oracle. Rows arrive as text (see sql.ts)
// and are converted here, once; a row of the wrong shape is an error, never guessed at.
// Each statement carries what to say if it does not finish in time; the session under it
// replaces itself when lost (resilientSession.ts).
import { OracleError } from '../errors.ts';
import type { BackupFileStatus, DatafileRow } from '../backup/plan.ts';
import type { DbConnection, StatementOptions } from './connection.ts';
import { ResilientSession, type ResilientSessionOptions } from './resilientSession.ts';
import { cdbDatafileRows, int, scn, shape, type ContainerRow } from './rows.ts';
export type { ContainerRow } from './rows.ts';
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
  /** V$DATABASE.CDB = YES: a container database (CDB$ROOT, PDB$SEED, PDBs). */
  cdb: boolean;
}


const ROOT = 'CDB$ROOT';

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

/** An archived log in an RMAN backup set (V$BACKUP_REDOLOG). */
export interface BackupLogRow {
  thread: number;
  sequence: number;
  setStamp: string;
  setCount: string;
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

const QUERY_HINT = 'a query on the data dictionary answers in seconds: check the instance (alert log, V$SESSION_WAIT); raise oracle.statement_timeout_seconds if it is only slow';
const q = (what: string): StatementOptions => ({ what, hint: QUERY_HINT });

export type DatabaseOptions = ResilientSessionOptions;

export class Database {
  /** Known once info() has answered: statements then run in the container they name, all others in CDB$ROOT. */
  private cdb: boolean | undefined;
  /** The container each session is in (a new session starts in CDB$ROOT; unknown until switched once). */
  private where = new WeakMap<DbConnection, string>();
  /** One statement at a time on the one session: a container switch and its statement are never split. */
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly s: ResilientSession) {}

  get isCdb(): boolean {
    return this.cdb === true;
  }

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

  /**
   * Runs fn on the session, in `container` (CDB) or in CDB$ROOT. The switch (ALTER SESSION SET
   * CONTAINER) is made on the very session fn runs on, also when fn is sent again on a new
   * session, so a statement meant for a PDB can never run in the root or in another PDB.
   */
  private run<T>(fn: (c: DbConnection) => Promise<T>, container?: string): Promise<T> {
    if (container !== undefined && this.cdb !== true) throw new Error(`container ${container} given for a database not known to be a CDB (call info() first)`);
    const go = () =>
      this.s.run(async (c) => {
        if (this.cdb) await this.enter(c, container ?? ROOT);
        return fn(c);
      });
    const p = this.chain.then(go, go);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async enter(c: DbConnection, container: string): Promise<void> {
    if (this.where.get(c) === container) return;
    this.where.delete(c); // unknown until the switch answers
    const sql = SQL.setContainer(container);
    await c.execute(sql, { what: sql, hint: `check that container ${container} exists and is open (SELECT name, open_mode FROM v$containers)` });
    this.where.set(c, container);
  }

  private rows(sql: string, width: number, opts: StatementOptions, container?: string): Promise<string[][]> {
    return this.run(async (c) => shape(sql, await c.query(sql, opts), width), container);
  }

  /** Rows of `width` columns, for the question modules beside this one (checkQuestions.ts). */
  ask(sql: string, width: number, what: string): Promise<string[][]> {
    return this.rows(sql, width, q(what));
  }

  async info(): Promise<DatabaseInfo> {
    const rows = await this.rows(SQL.database, 10, q('the query on V$DATABASE'));
    if (rows.length !== 1) throw new OracleError(`V$DATABASE returned ${rows.length} rows`, []);
    const [name, dbid, logMode, openMode, role, controlfileType, forceLogging, cur, resetlogs, cdb] = rows[0];
    this.cdb = cdb === 'YES';
    return { name, dbid, logMode, openMode, role, controlfileType, forceLogging, currentScn: scn(cur, 'CURRENT_SCN'), resetlogsScn: scn(resetlogs, 'RESETLOGS_CHANGE#'), cdb: this.cdb };
  }

  /** Container database: the root, PDB$SEED and every PDB with its open mode (V$CONTAINERS from the root); [] for a non-CDB. */
  async containers(): Promise<ContainerRow[]> {
    if (this.cdb === undefined) await this.info();
    if (!this.cdb) return [];
    return (await this.rows(SQL.containers, 3, q('the query on V$CONTAINERS'))).map(([id, name, openMode]) => ({ conId: int(id, 'CON_ID'), name, openMode }));
  }

  async currentScn(): Promise<bigint> {
    const rows = await this.rows(SQL.currentScn, 1, q('the query on V$DATABASE'));
    if (rows.length !== 1) throw new OracleError('V$DATABASE returned no current SCN', []);
    return scn(rows[0][0], 'CURRENT_SCN');
  }

  /**
   * Every datafile: of the database (DBA_DATA_FILES), or of every container of a CDB, closed PDBs
   * included (V$DATAFILE from the root, with the tablespace status of open containers from
   * CDB_TABLESPACES and each container's open mode).
   */
  async datafiles(): Promise<DatafileRow[]> {
    if (this.cdb === undefined) await this.info();
    if (this.cdb) return this.cdbDatafiles();
    return (await this.rows(SQL.datafiles, 6, q('the query on DBA_DATA_FILES'))).map(([tablespace, contents, tsStatus, id, path, bytes]) => ({
      tablespace,
      contents,
      tsStatus,
      fileId: int(id, 'FILE_ID'),
      path,
      bytes: int(bytes || '0', 'BYTES'),
    }));
  }

  private async cdbDatafiles(): Promise<DatafileRow[]> {
    const containers = await this.containers();
    const ts = await this.rows(SQL.cdbTablespaces, 4, q('the query on CDB_TABLESPACES'));
    return cdbDatafileRows(containers, ts, await this.rows(SQL.cdbDatafiles, 8, q('the query on V$DATAFILE')));
  }

  async tablespaces(): Promise<{ name: string; contents: string; status: string; container?: string }[]> {
    if (this.cdb === undefined) await this.info();
    if (this.cdb) {
      const names = new Map((await this.containers()).map((k) => [String(k.conId), k.name]));
      return (await this.rows(SQL.cdbTablespaces, 4, q('the query on CDB_TABLESPACES'))).flatMap(([id, name, contents, status]) =>
        names.has(id) ? [{ name, contents, status, container: names.get(id)! }] : [],
      );
    }
    return (await this.rows(SQL.tablespaces, 3, q('the query on DBA_TABLESPACES'))).map(([name, contents, status]) => ({ name, contents, status }));
  }

  /** STATUS of one tablespace now (ONLINE, OFFLINE, READ ONLY), asked inside its container (CDB); undefined when it no longer exists. */
  async tablespaceStatus(ts: string, container?: string): Promise<string | undefined> {
    const sql = SQL.tablespaceStatus(ts);
    return (await this.rows(sql, 1, q('the query on DBA_TABLESPACES'), container))[0]?.[0];
  }

  async backupStatus(): Promise<BackupFileStatus[]> {
    return (await this.rows(SQL.backupStatus, 3, q('the query on V$BACKUP'))).map(([id, status, change]) => ({
      fileId: int(id, 'FILE#'),
      active: status === 'ACTIVE',
      changeScn: change === '' ? 0n : scn(change, 'CHANGE#'),
    }));
  }

  /** BEGIN BACKUP of a tablespace, inside its container in a CDB (from the root it would name the root's tablespace of that name). */
  beginBackup(ts: string, container?: string): Promise<void> {
    const sql = SQL.beginBackup(ts);
    return this.run((c) =>
      c.execute(sql, {
        what: sql,
        changesDatabase: true,
        hint: "BEGIN BACKUP checkpoints the tablespace's datafiles: see the alert log and V$SESSION_WAIT for what it waits on; the next hot_backup_ts run ends or takes over the window if the statement completes",
      }),
      container,
    );
  }

  endBackup(ts: string, container?: string): Promise<void> {
    const sql = SQL.endBackup(ts);
    const where = container === undefined ? '' : `ALTER SESSION SET CONTAINER = "${container}"; `;
    return this.run((c) =>
      c.execute(sql, {
        what: sql,
        changesDatabase: true,
        hint: `END BACKUP writes redo, which waits while the archiver is stuck: check V$ARCHIVE_DEST (STATUS, ERROR) and the alert log; if V$BACKUP still shows the tablespace ACTIVE, end it by hand (${where}${sql})`,
      }),
      container,
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

  /** LOG_ARCHIVE_FORMAT, or undefined when it is not set. */
  async logArchiveFormat(): Promise<string | undefined> {
    const rows = await this.rows(SQL.logArchiveFormat, 1, q('the query on V$PARAMETER'));
    return rows[0]?.[0] || undefined;
  }

  async backupRedologs(cutoff: bigint): Promise<BackupLogRow[]> {
    return (await this.rows(SQL.backupRedologs(cutoff), 4, q('the query on V$BACKUP_REDOLOG'))).map(([t, s, stamp, count]) => ({
      thread: int(t, 'THREAD#'),
      sequence: int(s, 'SEQUENCE#'),
      setStamp: stamp,
      setCount: count,
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
