// Typed answers to bin/check's questions (SQL text in sql.ts, CHECK_SQL), converted once here.
import { OracleError } from '../errors.ts';
import type { Database } from './database.ts';
import { CHECK_SQL } from './sql.ts';

function int(v: string, what: string): number {
  if (!/^-?\d+$/.test(v)) throw new OracleError(`expected a whole number for ${what}, got ${JSON.stringify(v)}`, []);
  return Number(v);
}

function scn(v: string, what: string): bigint {
  if (!/^\d+$/.test(v)) throw new OracleError(`expected an SCN for ${what}, got ${JSON.stringify(v)}`, []);
  return BigInt(v);
}

export interface CheckDatafileRow {
  fileId: number;
  name: string;
  bytes: number;
  unrecoverableScn: bigint;
}

export async function checkDatafiles(db: Database): Promise<CheckDatafileRow[]> {
  return (await db.ask(CHECK_SQL.datafiles, 4, 'the query on V$DATAFILE')).map(([id, name, bytes, unrec]) => ({
    fileId: int(id, 'FILE#'),
    name,
    bytes: int(bytes || '0', 'BYTES'),
    unrecoverableScn: scn(unrec || '0', 'UNRECOVERABLE_CHANGE#'),
  }));
}

/** archive_lag_target and control_files by name (a parameter without a row is absent). */
export async function checkParameters(db: Database): Promise<Map<string, string>> {
  return new Map((await db.ask(CHECK_SQL.parameters, 2, 'the query on V$PARAMETER')).map(([n, v]) => [n.toLowerCase(), v]));
}

export async function redoLogGroups(db: Database): Promise<{ group: number; members: string[] }[]> {
  const groups = new Map<number, string[]>();
  for (const [g, member] of await db.ask(CHECK_SQL.logMembers, 2, 'the query on V$LOGFILE')) {
    const n = int(g, 'GROUP#');
    groups.set(n, [...(groups.get(n) ?? []), member]);
  }
  return [...groups].map(([group, members]) => ({ group, members }));
}

/** Redo archived to `destId` in the last `hours`, and the seconds it spans (the whole window when none). */
export async function redoRate(db: Database, destId: number, hours: number): Promise<{ bytes: number; seconds: number }> {
  const rows = await db.ask(CHECK_SQL.redoRate(destId, hours), 2, 'the query on V$ARCHIVED_LOG');
  const [bytes, seconds] = rows[0] ?? ['0', ''];
  return { bytes: int(bytes || '0', 'SUM(BLOCKS*BLOCK_SIZE)'), seconds: seconds ? Math.max(60, int(seconds, 'seconds')) : hours * 3600 };
}
