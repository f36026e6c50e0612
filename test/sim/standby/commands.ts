// Statements a mounted (or read-only open) physical standby accepts, with Oracle's errors:
// MOUNT [STANDBY DATABASE], OPEN [READ ONLY], managed recovery (ORA-00439 in SE2), CREATE
// DATAFILE ... AS, RENAME FILE, REGISTER LOGFILE. Anything that would write is refused.
import fs from 'node:fs';
import path from 'node:path';
import { createDatafile } from '../instance/datafile.ts';
import { decodeLogHeader } from '../instance/redo-format.ts';
import { type Command, OraError } from '../sql/types.ts';
import { f1110, ORA_IDLE, type StandbyInstance } from './instance.ts';

function mountedOnly(i: StandbyInstance): void {
  if (i.state === 'IDLE') throw new OraError(ORA_IDLE);
  if (i.state === 'STARTED') throw new OraError(['ORA-01507: database not mounted']);
  if (i.state === 'OPEN') throw new OraError(['ORA-01126: database must be mounted in this instance and not open in any instance']);
}

/** One connection's session: its current container (CON_ID 1, the root, until ALTER SESSION SET CONTAINER). */
export interface StandbySession {
  conId: number;
}

const isCdb = (i: StandbyInstance) => i.s.cf.containers !== undefined;

/** The name of the session's current container; undefined in a non-CDB. */
export function currentContainerName(i: StandbyInstance, session: StandbySession): string | undefined {
  if (!isCdb(i)) return undefined;
  return session.conId === 1 ? 'CDB$ROOT' : i.s.cf.containers!.find((k) => k.conId === session.conId)?.name;
}

/**
 * A file named in CREATE DATAFILE / RENAME FILE. In a CDB these database_file_clauses act on the
 * current container only: with the root current, a PDB's file is "nonexistent ... in the current
 * container" (ORA-01516), as on a primary; the session must ALTER SESSION SET CONTAINER first.
 */
function fileByName(i: StandbyInstance, ref: string | number, session: StandbySession) {
  const f = i.s.files.find((x) => (typeof ref === 'number' ? x.file === ref : x.name === ref));
  const inScope = f && (!isCdb(i) || (f.conId <= 1 ? 1 : f.conId) === session.conId);
  if (!f || !inScope) throw new OraError([typeof ref === 'number' || !isCdb(i) ? `ORA-01516: nonexistent log file, data file, or temporary file "${ref}"` : `ORA-01516: nonexistent log file, data file, or temporary file "${ref}" in the current container`]);
  return f;
}

/** ALTER SESSION SET CONTAINER on a mounted (or read-only open) standby CDB: the root, PDB$SEED or a PDB, all MOUNTED. */
function setContainer(i: StandbyInstance, name: string, session: StandbySession): string {
  if (i.state === 'STARTED') throw new OraError(['ORA-01507: database not mounted']);
  if (!isCdb(i)) throw new OraError(['ORA-65090: operation only allowed in a container database']);
  const conId = name === 'CDB$ROOT' ? 1 : i.s.cf.containers!.find((k) => k.name === name)?.conId;
  if (conId === undefined) throw new OraError([`ORA-65011: Pluggable database ${name} does not exist.`]);
  session.conId = conId;
  return 'Session altered.';
}

export async function standbyCommand(i: StandbyInstance, cmd: Command, session: StandbySession = { conId: 1 }): Promise<string> {
  if (i.state === 'IDLE') throw new OraError(ORA_IDLE);
  switch (cmd.kind) {
    case 'setContainer':
      return setContainer(i, cmd.container, session);
    case 'mountDatabase':
      i.mount();
      return 'Database altered.';
    case 'databaseOpen':
      i.openReadOnly();
      return 'Database altered.';
    case 'managedRecovery':
      if (i.state === 'STARTED') throw new OraError(['ORA-01507: database not mounted']);
      throw new OraError(['ORA-00439: feature not enabled: Managed Standby']);
    case 'createDatafileAs': {
      mountedOnly(i);
      const f = fileByName(i, cmd.file, session);
      if (fs.existsSync(cmd.as)) throw new OraError([`ORA-01119: error in creating database file '${cmd.as}'`, 'ORA-27038: created file already exists', 'Additional information: 1']);
      if (!fs.existsSync(path.dirname(cmd.as))) throw new OraError([`ORA-01119: error in creating database file '${cmd.as}'`, 'ORA-27040: file create error, unable to create file', 'Linux-x86_64 Error: 2: No such file or directory']);
      const s = i.s;
      createDatafile(cmd.as, { file: f.file, ts: f.ts, blocks: f.blocks, dbid: s.cf.dbid, resetlogsId: s.cf.resetlogsId, creationScn: f.creationScn, checkpointScn: f.creationScn, checkpointTime: Date.now(), fuzzy: false, tablespace: f.tablespace });
      f.name = cmd.as;
      f.status = 'ONLINE';
      delete f.unnamed;
      i.save();
      i.alert(`Completed: alter database create datafile '${cmd.file}' as '${cmd.as}'`);
      return 'Database altered.';
    }
    case 'renameFile': {
      mountedOnly(i);
      if (i.s.params.standby_file_management === 'AUTO') throw new OraError(['ORA-01275: Operation RENAME is not allowed if standby file management is automatic.']);
      const f = fileByName(i, cmd.from, session);
      if (!fs.existsSync(cmd.to)) throw new OraError([`ORA-01511: error in renaming log/data files`, `ORA-01141: error renaming data file ${f.file} - new file '${cmd.to}' not found`, f1110(f), 'ORA-27037: unable to obtain file status', 'Linux-x86_64 Error: 2: No such file or directory', 'Additional information: 7']);
      f.name = cmd.to;
      f.status = 'ONLINE';
      delete f.unnamed;
      i.save();
      return 'Database altered.';
    }
    case 'registerLogfile': {
      mountedOnly(i);
      return registerLogfile(i, cmd.path);
    }
    default:
      if (i.state === 'STARTED') throw new OraError(['ORA-01507: database not mounted']);
      if (i.state === 'MOUNTED') throw new OraError(['ORA-01109: database not open']);
      throw new OraError(['ORA-16000: database or pluggable database open for read-only access']);
  }
}

/** ALTER DATABASE REGISTER LOGFILE 'f': the log's header must say it is a log of this database and incarnation. */
function registerLogfile(i: StandbyInstance, file: string): string {
  const s = i.s;
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    throw new OraError([`ORA-00308: cannot open archived log '${file}'`, 'ORA-27037: unable to obtain file status', 'Linux-x86_64 Error: 2: No such file or directory', 'Additional information: 7']);
  }
  const h = decodeLogHeader(buf);
  if (!h) throw new OraError(['ORA-00367: checksum error in log file header', `ORA-00334: archived log: '${file}'`]);
  if (h.dbid !== s.cf.dbid || h.resetlogsId !== s.cf.resetlogsId) throw new OraError(['ORA-00309: log belongs to wrong database', `ORA-00334: archived log: '${file}'`]);
  if (h.nextChange === 0) throw new OraError(['ORA-00332: archived log is too small - may be incompletely archived', `ORA-00334: archived log: '${file}'`]);
  if (s.logs.some((l) => l.sequence === h.sequence && l.resetlogsId === h.resetlogsId && l.name === file)) {
    throw new OraError([`ORA-16089: archive log has already been registered`]);
  }
  s.logs.push({
    recid: (s.logs.at(-1)?.recid ?? 0) + 1, name: path.resolve(file), sequence: h.sequence, firstChange: h.firstChange, nextChange: h.nextChange,
    firstTime: h.firstTime, nextTime: h.nextTime, blocks: h.blocks, resetlogsId: h.resetlogsId, applied: 'NO', registrar: 'MANUAL', completionTime: Date.now(),
  });
  i.save();
  return 'Database altered.';
}
