// Rows as text (sql.ts) made into typed values, once: a row of the wrong shape or a value that
// is not what the column holds is an error, never guessed at. Pure.
import { OracleError } from '../errors.ts';
import type { DatafileRow } from '../backup/types.ts';

/** A row of V$CONTAINERS (container database). */
export interface ContainerRow {
  conId: number;
  name: string;
  openMode: string;
}

export function shape(sql: string, rows: string[][], width: number): string[][] {
  for (const r of rows) {
    if (r.length !== width) throw new OracleError(`unexpected row shape (${r.length} columns, expected ${width}) for: ${sql}`, [r.join(',')]);
  }
  return rows;
}

export function int(v: string, what: string): number {
  if (!/^-?\d+$/.test(v)) throw new OracleError(`expected a whole number for ${what}, got ${JSON.stringify(v)}`, []);
  return Number(v);
}

export function scn(v: string, what: string): bigint {
  if (!/^\d+$/.test(v)) throw new OracleError(`expected an SCN for ${what}, got ${JSON.stringify(v)}`, []);
  return BigInt(v);
}

/**
 * The datafiles of every container of a CDB from V$CONTAINERS, CDB_TABLESPACES (CON_ID, NAME,
 * CONTENTS, STATUS of open containers) and V$DATAFILE joined with V$TABLESPACE (SQL.cdbDatafiles).
 * A closed container's tablespaces are not in CDB_TABLESPACES: their status comes from the files.
 */
export function cdbDatafileRows(containers: ContainerRow[], tablespaces: string[][], files: string[][]): DatafileRow[] {
  const byId = new Map(containers.map((k) => [k.conId, k]));
  const ts = new Map<string, { contents: string; status: string }>();
  for (const [id, name, contents, status] of tablespaces) ts.set(`${id}/${name}`, { contents, status });
  return files.map(([con, tablespace, id, path, bytes, fileStatus, enabled, ckpt]) => {
    const k = byId.get(int(con, 'CON_ID'));
    if (!k) throw new OracleError(`V$DATAFILE lists file ${id} in container ${con}, which V$CONTAINERS does not list`, [], 're-run: a PDB was created or dropped while the lists were read');
    const t = ts.get(`${con}/${tablespace}`);
    return {
      tablespace,
      contents: t?.contents ?? 'PERMANENT',
      tsStatus: t?.status ?? (enabled === 'READ ONLY' ? 'READ ONLY' : fileStatus === 'OFFLINE' ? 'OFFLINE' : 'ONLINE'),
      fileId: int(id, 'FILE#'),
      path,
      bytes: int(bytes || '0', 'BYTES'),
      container: k.name,
      containerMode: k.openMode,
      checkpointScn: ckpt === '' ? undefined : scn(ckpt, 'CHECKPOINT_CHANGE#'),
    };
  });
}
