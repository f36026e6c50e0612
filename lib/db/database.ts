// Typed answers to the questions the tools ask Oracle. Rows arrive as text (see sql.ts)
// and are converted here, once; a row of the wrong shape is an error, never guessed at.
import { OracleError } from '../errors.ts';
import type { BackupFileStatus, DatafileRow } from '../backup/plan.ts';
import type { DbConnection } from './connection.ts';
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
  thread: number;
  sequence: number;
  firstScn: bigint;
  nextScn: bigint;
  name: string; // '' when the log was cleared (NAME is NULL)
  status: string; // A available, D deleted, U unavailable, X expired
  deleted: string; // YES | NO
  bytes: number;
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

export class Database {
  constructor(readonly conn: DbConnection) {}

  async info(): Promise<DatabaseInfo> {
    const rows = shape(SQL.database, await this.conn.query(SQL.database), 9);
    if (rows.length !== 1) throw new OracleError(`V$DATABASE returned ${rows.length} rows`, []);
    const [name, dbid, logMode, openMode, role, controlfileType, forceLogging, cur, resetlogs] = rows[0];
    return { name, dbid, logMode, openMode, role, controlfileType, forceLogging, currentScn: scn(cur, 'CURRENT_SCN'), resetlogsScn: scn(resetlogs, 'RESETLOGS_CHANGE#') };
  }

  async currentScn(): Promise<bigint> {
    const rows = shape(SQL.currentScn, await this.conn.query(SQL.currentScn), 1);
    if (rows.length !== 1) throw new OracleError('V$DATABASE returned no current SCN', []);
    return scn(rows[0][0], 'CURRENT_SCN');
  }

  async datafiles(): Promise<DatafileRow[]> {
    return shape(SQL.datafiles, await this.conn.query(SQL.datafiles), 6).map(([tablespace, contents, tsStatus, id, path, bytes]) => ({
      tablespace,
      contents,
      tsStatus,
      fileId: int(id, 'FILE_ID'),
      path,
      bytes: int(bytes || '0', 'BYTES'),
    }));
  }

  async tablespaces(): Promise<{ name: string; contents: string; status: string }[]> {
    return shape(SQL.tablespaces, await this.conn.query(SQL.tablespaces), 3).map(([name, contents, status]) => ({ name, contents, status }));
  }

  async backupStatus(): Promise<BackupFileStatus[]> {
    return shape(SQL.backupStatus, await this.conn.query(SQL.backupStatus), 3).map(([id, status, change]) => ({
      fileId: int(id, 'FILE#'),
      active: status === 'ACTIVE',
      changeScn: change === '' ? 0n : scn(change, 'CHANGE#'),
    }));
  }

  beginBackup(ts: string): Promise<void> {
    return this.conn.execute(SQL.beginBackup(ts));
  }

  endBackup(ts: string): Promise<void> {
    return this.conn.execute(SQL.endBackup(ts));
  }

  archiveLogCurrent(): Promise<void> {
    return this.conn.execute(SQL.archiveLogCurrent);
  }

  createStandbyControlfile(path: string): Promise<void> {
    return this.conn.execute(SQL.createStandbyControlfile(path));
  }

  async localArchiveDests(): Promise<ArchiveDest[]> {
    return shape(SQL.localArchiveDests, await this.conn.query(SQL.localArchiveDests), 4).map(([id, status, destination, error]) => ({
      destId: int(id, 'DEST_ID'),
      status,
      destination,
      error,
    }));
  }

  async archivedLogs(cutoff: bigint, destId: number): Promise<ArchivedLogRow[]> {
    const sql = SQL.archivedLogs(cutoff, destId);
    return shape(sql, await this.conn.query(sql), 9).map(([t, s, f, n, name, status, deleted, bytes, nextTime]) => ({
      thread: int(t, 'THREAD#'),
      sequence: int(s, 'SEQUENCE#'),
      firstScn: scn(f, 'FIRST_CHANGE#'),
      nextScn: scn(n, 'NEXT_CHANGE#'),
      name,
      status,
      deleted,
      bytes: int(bytes || '0', 'BLOCKS*BLOCK_SIZE'),
      nextTime,
    }));
  }

  async recoveryFileDest(): Promise<RecoveryFileDest | undefined> {
    const rows = shape(SQL.recoveryFileDest, await this.conn.query(SQL.recoveryFileDest), 4);
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
    return shape(SQL.currentLogs, await this.conn.query(SQL.currentLogs), 2).map(([t, s]) => ({ thread: int(t, 'THREAD#'), sequence: int(s, 'SEQUENCE#') }));
  }

  async unrecoverableSince(since: bigint): Promise<{ fileId: number; scn: bigint; name: string }[]> {
    const sql = SQL.unrecoverableSince(since);
    return shape(sql, await this.conn.query(sql), 3).map(([id, s, name]) => ({ fileId: int(id, 'FILE#'), scn: scn(s, 'UNRECOVERABLE_CHANGE#'), name }));
  }
}
