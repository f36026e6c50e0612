// Control data of the simulated instance (the "control file"): JSON in the state dir,
// written atomically (temp file, fsync, rename).
import fs from 'node:fs';
import path from 'node:path';
import type { FillSpec } from './fill.ts';

export type TsContents = 'PERMANENT' | 'UNDO' | 'TEMPORARY';
export type TsStatus = 'ONLINE' | 'OFFLINE' | 'READ ONLY';

export interface Tablespace {
  /** TS# (unique within its container) */
  ts: number;
  /** container (CDB only; absent = 0 in a non-CDB) */
  conId?: number;
  name: string;
  contents: TsContents;
  status: TsStatus;
  logging: boolean;
  /** ALTER TABLESPACE t FORCE LOGGING (DBA_TABLESPACES.FORCE_LOGGING) */
  forceLogging?: boolean;
  /** SCN at which the tablespace became READ ONLY / OFFLINE NORMAL (its files' checkpoint). */
  statusScn?: number;
}

export interface BackupState {
  active: boolean;
  change: number | null;
  time: number | null;
}

export interface Datafile {
  /** FILE#: unique across the whole CDB */
  file: number;
  ts: number;
  /** container (CDB only; absent = 0 in a non-CDB) */
  conId?: number;
  name: string;
  blocks: number;
  creationScn: number;
  creationTime: number;
  /** SYSTEM | ONLINE | OFFLINE (V$DATAFILE.STATUS). */
  status: 'SYSTEM' | 'ONLINE' | 'OFFLINE';
  enabled: 'READ WRITE' | 'READ ONLY' | 'DISABLED';
  /** Header checkpoint (frozen during backup mode). */
  checkpointScn: number;
  checkpointTime: number;
  /** All changes below this SCN are on disk (advances during backup mode too; drives log reuse). */
  realCheckpointScn: number;
  unrecoverableScn: number;
  unrecoverableTime: number | null;
  backup: BackupState;
}

export interface Tempfile {
  file: number;
  ts: number;
  conId?: number;
  name: string;
  blocks: number;
}

export type LogStatus = 'CURRENT' | 'ACTIVE' | 'INACTIVE' | 'UNUSED';
export interface LogGroup {
  group: number;
  members: string[];
  sequence: number;
  status: LogStatus;
  archived: boolean;
  firstChange: number;
  firstTime: number;
  nextChange: number | null;
  nextTime: number | null;
}

export interface ArchiveDest {
  id: number;
  location: string;
  status: 'VALID' | 'ERROR' | 'INACTIVE';
  error: string;
  /** fault: destination full, the archiver cannot write here */
  full: boolean;
  /** Oracle Managed Files (a fast recovery area): <location>/<DB_UNIQUE_NAME>/archivelog/<YYYY_MM_DD>/o1_mf_<t>_<s>_<id>_.arc, LOG_ARCHIVE_FORMAT ignored */
  omf?: boolean;
  /** ASM destination (location is +DISKGROUP): where the simulated disk group keeps the files. */
  asmStore?: string;
}

export interface ArchivedLog {
  recid: number;
  stamp: number;
  name: string | null;
  destId: number;
  thread: number;
  sequence: number;
  resetlogsChange: number;
  resetlogsId: number;
  firstChange: number;
  firstTime: number;
  nextChange: number;
  nextTime: number;
  blocks: number;
  blockSize: number;
  deleted: boolean;
  status: 'A' | 'D' | 'X';
  completionTime: number;
}

/** An archived log in an RMAN backup set (V$BACKUP_REDOLOG); `piece` holds its bytes. */
export interface BackupRedolog extends Pick<ArchivedLog, 'recid' | 'stamp' | 'thread' | 'sequence' | 'resetlogsChange' | 'resetlogsId' | 'firstChange' | 'firstTime' | 'nextChange' | 'nextTime' | 'blocks' | 'blockSize'> {
  setStamp: number;
  setCount: number;
  piece: string;
  /** the name the log had when it was backed up (RESTORE puts it back there) */
  name: string;
}

export type PdbOpenMode = 'READ WRITE' | 'READ ONLY' | 'MOUNTED';

/** A container of a CDB: CDB$ROOT (CON_ID 1), PDB$SEED (2), PDBs (3+). */
export interface Container {
  conId: number;
  name: string;
  /** the root's open mode follows the instance; kept here for PDBs (restored at STARTUP) */
  openMode: PdbOpenMode;
  restricted: boolean;
  dbid: number;
  guid: string;
  createScn: number;
  openTime: number | null;
}

export interface Control {
  version: 1;
  /** true for a container database (sim create --cdb) */
  cdb?: boolean;
  containers?: Container[];
  dbid: number;
  dbName: string;
  sid: string;
  home: string;
  root: string;
  logMode: 'ARCHIVELOG' | 'NOARCHIVELOG';
  forceLogging: boolean;
  scn: number;
  resetlogsId: number;
  resetlogsScn: number;
  resetlogsTime: number;
  createdTime: number;
  /** false while an instance has the database open; true after SHUTDOWN IMMEDIATE. */
  cleanShutdown: boolean;
  seed: number;
  tablespaces: Tablespace[];
  datafiles: Datafile[];
  tempfiles: Tempfile[];
  logs: LogGroup[];
  logSize: number;
  dests: ArchiveDest[];
  archivedLogs: ArchivedLog[];
  nextRecid: number;
  /** archived logs in RMAN backup sets (V$BACKUP_REDOLOG); absent in instances created before it */
  backupRedologs?: BackupRedolog[];
  params: Record<string, string>;
  /** standby recovery accepts a datafile copied open and outside backup mode when no torn block shows (default: strict, refused) */
  lenientCopies?: boolean;
  /** blocks that `sim create --fill` started with row data (fill.ts); absent: every block started empty */
  fill?: FillSpec;
}

export const CONTROL_FILE = 'control.json';

export function stateDir(home: string, sid: string): string {
  return path.join(home, 'dbs', `sim_${sid}`);
}

export function writeAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function saveControl(dir: string, c: Control): void {
  writeAtomic(path.join(dir, CONTROL_FILE), JSON.stringify(c, null, 1));
}

export class NoInstanceError extends Error {
  constructor(readonly dir: string) {
    super(`no simulated instance at ${dir} (run: sim create --home H --sid S --root R)`);
    this.name = 'NoInstanceError';
  }
}

export function loadControl(dir: string): Control {
  const file = path.join(dir, CONTROL_FILE);
  if (!fs.existsSync(file)) throw new NoInstanceError(dir);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Control;
}

/** The tablespace TS# `ts` of container `conId` (TS# is unique per container only; 0 in a non-CDB). */
export function tablespaceOf(c: Control, ts: number, conId = 0): Tablespace {
  const t = c.tablespaces.find((x) => x.ts === ts && (x.conId ?? 0) === conId);
  if (!t) throw new Error(`internal: no tablespace ${ts} in container ${conId}`);
  return t;
}
