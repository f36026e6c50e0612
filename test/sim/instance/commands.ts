// The statements of CONTRACT.md executed against the instance for a session (its current
// container in a CDB), with Oracle's errors. Container statements: pdb.ts.
import fs from 'node:fs';
import path from 'node:path';
import { type Command, OraError } from '../sql/types.ts';
import { conOf, inPdb, openModeOf, ROOT_ID, type SessionState, tablespacesOf } from './containers.ts';
import type { Datafile, Tablespace } from './control.ts';
import { createDatafile } from './datafile.ts';
import type { Instance } from './instance.ts';
import { ORA_IDLE, openDatabase } from './lifecycle.ts';
import { RecType } from './redo-format.ts';
import { pdbCommand } from './pdb.ts';
import { writeStandbyControlfile } from './standby-controlfile.ts';

const f1110 = (d: Datafile) => `ORA-01110: data file ${d.file}: '${d.name}'`;

/** The database (and in a CDB the session's container) must be open; `write`: open READ WRITE. */
export function needOpen(inst: Instance, s: SessionState, write = false): void {
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  const mode = openModeOf(inst.c, inst.state === 'OPEN', s.conId);
  if (mode === 'MOUNTED') throw new OraError(['ORA-01109: database not open']);
  if (write && mode === 'READ ONLY') throw new OraError(['ORA-16000: database or pluggable database open for read-only access']);
}

/** Operations on the whole CDB (log switch, controlfile, logging mode) are refused inside a PDB. */
function needRoot(s: SessionState): void {
  if (inPdb(s)) throw new OraError(['ORA-65040: operation not allowed from within a pluggable database']);
}

/** A tablespace of the session's container only (a PDB's USERS is not visible from the root). */
function findTs(inst: Instance, s: SessionState, name: string): Tablespace {
  const t = tablespacesOf(inst.c, s.conId).find((x) => x.name === name);
  if (!t) throw new OraError([`ORA-00959: tablespace '${name}' does not exist`]);
  return t;
}

const filesOf = (inst: Instance, t: Tablespace) => inst.c.datafiles.filter((d) => d.ts === t.ts && conOf(d) === conOf(t));

export async function beginBackup(inst: Instance, files: Datafile[]): Promise<void> {
  const now = Date.now();
  for (const d of files) {
    d.backup = { active: true, change: null, time: now };
    inst.imaged.set(d.file, new Set());
  }
  await inst.cache.flush(new Set(files.map((d) => d.file)), inst.c.scn + 1);
  for (const d of files) {
    d.realCheckpointScn = inst.cache.checkpointOf(d.file, inst.c.scn + 1);
    d.checkpointScn = d.realCheckpointScn;
    d.checkpointTime = now;
    d.backup.change = d.checkpointScn;
    inst.writeFileHeader(d);
  }
  inst.save();
}

export async function endBackup(inst: Instance, files: Datafile[]): Promise<void> {
  for (const d of files) {
    if (inst.state === 'OPEN') await inst.logRecord((scn) => ({ type: RecType.EndBackup, scn, file: d.file, block: 0, beginScn: d.backup.change ?? 0 }));
    d.backup = { active: false, change: d.backup.change, time: d.backup.time };
    inst.imaged.delete(d.file);
    if (inst.state === 'OPEN') d.realCheckpointScn = inst.cache.checkpointOf(d.file, inst.c.scn + 1);
    d.checkpointScn = d.realCheckpointScn;
    d.checkpointTime = Date.now();
    inst.writeFileHeader(d);
  }
  inst.cache.closeFds();
  inst.save();
}

async function tablespaceBackup(inst: Instance, s: SessionState, name: string, action: 'BEGIN' | 'END'): Promise<string> {
  needOpen(inst, s, true);
  const t = findTs(inst, s, name);
  const files = filesOf(inst, t);
  if (action === 'END') {
    const active = files.filter((d) => d.backup.active);
    if (!active.length) throw new OraError(['ORA-01142: cannot end online backup - none of the files are in backup']);
    await endBackup(inst, active);
    return 'Tablespace altered.';
  }
  if (t.contents === 'TEMPORARY') throw new OraError(['ORA-03217: invalid option for alter of TEMPORARY TABLESPACE']);
  if (inst.c.logMode !== 'ARCHIVELOG') throw new OraError(['ORA-01123: cannot start online backup; media recovery not enabled', f1110(files[0]!)]);
  if (t.status === 'READ ONLY') throw new OraError([`ORA-01642: begin backup not needed for read only tablespace '${t.name}'`]);
  const off = files.find((d) => d.status === 'OFFLINE');
  if (off) throw new OraError([`ORA-01128: cannot start online backup - file ${off.file} is offline`, f1110(off)]);
  const busy = files.find((d) => d.backup.active);
  if (busy) throw new OraError([`ORA-01146: cannot start online backup - file ${busy.file} is already in backup`, f1110(busy)]);
  await beginBackup(inst, files);
  return 'Tablespace altered.';
}

/**
 * ALTER DATABASE BEGIN/END BACKUP. From the root (or a non-CDB): every file of the CDB (BEGIN:
 * the files DBWR writes, so not PDB$SEED's nor a MOUNTED PDB's); from inside a PDB: that PDB's
 * files only (= ALTER PLUGGABLE DATABASE BEGIN/END BACKUP).
 */
export async function databaseBackup(inst: Instance, s: SessionState, action: 'BEGIN' | 'END'): Promise<string> {
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  const scope = (d: Datafile) => !inPdb(s) || conOf(d) === s.conId;
  if (action === 'END') {
    if (inPdb(s)) needOpen(inst, s);
    const active = inst.c.datafiles.filter((d) => d.backup.active && scope(d));
    if (!active.length) throw new OraError(['ORA-01142: cannot end online backup - none of the files are in backup']);
    await endBackup(inst, active);
    return 'Database altered.';
  }
  needOpen(inst, s, true);
  const files = inst.liveFiles().filter(scope);
  if (inst.c.logMode !== 'ARCHIVELOG') throw new OraError(['ORA-01123: cannot start online backup; media recovery not enabled', f1110(files[0]!)]);
  const busy = files.find((d) => d.backup.active);
  if (busy) throw new OraError([`ORA-01146: cannot start online backup - file ${busy.file} is already in backup`, f1110(busy)]);
  await beginBackup(inst, files);
  return 'Database altered.';
}

async function addDatafile(inst: Instance, s: SessionState, name: string, file: string, bytes: number): Promise<string> {
  needOpen(inst, s, true);
  const t = findTs(inst, s, name);
  if (t.contents === 'TEMPORARY') throw new OraError(['ORA-03217: invalid option for alter of TEMPORARY TABLESPACE']);
  if (fs.existsSync(file)) throw new OraError([`ORA-01119: error in creating database file '${file}'`, 'ORA-27038: created file already exists', 'Additional information: 1']);
  if (!fs.existsSync(path.dirname(file))) throw new OraError([`ORA-01119: error in creating database file '${file}'`, 'ORA-27040: file create error, unable to create file', 'Linux-x86_64 Error: 2: No such file or directory']);
  const c = inst.c;
  const fileNo = Math.max(...c.datafiles.map((d) => d.file)) + 1;
  const blocks = Math.max(16, Math.ceil(bytes / 8192));
  const scn = await inst.logRecord((s) => ({ type: RecType.FileCreate, scn: s, file: fileNo, block: 0, ts: t.ts, blocks, name: file, tablespace: t.name, conId: conOf(t) }));
  const now = Date.now();
  const d: Datafile = {
    file: fileNo, ts: t.ts, ...(t.conId !== undefined ? { conId: t.conId } : {}), name: file, blocks, creationScn: scn, creationTime: now, status: 'ONLINE', enabled: 'READ WRITE',
    checkpointScn: scn + 1, checkpointTime: now, realCheckpointScn: scn + 1, unrecoverableScn: 0, unrecoverableTime: null,
    backup: { active: false, change: null, time: null },
  };
  createDatafile(file, { file: fileNo, ts: t.ts, blocks, dbid: c.dbid, resetlogsId: c.resetlogsId, creationScn: scn, checkpointScn: scn + 1, checkpointTime: now, fuzzy: false, tablespace: t.name });
  c.datafiles.push(d);
  inst.liveGeneration++;
  inst.writeFileHeader(d); // open read-write from now on: online fuzzy
  inst.save();
  inst.alert(`Completed: alter tablespace ${t.name} add datafile '${file}'`);
  return 'Tablespace altered.';
}

async function readOnlyOrOffline(inst: Instance, s: SessionState, name: string, kind: 'ro' | 'rw' | 'offline' | 'online'): Promise<string> {
  needOpen(inst, s, true);
  const t = findTs(inst, s, name);
  const files = filesOf(inst, t);
  const busy = files.find((d) => d.backup.active);
  if (busy && (kind === 'ro' || kind === 'offline')) throw new OraError([`ORA-01150: cannot prevent writes - file ${busy.file} has online backup set`, f1110(busy)]);
  if (kind === 'ro' && t.status === 'READ ONLY') throw new OraError(['ORA-01644: tablespace \'' + t.name + '\' is already read only']);
  if (kind === 'rw' && t.status !== 'READ ONLY') throw new OraError([`ORA-01646: tablespace '${t.name}' is not read only - cannot make read write`]);
  if (kind === 'ro' || kind === 'offline') {
    await inst.checkpoint(files);
    for (const d of files) kind === 'ro' ? (d.enabled = 'READ ONLY') : (d.status = 'OFFLINE');
    for (const d of files) inst.writeFileHeader(d); // closed for writes: no longer online fuzzy
    t.status = kind === 'ro' ? 'READ ONLY' : 'OFFLINE';
    t.statusScn = Math.max(...files.map((d) => d.checkpointScn));
  } else {
    for (const d of files) kind === 'rw' ? (d.enabled = 'READ WRITE') : (d.status = 'ONLINE');
    t.status = files.some((d) => d.enabled === 'READ ONLY') ? 'READ ONLY' : 'ONLINE';
    inst.updateCheckpoints(files, true);
  }
  inst.liveGeneration++;
  inst.cache.closeFds();
  inst.save();
  return 'Tablespace altered.';
}

export async function execCommand(inst: Instance, cmd: Command, s: SessionState): Promise<string> {
  if (inst.state === 'STARTED' && cmd.kind !== 'mountDatabase') throw new OraError(['ORA-01507: database not mounted']);
  switch (cmd.kind) {
    case 'tablespaceBackup':
      return tablespaceBackup(inst, s, cmd.tablespace, cmd.action);
    case 'databaseBackup':
      return databaseBackup(inst, s, cmd.action);
    case 'datafileEndBackup': {
      if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
      // a datafile of the current container only (the root's files from the root)
      const mine = (x: Datafile) => !inst.c.cdb || conOf(x) === Math.max(s.conId, ROOT_ID);
      const d = inst.c.datafiles.find((x) => mine(x) && (typeof cmd.file === 'number' ? x.file === cmd.file : x.name === cmd.file));
      if (!d) throw new OraError([typeof cmd.file === 'number' ? `ORA-01516: nonexistent log file, data file, or temporary file "${cmd.file}"` : `ORA-01516: nonexistent log file, data file, or temporary file "${cmd.file}" in the current container`]);
      if (!d.backup.active) throw new OraError(['ORA-01142: cannot end online backup - none of the files are in backup']);
      await endBackup(inst, [d]);
      return 'Database altered.';
    }
    case 'switchLogfile':
      needOpen(inst, s);
      needRoot(s);
      await inst.switchLog('LGWR switch');
      return 'System altered.';
    case 'archiveLogCurrent': {
      needOpen(inst, s);
      needRoot(s);
      if (inst.c.logMode !== 'ARCHIVELOG') throw new OraError(['ORA-00258: manual archiving in NOARCHIVELOG mode must identify log']);
      const seq = await inst.switchLog('ARCHIVE LOG CURRENT');
      await inst.arch.waitFor(seq);
      return 'System altered.';
    }
    case 'checkpoint':
      needOpen(inst, s);
      await inst.checkpoint();
      return 'System altered.';
    case 'createStandbyControlfile':
      if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
      needRoot(s);
      writeStandbyControlfile(inst, cmd.path, cmd.reuse);
      return 'Database altered.';
    case 'addDatafile':
      return addDatafile(inst, s, cmd.tablespace, cmd.path, cmd.bytes);
    case 'forceLogging':
      if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
      needRoot(s);
      if (cmd.on && inst.c.forceLogging) throw new OraError(['ORA-12920: database is already in force logging mode']);
      inst.c.forceLogging = cmd.on;
      inst.save();
      return 'Database altered.';
    case 'tablespaceReadOnly':
      return readOnlyOrOffline(inst, s, cmd.tablespace, cmd.readOnly ? 'ro' : 'rw');
    case 'tablespaceOnline':
      return readOnlyOrOffline(inst, s, cmd.tablespace, cmd.online ? 'online' : 'offline');
    case 'mountDatabase':
      return mountPrimary(inst, cmd.standby);
    case 'managedRecovery':
      throw new OraError(['ORA-00439: feature not enabled: Managed Standby']);
    case 'createDatafileAs':
    case 'renameFile':
    case 'registerLogfile':
      throw new OraError([`SIM-00001: not supported by the simulator: ${cmd.kind} on a primary database`]);
    case 'tablespaceLogging':
      return tablespaceLogging(inst, s, cmd.tablespace, cmd.mode);
    case 'databaseOpen':
      if (cmd.readOnly) throw new OraError(['SIM-00001: not supported by the simulator: ALTER DATABASE OPEN READ ONLY of a primary database']);
      // inside a PDB, ALTER DATABASE OPEN opens that PDB
      if (inPdb(s)) return pdbCommand(inst, { kind: 'pluggableOpenClose', action: 'OPEN', except: [] }, s);
      await openDatabase(inst);
      return 'Database altered.';
    case 'setContainer':
    case 'pluggableBackup':
    case 'pluggableOpenClose':
      return pdbCommand(inst, cmd, s);
  }
}

/** ALTER DATABASE MOUNT of a primary started NOMOUNT (its controlfile is a current one: MOUNT STANDBY DATABASE is ORA-01665). */
async function mountPrimary(inst: Instance, standby: boolean): Promise<string> {
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  if (inst.state !== 'STARTED') throw new OraError(['ORA-01100: database already mounted']);
  if (standby) throw new OraError(['ORA-01665: control file is not a standby control file']);
  inst.state = 'MOUNTED';
  inst.alert('ALTER DATABASE MOUNT\nCompleted: ALTER DATABASE MOUNT');
  return 'Database altered.';
}

/** ALTER TABLESPACE t [NO] LOGGING | [NO] FORCE LOGGING (DBA_TABLESPACES.LOGGING / FORCE_LOGGING). */
async function tablespaceLogging(inst: Instance, s: SessionState, name: string, mode: 'LOGGING' | 'NOLOGGING' | 'FORCE LOGGING' | 'NO FORCE LOGGING'): Promise<string> {
  needOpen(inst, s, true);
  const t = findTs(inst, s, name);
  if (t.contents === 'TEMPORARY') throw new OraError(['ORA-03217: invalid option for alter of TEMPORARY TABLESPACE']);
  if (mode === 'LOGGING' || mode === 'NOLOGGING') t.logging = mode === 'LOGGING';
  else {
    if (mode === 'FORCE LOGGING' && t.forceLogging) throw new OraError([`ORA-12916: cannot force logging of tablespace ${t.name}: it is already in force logging mode`]);
    t.forceLogging = mode === 'FORCE LOGGING';
  }
  inst.save();
  return 'Tablespace altered.';
}
