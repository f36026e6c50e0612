// Dynamic performance views and DBA_ views of the simulated instance (Oracle's column names and value sets).
// In a CDB (CONTRACT.md "Container databases"): V$ views show every container from the root and
// only the current PDB's rows (and CON_ID 0 rows) from inside a PDB; DBA_ views show the current
// container; CDB_ views are built from the DBA_ views of every open container (views-cdb.ts).
import os from 'node:os';
import { type Cell, type ColumnDef, type ColumnType, OraError, type View } from '../sql/types.ts';
import { conOf, inContainer, newSession, openModeOf, type SessionState } from './containers.ts';
import { tablespaceOf } from './control.ts';
import { readHeaderAt } from './datafile.ts';
import type { Instance } from './instance.ts';
import { ORA_IDLE } from './lifecycle.ts';
import { CDB_OF_DBA, cdbView, cdbViews, onlyContainer } from './views-cdb.ts';

const MAX_SCN = BigInt('18446744073709551615');
type Spec = [string, ColumnType][];
/** A DATE column: whole seconds (Oracle DATEs have no fraction of a second). */
const D = (ms: number | null | undefined): Date | null => (ms ? new Date(ms - (ms % 1000)) : null);
const yn = (b: boolean) => (b ? 'YES' : 'NO');

function view(spec: Spec, rows: Cell[][]): View {
  const columns: ColumnDef[] = spec.map(([name, type]) => ({ name, type }));
  return { columns, rows };
}
const N = (...names: string[]): Spec => names.map((n) => [n, 'NUMBER']);
const V = (...names: string[]): Spec => names.map((n) => [n, 'VARCHAR2']);
const T = (...names: string[]): Spec => names.map((n) => [n, 'DATE']);

/** Builds a view for a session; DBA_ builders list the session's container only. */
type Builder = (inst: Instance, s: SessionState) => View;
/** Rows of the container a DBA_ view is asked for (a non-CDB: everything, CON_ID 0). */
const mine = <T extends { conId?: number }>(xs: T[], s: SessionState): T[] => inContainer(xs, s.conId);
const yesNoCdb = (i: Instance) => (i.c.cdb ? 'YES' : 'NO');

const views: Record<string, Builder> = {
  DUAL: () => view(V('DUMMY'), [['X']]),
  'V$DATABASE': (i) => {
    const c = i.c;
    const open = i.state === 'OPEN';
    const ckpt = Math.min(...i.liveFiles().map((d) => d.checkpointScn));
    return view([...N('DBID'), ...V('NAME', 'DB_UNIQUE_NAME', 'LOG_MODE', 'CONTROLFILE_TYPE', 'OPEN_MODE', 'DATABASE_ROLE', 'FORCE_LOGGING', 'PLATFORM_NAME'), ...N('CURRENT_SCN', 'CHECKPOINT_CHANGE#', 'RESETLOGS_CHANGE#'), ...T('RESETLOGS_TIME', 'CREATED'), ...V('CDB'), ...N('CON_ID', 'CON_DBID')],
      [[c.dbid, c.dbName, c.params.db_unique_name ?? c.dbName, c.logMode, 'CURRENT', open ? 'READ WRITE' : 'MOUNTED', 'PRIMARY', yn(c.forceLogging), 'Linux x86 64-bit', open ? c.scn : 0, ckpt, c.resetlogsScn, D(c.resetlogsTime), D(c.createdTime), yesNoCdb(i), 0, c.dbid]]);
  },
  'V$INSTANCE': (i) => view([...N('INSTANCE_NUMBER'), ...V('INSTANCE_NAME', 'HOST_NAME', 'VERSION', 'VERSION_FULL'), ...T('STARTUP_TIME'), ...V('STATUS', 'ARCHIVER'), ...N('THREAD#'), ...V('DATABASE_STATUS', 'EDITION')],
    [[1, i.c.sid, os.hostname(), '19.0.0.0.0', '19.3.0.0.0', D(i.startupTime), i.state === 'OPEN' ? 'OPEN' : i.state,
      i.c.logMode !== 'ARCHIVELOG' ? 'STOPPED' : i.c.dests.some((d) => d.status === 'ERROR') ? 'FAILED' : 'STARTED', 1, 'ACTIVE', 'SE']]),
  'V$TABLESPACE': (i) => view([...N('TS#'), ...V('NAME', 'INCLUDED_IN_DATABASE_BACKUP', 'BIGFILE', 'FLASHBACK_ON'), ...N('CON_ID')],
    i.c.tablespaces.map((t) => [t.ts, t.name, 'YES', 'NO', 'NO', conOf(t)])),
  'V$DATAFILE': (i) => view([...N('FILE#', 'CREATION_CHANGE#'), ...T('CREATION_TIME'), ...N('TS#', 'RFILE#'), ...V('STATUS', 'ENABLED'), ...N('CHECKPOINT_CHANGE#'), ...T('CHECKPOINT_TIME'), ...N('UNRECOVERABLE_CHANGE#'), ...T('UNRECOVERABLE_TIME'), ...N('BYTES', 'BLOCKS', 'CREATE_BYTES', 'BLOCK_SIZE'), ...V('NAME'), ...N('CON_ID', 'FIRST_NONLOGGED_SCN'), ...T('FIRST_NONLOGGED_TIME')],
    // FIRST_NONLOGGED_SCN is set by media recovery when it meets invalidation redo (a standby); a primary shows 0
    i.c.datafiles.map((d) => [d.file, d.creationScn, D(d.creationTime), d.ts, d.file, d.status, d.enabled, d.checkpointScn, D(d.checkpointTime), d.unrecoverableScn, D(d.unrecoverableTime), d.blocks * 8192, d.blocks, d.blocks * 8192, 8192, d.name, conOf(d), 0, null])),
  'V$DATAFILE_HEADER': (i) => view([...N('FILE#'), ...V('STATUS', 'ERROR', 'RECOVER', 'FUZZY'), ...N('CREATION_CHANGE#', 'CHECKPOINT_CHANGE#'), ...T('CHECKPOINT_TIME'), ...N('BYTES', 'BLOCKS'), ...V('NAME', 'TABLESPACE_NAME'), ...N('CON_ID')],
    i.c.datafiles.map((d) => {
      let h;
      try {
        h = readHeaderAt(d.name);
      } catch {
        h = undefined;
      }
      const live = i.state === 'OPEN' && d.status !== 'OFFLINE' && d.enabled === 'READ WRITE' && openModeOf(i.c, true, conOf(d)) === 'READ WRITE';
      return [d.file, d.status === 'OFFLINE' ? 'OFFLINE' : 'ONLINE', h ? null : 'FILE NOT FOUND', h ? 'NO' : null, h ? yn(live || h.fuzzy) : null,
        h?.creationScn ?? null, h?.checkpointScn ?? null, D(h?.checkpointTime), h ? d.blocks * 8192 : 0, h ? d.blocks : 0, d.name, tablespaceOf(i.c, d.ts, d.conId).name, conOf(d)];
    })),
  'V$TEMPFILE': (i) => view([...N('FILE#', 'CREATION_CHANGE#', 'TS#', 'RFILE#'), ...V('STATUS', 'ENABLED'), ...N('BYTES', 'BLOCKS', 'CREATE_BYTES', 'BLOCK_SIZE'), ...V('NAME'), ...N('CON_ID')],
    i.c.tempfiles.map((t) => [t.file, i.c.resetlogsScn, t.ts, t.file, 'ONLINE', 'READ WRITE', t.blocks * 8192, t.blocks, t.blocks * 8192, 8192, t.name, conOf(t)])),
  DBA_TABLESPACES: (i, s) => view([...V('TABLESPACE_NAME'), ...N('BLOCK_SIZE'), ...V('STATUS', 'CONTENTS', 'LOGGING', 'FORCE_LOGGING', 'EXTENT_MANAGEMENT', 'BIGFILE')],
    mine(i.c.tablespaces, s).map((t) => [t.name, 8192, t.status, t.contents, t.logging ? 'LOGGING' : 'NOLOGGING', yn(t.forceLogging === true), 'LOCAL', 'NO'])),
  DBA_DATA_FILES: (i, s) => view([...V('FILE_NAME'), ...N('FILE_ID'), ...V('TABLESPACE_NAME'), ...N('BYTES', 'BLOCKS'), ...V('STATUS'), ...N('RELATIVE_FNO'), ...V('AUTOEXTENSIBLE', 'ONLINE_STATUS')],
    mine(i.c.datafiles, s).map((d) => [d.name, d.file, tablespaceOf(i.c, d.ts, d.conId).name, d.status === 'OFFLINE' ? null : d.blocks * 8192, d.status === 'OFFLINE' ? null : d.blocks, 'AVAILABLE', d.file, 'NO', d.status])),
  DBA_TEMP_FILES: (i, s) => view([...V('FILE_NAME'), ...N('FILE_ID'), ...V('TABLESPACE_NAME'), ...N('BYTES', 'BLOCKS'), ...V('STATUS')],
    mine(i.c.tempfiles, s).map((t) => [t.name, t.file, tablespaceOf(i.c, t.ts, t.conId).name, t.blocks * 8192, t.blocks, 'ONLINE'])),
  'V$BACKUP': (i) => view([...N('FILE#'), ...V('STATUS'), ...N('CHANGE#'), ...T('TIME'), ...N('CON_ID')],
    i.c.datafiles.map((d) => [d.file, d.backup.active ? 'ACTIVE' : d.status === 'OFFLINE' ? 'OFFLINE NORMAL' : 'NOT ACTIVE', d.backup.change ?? 0, D(d.backup.time), conOf(d)])),
  'V$LOG': (i) => view([...N('GROUP#', 'THREAD#', 'SEQUENCE#', 'BYTES', 'BLOCKSIZE', 'MEMBERS'), ...V('ARCHIVED', 'STATUS'), ...N('FIRST_CHANGE#'), ...T('FIRST_TIME'), ...N('NEXT_CHANGE#'), ...T('NEXT_TIME'), ...N('CON_ID')],
    i.c.logs.map((g) => [g.group, 1, g.sequence, i.c.logSize, 512, g.members.length, yn(g.archived), g.status, g.firstChange, D(g.firstTime), g.status === 'CURRENT' ? MAX_SCN : g.nextChange ?? 0, D(g.nextTime), 0])),
  'V$LOGFILE': (i) => view([...N('GROUP#'), ...V('STATUS', 'TYPE', 'MEMBER', 'IS_RECOVERY_DEST_FILE'), ...N('CON_ID')],
    i.c.logs.flatMap((g) => g.members.map((m) => [g.group, null, 'ONLINE', m, 'NO', 0] as Cell[]))),
  'V$ARCHIVED_LOG': (i) => view([...N('RECID', 'STAMP'), ...V('NAME'), ...N('DEST_ID', 'THREAD#', 'SEQUENCE#', 'RESETLOGS_CHANGE#', 'RESETLOGS_ID', 'FIRST_CHANGE#'), ...T('FIRST_TIME'), ...N('NEXT_CHANGE#'), ...T('NEXT_TIME'), ...N('BLOCKS', 'BLOCK_SIZE'), ...V('STANDBY_DEST', 'ARCHIVED', 'APPLIED', 'DELETED', 'STATUS'), ...T('COMPLETION_TIME'), ...N('CON_ID')],
    i.c.archivedLogs.map((a) => [a.recid, a.stamp, a.name, a.destId, a.thread, a.sequence, a.resetlogsChange, a.resetlogsId, a.firstChange, D(a.firstTime), a.nextChange, D(a.nextTime), a.blocks, a.blockSize, 'NO', 'YES', 'NO', yn(a.deleted), a.status, D(a.completionTime), 0])),
  'V$BACKUP_REDOLOG': (i) => view([...N('RECID', 'STAMP', 'SET_STAMP', 'SET_COUNT', 'THREAD#', 'SEQUENCE#', 'RESETLOGS_CHANGE#'), ...T('RESETLOGS_TIME'), ...N('FIRST_CHANGE#'), ...T('FIRST_TIME'), ...N('NEXT_CHANGE#'), ...T('NEXT_TIME'), ...N('BLOCKS', 'BLOCK_SIZE'), ...V('TERMINAL'), ...N('CON_ID')],
    (i.c.backupRedologs ?? []).map((b) => [b.recid, b.stamp, b.setStamp, b.setCount, b.thread, b.sequence, b.resetlogsChange, D(b.resetlogsId === i.c.resetlogsId ? i.c.resetlogsTime : undefined), b.firstChange, D(b.firstTime), b.nextChange, D(b.nextTime), b.blocks, b.blockSize, 'NO', 0])),
  'V$ARCHIVE_DEST': (i) => view([...N('DEST_ID'), ...V('DEST_NAME', 'STATUS', 'BINDING', 'TARGET', 'DESTINATION', 'ERROR')],
    Array.from({ length: 31 }, (_, k) => {
      const d = i.c.dests.find((x) => x.id === k + 1);
      return [k + 1, `LOG_ARCHIVE_DEST_${k + 1}`, d ? d.status : 'INACTIVE', 'OPTIONAL', 'PRIMARY', d?.location ?? null, d?.error || null];
    })),
  'V$ARCHIVE_DEST_STATUS': (i) => view([...N('DEST_ID'), ...V('DEST_NAME', 'STATUS', 'TYPE', 'DATABASE_MODE', 'RECOVERY_MODE', 'DESTINATION', 'ERROR')],
    Array.from({ length: 31 }, (_, k) => {
      const d = i.c.dests.find((x) => x.id === k + 1);
      return [k + 1, `LOG_ARCHIVE_DEST_${k + 1}`, d ? d.status : 'INACTIVE', 'LOCAL', d ? (i.state === 'OPEN' ? 'OPEN' : 'MOUNTED-STANDBY') : 'UNKNOWN', 'IDLE', d?.location ?? null, d?.error || null];
    })),
  'V$RECOVERY_FILE_DEST': () => view([...V('NAME'), ...N('SPACE_LIMIT', 'SPACE_USED', 'SPACE_RECLAIMABLE', 'NUMBER_OF_FILES', 'CON_ID')], [[null, 0, 0, 0, 0, 0]]),
  ...cdbViews,
  'V$PARAMETER': (i) => view([...N('NUM'), ...V('NAME'), ...N('TYPE'), ...V('VALUE', 'DISPLAY_VALUE', 'ISDEFAULT')],
    Object.entries(i.c.params).sort(([a], [b]) => a.localeCompare(b)).map(([k, v], n) => [n + 1, k, /^\d+$/.test(v) ? 3 : 2, v === '' ? null : v, v === '' ? null : v, v === '' || k === 'standby_file_management' ? 'TRUE' : 'FALSE'])),
};

/** What an instance started NOMOUNT can answer (no controlfile read yet). */
const NOMOUNT_VIEWS = new Set(['V$INSTANCE', 'V$PARAMETER', 'DUAL']);

export function viewNames(): string[] {
  return [...Object.keys(views), ...CDB_OF_DBA.map((n) => 'CDB_' + n.slice(4))];
}

/**
 * SqlTarget.view for a session: undefined for unknown names; throws ORA-01034 when idle,
 * ORA-01219 for DBA_/CDB_ views when the database (or the session's PDB) is not open.
 */
export function getView(inst: Instance, rawName: string, s: SessionState = newSession(inst.c)): View | undefined {
  const name = rawName.toUpperCase().replace(/^SYS\./, '').replace(/^V_\$/, 'V$');
  const cdbOf = name.startsWith('CDB_') && CDB_OF_DBA.includes('DBA_' + name.slice(4)) ? views['DBA_' + name.slice(4)] : undefined;
  const b = views[name] ?? cdbOf;
  if (!b) return undefined;
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  if (inst.state === 'STARTED' && !NOMOUNT_VIEWS.has(name)) throw new OraError(['ORA-01507: database not mounted']);
  const dict = name.startsWith('DBA_') || name.startsWith('CDB_');
  if (dict && openModeOf(inst.c, inst.state === 'OPEN', s.conId) === 'MOUNTED') {
    throw new OraError(['ORA-01219: database or pluggable database not open: queries allowed on fixed tables or views only']);
  }
  if (cdbOf && !views[name]) return cdbView(inst, s, (k) => cdbOf(inst, k));
  const v = b(inst, s);
  return name.startsWith('V$') ? onlyContainer(v, s) : v;
}
