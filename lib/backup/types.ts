// The shapes a backup plan is made of: datafile rows as the database lists them, markers,
// the per-tablespace plan and its rsync batches. In a container database a tablespace is
// known by its container and name: `key` (TablespacePlan.name, FilePlan.tablespace) is
// `<container>/<tablespace>` there and the bare name in a non-CDB (containers.ts).
import type { PathRule } from '../pathmap.ts';

export interface DatafileRow {
  tablespace: string;
  contents: string; // PERMANENT | UNDO | TEMPORARY
  tsStatus: string; // ONLINE | OFFLINE | READ ONLY
  fileId: number;
  path: string;
  bytes: number;
  /** Container database: the container (CDB$ROOT, PDB$SEED, a PDB) and its OPEN_MODE now; absent in a non-CDB. */
  container?: string;
  containerMode?: string;
  /** V$DATAFILE.CHECKPOINT_CHANGE# (container database): where recovery of a closed container's file starts. */
  checkpointScn?: bigint;
}

export interface BackupFileStatus {
  fileId: number;
  active: boolean; // V$BACKUP.STATUS = 'ACTIVE'
  changeScn: bigint; // V$BACKUP.CHANGE#
}

/** What a `ts_<SID>[.<container>].<TS>.done` marker certifies. */
export interface DoneMarker {
  /** The bare tablespace name (its container, in a CDB, is `container`). */
  tablespace: string;
  container?: string;
  /** ORACLE_SID and DBID of the database copied (absent in markers written before they were keyed). */
  sid?: string;
  dbid?: string;
  cutoffScn: string;
  /** windowScn: V$BACKUP.CHANGE# of the window the copy was read in (absent for read-only/offline files). */
  files: { fileId: number; source: string; dest: string; bytes: number; windowScn?: string }[];
  completedAt: string;
}

export interface FilePlan {
  fileId: number;
  tablespace: string;
  source: string;
  dest: string;
  bytes: number;
  rule: PathRule | null;
}

export type WindowMode =
  | 'begin' // BEGIN BACKUP before the first copy, END BACKUP after the last
  | 'resume' // already in backup mode since after the cutoff (a killed run): copy inside that window, END after
  | 'restart' // in backup mode from before the cutoff, or only some files: END BACKUP first, then as 'begin'
  | 'none'; // read-only or offline: copied without backup mode (ORA-01642 / ORA-01128 otherwise)

export interface TablespacePlan {
  /** The tablespace's key: `<container>/<tablespace>` in a CDB, the name in a non-CDB. */
  name: string;
  /** CDB: the container and the bare tablespace name (absent in a non-CDB: `name` is the tablespace). */
  container?: string;
  tablespace?: string;
  /** Why the copy needs no window (a container not open READ WRITE), for the tablespace's log. */
  noWindowReason?: string;
  core: boolean;
  window: WindowMode;
  files: FilePlan[];
  bytes: number;
  /** Files already certified by a valid marker (kept in the new marker). */
  keptFiles: DoneMarker['files'];
}

export interface Batch {
  id: number;
  srcRoot: string;
  destRoot: string;
  files: FilePlan[];
  tablespaces: string[];
  bytes: number;
}

export interface BackupPlan {
  tablespaces: TablespacePlan[];
  skipped: { name: string; reason: string }[];
  batches: Batch[];
  totalBytes: number;
  /** Tablespaces we own no work for whose files are in a backup window this tool opened: END BACKUP them. */
  strayBackupMode: string[];
  /** Tablespaces to copy whose files are in a backup window someone else opened: the run must not start. */
  foreignWindows: ForeignWindow[];
}

export interface ForeignWindow {
  /** The tablespace's key (container/tablespace in a CDB). */
  tablespace: string;
  /** CDB: the container and bare name, for the statement that ends the window. */
  ref?: { container: string; tablespace: string };
  files: { fileId: number; path: string; sinceScn: bigint }[];
}

export interface PlanInput {
  datafiles: DatafileRow[];
  /** Every tablespace with its CONTENTS, to report temporary ones as skipped. */
  tablespaces: { name: string; contents: string }[];
  backup: BackupFileStatus[];
  done: Map<string, DoneMarker>;
  cutoffScn: bigint;
  pathMap: PathRule[];
  unmappedPaths: 'error' | 'same_path';
  excludeTablespaces: string[];
  coreTablespaces: string[];
  batchMaxFiles: number;
  batchMaxBytes: number;
  /** Workers that will copy: batches are sized so that each gets work. */
  parallel: number;
  /** Tablespaces this tool put in backup mode in a run that did not finish (the in-flight file). */
  inflight: string[];
  /** DBID of the database: a marker written for another database is not trusted. */
  dbid?: string;
}

