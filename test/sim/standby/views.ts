// Views of the standby instance (Oracle's names and columns): what a mounted physical standby
// answers. NOMOUNT answers V$INSTANCE and V$PARAMETER only (ORA-01507); DBA_ views need it open
// read only (ORA-01219 when mounted).
import os from 'node:os';
import { type Cell, type ColumnDef, type ColumnType, OraError, type View } from '../sql/types.ts';
import { ORA_IDLE, readFileHeader, type StandbyInstance } from './instance.ts';

type Spec = [string, ColumnType][];
const N = (...n: string[]): Spec => n.map((x) => [x, 'NUMBER']);
const V = (...n: string[]): Spec => n.map((x) => [x, 'VARCHAR2']);
const T = (...n: string[]): Spec => n.map((x) => [x, 'DATE']);
const D = (ms: number | null | undefined): Date | null => (ms ? new Date(ms - (ms % 1000)) : null);
const view = (spec: Spec, rows: Cell[][]): View => ({ columns: spec.map(([name, type]): ColumnDef => ({ name, type })), rows });

type Builder = (i: StandbyInstance) => View;

function headerOf(i: StandbyInstance, file: number) {
  const f = i.s.files.find((x) => x.file === file)!;
  return f.unnamed ? undefined : readFileHeader(f.name);
}

const views: Record<string, Builder> = {
  DUAL: () => view(V('DUMMY'), [['X']]),
  'V$INSTANCE': (i) => view([...N('INSTANCE_NUMBER'), ...V('INSTANCE_NAME', 'HOST_NAME', 'VERSION', 'VERSION_FULL'), ...T('STARTUP_TIME'), ...V('STATUS', 'ARCHIVER'), ...N('THREAD#'), ...V('DATABASE_STATUS', 'INSTANCE_ROLE', 'EDITION')],
    [[1, i.s.sid, os.hostname(), '19.0.0.0.0', '19.3.0.0.0', D(i.startupTime), i.state, 'STARTED', 1, 'ACTIVE', 'PRIMARY_INSTANCE', 'SE']]),
  'V$PARAMETER': (i) => view([...N('NUM'), ...V('NAME'), ...N('TYPE'), ...V('VALUE', 'DISPLAY_VALUE', 'ISDEFAULT')],
    Object.entries({ ...i.s.params, instance_name: i.s.sid, db_block_size: '8192', compatible: '19.0.0' }).sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v], n) => [n + 1, k, /^\d+$/.test(v) ? 3 : 2, v === '' ? null : v, v === '' ? null : v, v === '' ? 'TRUE' : 'FALSE'])),
  'V$DATABASE': (i) => {
    const cf = i.s.cf;
    const scn = i.recoveredScn();
    return view([...N('DBID'), ...V('NAME', 'DB_UNIQUE_NAME', 'LOG_MODE', 'CONTROLFILE_TYPE', 'OPEN_MODE', 'DATABASE_ROLE', 'FORCE_LOGGING', 'PLATFORM_NAME', 'SWITCHOVER_STATUS'), ...N('CURRENT_SCN', 'CHECKPOINT_CHANGE#', 'RESETLOGS_CHANGE#'), ...T('CONTROLFILE_TIME'), ...V('CDB'), ...N('CON_ID', 'CON_DBID')],
      [[cf.dbid, cf.dbName, i.s.params.db_unique_name, 'ARCHIVELOG', 'STANDBY', i.state === 'OPEN' ? 'READ ONLY' : 'MOUNTED', 'PHYSICAL STANDBY', 'NO', 'Linux x86 64-bit', 'NOT ALLOWED',
        scn, scn, cf.resetlogsScn, D(cf.createdTime), cf.containers ? 'YES' : 'NO', 0, cf.dbid]]);
  },
  'V$TABLESPACE': (i) => view([...N('TS#'), ...V('NAME', 'INCLUDED_IN_DATABASE_BACKUP', 'BIGFILE'), ...N('CON_ID')],
    i.s.cf.tablespaces.map((t) => [t.ts, t.name, 'YES', 'NO', conOfTs(i, t.ts, t.name)])),
  'V$DATAFILE': (i) => view([...N('FILE#', 'CREATION_CHANGE#', 'TS#', 'RFILE#'), ...V('STATUS', 'ENABLED'), ...N('CHECKPOINT_CHANGE#'), ...T('CHECKPOINT_TIME'), ...N('UNRECOVERABLE_CHANGE#', 'BYTES', 'BLOCKS', 'BLOCK_SIZE'), ...V('NAME'), ...N('CON_ID', 'FIRST_NONLOGGED_SCN'), ...T('FIRST_NONLOGGED_TIME')],
    i.s.files.map((f) => {
      const h = headerOf(i, f.file);
      const nl = (i.s.nonlogged ?? []).filter((x) => x.file === f.file).sort((a, b) => a.scn - b.scn)[0];
      return [f.file, f.creationScn, f.ts, f.file, f.status, f.enabled, h?.checkpointScn ?? f.creationScn, D(h?.checkpointTime), 0, h ? f.blocks * 8192 : 0, f.blocks, 8192, f.name, f.conId, nl?.scn ?? 0, D(nl?.time)];
    })),
  'V$NONLOGGED_BLOCK': (i) => view([...N('FILE#', 'BLOCK#', 'BLOCKS', 'NONLOGGED_START_CHANGE#'), ...T('NONLOGGED_START_TIME'), ...N('NONLOGGED_END_CHANGE#'), ...T('NONLOGGED_END_TIME'), ...N('RESETLOGS_CHANGE#'), ...V('OBJECT#', 'REASON'), ...N('CON_ID')],
    nonloggedRanges(i).map((r) => [r.file, r.block, r.blocks, r.start, D(r.startTime), r.end, D(r.endTime), i.s.cf.resetlogsScn, null, 'UNKNOWN', i.s.files.find((f) => f.file === r.file)?.conId ?? 0])),
  'V$DATAFILE_HEADER': (i) => view([...N('FILE#'), ...V('STATUS', 'ERROR', 'RECOVER', 'FUZZY'), ...N('CREATION_CHANGE#', 'CHECKPOINT_CHANGE#'), ...T('CHECKPOINT_TIME'), ...N('BYTES', 'BLOCKS'), ...V('NAME', 'TABLESPACE_NAME'), ...N('CON_ID')],
    i.s.files.map((f) => {
      const h = headerOf(i, f.file);
      const fuzzy = h ? h.fuzzy || h.onlineFuzzy === true : null;
      return [f.file, 'ONLINE', h ? null : 'FILE NOT FOUND', h ? (fuzzy ? 'YES' : 'NO') : null, fuzzy === null ? null : fuzzy ? 'YES' : 'NO',
        h?.creationScn ?? null, h?.checkpointScn ?? null, D(h?.checkpointTime), h ? f.blocks * 8192 : 0, h ? f.blocks : 0, f.name, f.tablespace, f.conId];
    })),
  'V$RECOVER_FILE': (i) => {
    const heads = i.recoverFiles().map((f) => ({ f, h: headerOf(i, f.file) }));
    const top = Math.max(0, ...heads.map((x) => x.h?.checkpointScn ?? 0));
    const need = heads.filter(({ h }) => !h || h.fuzzy || h.onlineFuzzy || h.checkpointScn < top);
    return view([...N('FILE#'), ...V('ONLINE', 'ONLINE_STATUS', 'ERROR'), ...N('CHANGE#'), ...T('TIME'), ...N('CON_ID')],
      need.map(({ f, h }) => [f.file, 'ONLINE', 'ONLINE', h ? null : f.unnamed ? 'FILE MISSING' : 'FILE NOT FOUND', h?.checkpointScn ?? 0, D(h?.checkpointTime), f.conId]));
  },
  'V$ARCHIVED_LOG': (i) => view([...N('RECID', 'STAMP'), ...V('NAME'), ...N('DEST_ID', 'THREAD#', 'SEQUENCE#', 'RESETLOGS_CHANGE#', 'RESETLOGS_ID', 'FIRST_CHANGE#'), ...T('FIRST_TIME'), ...N('NEXT_CHANGE#'), ...T('NEXT_TIME'), ...N('BLOCKS', 'BLOCK_SIZE'), ...V('CREATOR', 'REGISTRAR', 'STANDBY_DEST', 'ARCHIVED', 'APPLIED', 'DELETED', 'STATUS'), ...T('COMPLETION_TIME'), ...N('CON_ID')],
    i.s.logs.map((l) => [l.recid, l.recid, l.name, 0, 1, l.sequence, i.s.cf.resetlogsScn, l.resetlogsId, l.firstChange, D(l.firstTime), l.nextChange, D(l.nextTime), l.blocks, 512, 'ARCH', l.registrar, 'NO', 'YES', l.applied, 'NO', 'A', D(l.completionTime), 0])),
  'V$LOG_HISTORY': (i) => view([...N('RECID', 'STAMP', 'THREAD#', 'SEQUENCE#', 'FIRST_CHANGE#'), ...T('FIRST_TIME'), ...N('NEXT_CHANGE#', 'RESETLOGS_CHANGE#'), ...N('CON_ID')],
    i.s.history.map((h, n) => [n + 1, n + 1, 1, h.sequence, h.firstChange, D(h.firstTime), h.nextChange, i.s.cf.resetlogsScn, 0])),
  'V$BACKUP': (i) => view([...N('FILE#'), ...V('STATUS'), ...N('CHANGE#'), ...T('TIME'), ...N('CON_ID')], i.s.files.map((f) => [f.file, 'NOT ACTIVE', 0, null, f.conId])),
  'V$PDBS': (i) => view([...N('CON_ID', 'DBID'), ...V('NAME', 'OPEN_MODE', 'RESTRICTED'), ...N('TOTAL_SIZE')],
    (i.s.cf.containers ?? []).filter((k) => k.conId >= 2).map((k) => [k.conId, i.s.cf.dbid, k.name, i.state === 'OPEN' ? 'READ ONLY' : 'MOUNTED', 'NO', 0])),
  DBA_TABLESPACES: (i) => view([...V('TABLESPACE_NAME'), ...N('BLOCK_SIZE'), ...V('STATUS', 'CONTENTS', 'LOGGING', 'FORCE_LOGGING')],
    i.s.cf.tablespaces.filter((t) => conOfTs(i, t.ts, t.name) <= 1).map((t) => [t.name, 8192, t.status, t.contents, 'LOGGING', 'NO'])),
  DBA_DATA_FILES: (i) => view([...V('FILE_NAME'), ...N('FILE_ID'), ...V('TABLESPACE_NAME'), ...N('BYTES', 'BLOCKS'), ...V('STATUS', 'ONLINE_STATUS')],
    i.s.files.filter((f) => f.conId <= 1).map((f) => [f.name, f.file, f.tablespace, f.blocks * 8192, f.blocks, 'AVAILABLE', f.status])),
};

/** Consecutive nonlogged blocks of a file as one range (as the controlfile records them). */
function nonloggedRanges(i: StandbyInstance) {
  const all = [...(i.s.nonlogged ?? [])].sort((a, b) => a.file - b.file || a.block - b.block);
  const out: { file: number; block: number; blocks: number; start: number; end: number; startTime: number; endTime: number }[] = [];
  for (const x of all) {
    const last = out.at(-1);
    if (last && last.file === x.file && last.block + last.blocks === x.block) {
      last.blocks++;
      if (x.scn < last.start) [last.start, last.startTime] = [x.scn, x.time];
      if (x.scn > last.end) [last.end, last.endTime] = [x.scn, x.time];
    } else out.push({ file: x.file, block: x.block, blocks: 1, start: x.scn, end: x.scn, startTime: x.time, endTime: x.time });
  }
  return out;
}

/** The container of a tablespace (the standby controlfile lists tablespaces without CON_ID; their files carry it). */
function conOfTs(i: StandbyInstance, ts: number, name: string): number {
  return i.s.files.find((f) => f.ts === ts && f.tablespace === name)?.conId ?? 0;
}

const NOMOUNT = new Set(['V$INSTANCE', 'V$PARAMETER', 'DUAL']);

export function standbyView(i: StandbyInstance, raw: string): View | undefined {
  const name = raw.toUpperCase().replace(/^SYS\./, '').replace(/^V_\$/, 'V$');
  const b = views[name];
  if (!b) return undefined;
  if (i.state === 'IDLE') throw new OraError(ORA_IDLE);
  if (i.state === 'STARTED' && !NOMOUNT.has(name)) throw new OraError(['ORA-01507: database not mounted']);
  if (name.startsWith('DBA_') && i.state !== 'OPEN') throw new OraError(['ORA-01219: database or pluggable database not open: queries allowed on fixed tables or views only']);
  return b(i);
}
