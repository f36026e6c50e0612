// Container views and scoping (CONTRACT.md "Container databases"):
//  - V$PDBS, V$CONTAINERS, DBA_PDBS;
//  - CDB_xxx = DBA_xxx of every container open at query time (not MOUNTED, not RESTRICTED:
//    Reference 19c, "CDB_* Views"), plus CON_ID; inside a PDB only that PDB;
//  - V$ views queried inside a PDB keep that PDB's rows and the CON_ID 0 (whole CDB) rows.
import type { Cell, ColumnDef, ColumnType, View } from '../sql/types.ts';
import { containersOf, openModeOf, ROOT_ID, type SessionState } from './containers.ts';
import type { Container } from './control.ts';
import type { Instance } from './instance.ts';

/** DBA_ views that have a CDB_ counterpart built from them. */
export const CDB_OF_DBA = ['DBA_TABLESPACES', 'DBA_DATA_FILES', 'DBA_TEMP_FILES'];

const col = (type: ColumnType) => (...names: string[]): ColumnDef[] => names.map((name) => ({ name, type }));
const N = col('NUMBER');
const V = col('VARCHAR2');
const T = col('DATE');
const D = (ms: number | null) => (ms ? new Date(ms - (ms % 1000)) : null); // DATEs have whole seconds

function sizeOf(inst: Instance, conId: number): number {
  const files = [...inst.c.datafiles, ...inst.c.tempfiles].filter((f) => (f.conId ?? 0) === conId);
  return files.reduce((a, f) => a + f.blocks * 8192, 0);
}

function containerRow(inst: Instance, k: Container): Cell[] {
  const mode = openModeOf(inst.c, inst.state === 'OPEN', k.conId);
  return [k.conId, k.dbid || inst.c.dbid, k.dbid || inst.c.dbid, k.guid, k.name, mode, mode === 'MOUNTED' ? null : k.restricted ? 'YES' : 'NO',
    D(mode === 'MOUNTED' ? null : k.openTime ?? inst.startupTime), k.createScn, mode === 'MOUNTED' ? 0 : sizeOf(inst, k.conId), 8192, 'ENABLED'];
}

const CONTAINER_COLUMNS = [...N('CON_ID', 'DBID', 'CON_UID'), ...V('GUID', 'NAME', 'OPEN_MODE', 'RESTRICTED'), ...T('OPEN_TIME'), ...N('CREATE_SCN', 'TOTAL_SIZE', 'BLOCK_SIZE'), ...V('RECOVERY_STATUS')];

export const cdbViews: Record<string, (inst: Instance, s: SessionState) => View> = {
  // V$PDBS: PDB$SEED and the PDBs (not the root); empty in a non-CDB
  'V$PDBS': (i) => ({ columns: CONTAINER_COLUMNS, rows: containersOf(i.c).filter((k) => k.conId > ROOT_ID).map((k) => containerRow(i, k)) }),
  // V$CONTAINERS: the root too; a non-CDB shows itself with CON_ID 0
  'V$CONTAINERS': (i) => ({
    columns: CONTAINER_COLUMNS,
    rows: i.c.cdb ? containersOf(i.c).map((k) => containerRow(i, k))
      : [[0, i.c.dbid, i.c.dbid, null, i.c.dbName, i.state === 'OPEN' ? 'READ WRITE' : 'MOUNTED', 'NO', D(i.startupTime), 0, 0, 8192, 'ENABLED']],
  }),
  DBA_PDBS: (i, s) => ({
    columns: [...N('PDB_ID'), ...V('PDB_NAME'), ...N('DBID', 'CON_UID'), ...V('GUID', 'STATUS'), ...N('CREATION_SCN', 'CON_ID')],
    rows: containersOf(i.c).filter((k) => k.conId > ROOT_ID && (s.conId <= ROOT_ID || k.conId === s.conId)).map((k) => [k.conId, k.name, k.dbid, k.dbid, k.guid, 'NORMAL', k.createScn, k.conId]),
  }),
};

/** CDB_xxx from DBA_xxx: the rows of every container open now (one in a PDB, CON_ID 0 in a non-CDB), with CON_ID. */
export function cdbView(inst: Instance, s: SessionState, dba: (k: SessionState) => View): View {
  let ids: number[];
  if (!inst.c.cdb) ids = [0];
  else if (s.conId > ROOT_ID) ids = [s.conId];
  else ids = containersOf(inst.c).filter((k) => openModeOf(inst.c, inst.state === 'OPEN', k.conId) !== 'MOUNTED' && !k.restricted).map((k) => k.conId);
  let columns: ColumnDef[] = [];
  const rows: Cell[][] = [];
  for (const conId of ids) {
    const v = dba({ conId });
    columns = v.columns;
    for (const r of v.rows) rows.push([...r, conId]);
  }
  if (!columns.length) columns = dba({ conId: ids[0] ?? 0 }).columns;
  return { columns: [...columns, ...N('CON_ID')], rows };
}

/** Inside a PDB a V$ view shows that PDB's rows and the rows of the whole CDB (CON_ID 0). */
export function onlyContainer(v: View, s: SessionState): View {
  if (s.conId <= ROOT_ID) return v;
  const k = v.columns.findIndex((c) => c.name === 'CON_ID');
  if (k < 0) return v;
  return { columns: v.columns, rows: v.rows.filter((r) => r[k] === 0 || r[k] === s.conId) };
}
