// The standby instance's control data: its init parameters and its (standby) controlfile, made
// by `sim standby-init` from the shipped standby controlfile and kept in
// H/dbs/sim_S/standby.json (atomic writes). The controlfile part changes as the standby works:
// file names (DB_FILE_NAME_CONVERT, CREATE DATAFILE AS, RENAME FILE), files added by recovery
// (UNNAMEDnnnnn), archived logs registered or applied, the log history.
import fs from 'node:fs';
import path from 'node:path';
import { stateDir, writeAtomic } from '../instance/control.ts';
import { readStandbyControlfile, type StandbyControlfile } from '../instance/standby-controlfile.ts';
import { convertName, parseConvert } from '../instance/standby-files.ts';

export const STANDBY_STATE = 'standby.json';
const MAGIC = 'SIM STANDBY INSTANCE v1';

export interface StandbyParams {
  db_name: string;
  db_unique_name: string;
  /** 'from1,to1,from2,to2' (pairs, first match wins) */
  db_file_name_convert: string;
  /** LOCATION=<dir>: where RECOVER AUTOMATIC (without FROM) looks for the names it suggests */
  log_archive_dest_1: string;
  log_archive_format: string;
  standby_file_management: 'MANUAL' | 'AUTO';
}

export interface StandbyDatafile {
  file: number;
  ts: number;
  tablespace: string;
  conId: number;
  /** the name on production (the standby controlfile's) */
  primaryName: string;
  /** the name on the standby: converted, or set by CREATE DATAFILE AS / RENAME FILE; $ORACLE_HOME/dbs/UNNAMEDnnnnn for a file recovery could not create */
  name: string;
  blocks: number;
  creationScn: number;
  status: string;
  enabled: string;
  /** recovered by redo (online, read-write, not in a READ ONLY container) */
  recover: boolean;
  unnamed?: boolean;
}

export interface StandbyArchivedLog {
  recid: number;
  name: string;
  sequence: number;
  firstChange: number;
  nextChange: number;
  firstTime: number;
  nextTime: number;
  blocks: number;
  resetlogsId: number;
  /** YES once recovery applied it */
  applied: 'YES' | 'NO';
  /** RFS (none here: no redo transport), MANUAL (REGISTER LOGFILE), SRMN (found by RECOVER) */
  registrar: string;
  completionTime: number;
}

export interface StandbyState {
  magic: string;
  home: string;
  sid: string;
  params: StandbyParams;
  cf: StandbyControlfile;
  files: StandbyDatafile[];
  logs: StandbyArchivedLog[];
  /** blocks media recovery marked unrecoverable (invalidation redo of a NOLOGGING change): V$NONLOGGED_BLOCK, FIRST_NONLOGGED_SCN */
  nonlogged?: { file: number; block: number; scn: number; time: number }[];
  /** V$LOG_HISTORY: logs recovery applied, by sequence */
  history: { sequence: number; firstChange: number; nextChange: number; firstTime: number; nextTime: number }[];
}

export function standbyStatePath(home: string, sid: string): string {
  return path.join(stateDir(path.resolve(home), sid), STANDBY_STATE);
}

export function isStandbyHome(home: string, sid: string): boolean {
  return fs.existsSync(standbyStatePath(home, sid));
}

export function loadStandbyState(dir: string): StandbyState {
  const s = JSON.parse(fs.readFileSync(path.join(dir, STANDBY_STATE), 'utf8')) as StandbyState;
  if (s.magic !== MAGIC) throw new Error(`${path.join(dir, STANDBY_STATE)} is not a standby instance of the simulator`);
  return s;
}

export function saveStandbyState(dir: string, s: StandbyState): void {
  writeAtomic(path.join(dir, STANDBY_STATE), JSON.stringify(s, null, 1));
}

export class StandbyInitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StandbyInitError';
  }
}

export interface StandbyInitOptions {
  home: string;
  sid: string;
  controlfile: string;
  archiveDest: string;
  logArchiveFormat?: string;
  fileNameConvert?: string;
  standbyFileManagement?: string;
  /** writes H/bin/sqlplus (the same wrapper `sim create` writes) */
  writeSqlplus(home: string): void;
}

/**
 * `sim standby-init`: the DR instance's parameter file and its copy of the standby controlfile
 * (as a DBA copies the shipped controlfile to the CONTROL_FILES location and writes a pfile).
 * Refuses to overwrite an existing instance.
 */
export function initStandby(o: StandbyInitOptions): StandbyState {
  const home = path.resolve(o.home);
  const dir = stateDir(home, o.sid);
  if (fs.existsSync(path.join(dir, STANDBY_STATE)) || fs.existsSync(path.join(dir, 'control.json'))) {
    throw new StandbyInitError(`an instance ${o.sid} already exists in ${home} (${dir}); remove it first`);
  }
  let cf: StandbyControlfile;
  try {
    cf = readStandbyControlfile(o.controlfile);
  } catch (e) {
    throw new StandbyInitError(`cannot read the standby controlfile '${o.controlfile}': ${(e as Error).message}`);
  }
  const sfm = (o.standbyFileManagement ?? 'MANUAL').toUpperCase();
  if (sfm !== 'MANUAL' && sfm !== 'AUTO') throw new StandbyInitError(`--standby-file-management must be MANUAL or AUTO, got '${o.standbyFileManagement}'`);
  let pairs: [string, string][];
  try {
    pairs = parseConvert(o.fileNameConvert);
  } catch (e) {
    throw new StandbyInitError((e as Error).message);
  }
  const readOnlyCon = new Set((cf.containers ?? []).filter((k) => k.openMode === 'READ ONLY').map((k) => k.conId));
  const s: StandbyState = {
    magic: MAGIC, home, sid: o.sid,
    params: {
      db_name: cf.dbName, db_unique_name: `${cf.dbName}_DR`, db_file_name_convert: pairs.flat().join(','),
      log_archive_dest_1: `LOCATION=${path.resolve(o.archiveDest)}`, log_archive_format: o.logArchiveFormat ?? cf.logArchiveFormat,
      standby_file_management: sfm,
    },
    cf,
    files: cf.datafiles.map((d) => ({
      file: d.file, ts: d.ts, tablespace: d.tablespace, conId: d.conId ?? 0, primaryName: d.name, name: convertName(d.name, pairs), blocks: d.blocks,
      creationScn: d.creationScn, status: d.status, enabled: d.enabled,
      recover: d.status !== 'OFFLINE' && d.enabled === 'READ WRITE' && !readOnlyCon.has(d.conId ?? 0),
    })),
    logs: [],
    history: cf.archivedLogs.map((a) => ({ sequence: a.sequence, firstChange: a.firstChange, nextChange: a.nextChange, firstTime: 0, nextTime: 0 })),
  };
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  saveStandbyState(dir, s);
  o.writeSqlplus(home);
  return s;
}

/** LOG_ARCHIVE_DEST_1's LOCATION. */
export function archiveDestOf(s: StandbyState): string {
  return s.params.log_archive_dest_1.replace(/^LOCATION=/i, '');
}
