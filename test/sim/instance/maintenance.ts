// DBA operations the suite must survive, as admin requests (the SQL engine does not parse them):
// - OPEN RESETLOGS of a mounted database (what RECOVER DATABASE UNTIL CANCEL + ALTER DATABASE
//   OPEN RESETLOGS leaves): a new incarnation, log sequences from 1, a new RESETLOGS_ID in file
//   and log headers; the old incarnation's V$ARCHIVED_LOG rows stay.
// - RMAN CATALOG ARCHIVELOG '<file>' (or a RESTORE ARCHIVELOG): a V$ARCHIVED_LOG row with DEST_ID 0
//   ("the value is 0 if the destination identifier is not available", REFRN V$ARCHIVED_LOG), built
//   from the file's own header, as RMAN reads it.
// - RMAN BACKUP ARCHIVELOG … DELETE [ALL] INPUT (V$BACKUP_REDOLOG) and RESTORE ARCHIVELOG.
// - ALTER TABLESPACE x RENAME TO y (10g on), to give a tablespace any quoted name (R&D ...).
// - An archive destination in ASM: V$ARCHIVE_DEST shows +DISKGROUP and V$ARCHIVED_LOG names
//   +DISKGROUP/DB/ARCHIVELOG/..., files that no filesystem path reaches.
import fs from 'node:fs';
import path from 'node:path';
import { OraError } from '../sql/types.ts';
import type { ArchivedLog, BackupRedolog } from './control.ts';
import type { Instance } from './instance.ts';
import { ORA_IDLE, openDatabase } from './lifecycle.ts';
import { decodeLogHeader, REDO_BLOCK } from './redo-format.ts';
import { initOnlineLog } from './redo-io.ts';

export async function openResetlogs(inst: Instance): Promise<{ resetlogsScn: number; resetlogsId: number }> {
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  if (inst.state === 'OPEN') throw new OraError(['ORA-01531: a database already open by the instance']);
  const c = inst.c;
  const busy = c.datafiles.find((d) => d.backup.active);
  if (busy) throw new OraError([`ORA-01113: file ${busy.file} needs media recovery`, `ORA-01110: data file ${busy.file}: '${busy.name}'`]);
  if (!c.cleanShutdown) throw new OraError(['ORA-01194: file 1 needs more recovery to be consistent', `ORA-01110: data file 1: '${c.datafiles[0]!.name}'`]);
  const now = Date.now();
  c.scn += 2;
  c.resetlogsScn = c.scn;
  c.resetlogsTime = now;
  c.resetlogsId = (c.resetlogsId + 1 + (Math.floor(now / 1000) % 100_000)) >>> 0;
  c.logs.forEach((g, i) => {
    Object.assign(g, {
      sequence: i === 0 ? 1 : 0, status: i === 0 ? 'CURRENT' : 'UNUSED', archived: i !== 0,
      firstChange: i === 0 ? c.scn : 0, firstTime: i === 0 ? now : 0, nextChange: null, nextTime: null,
    });
    initOnlineLog(c, g);
  });
  for (const d of c.datafiles.filter((x) => x.status !== 'OFFLINE')) {
    d.checkpointScn = d.realCheckpointScn = c.scn;
    d.checkpointTime = now;
    inst.writeFileHeader(d);
  }
  inst.cache.closeFds();
  c.cleanShutdown = true;
  inst.save();
  inst.alert(`RESETLOGS after incomplete recovery UNTIL CHANGE ${c.scn - 1}\nResetting resetlogs activation ID ${c.resetlogsId}\nALTER DATABASE OPEN RESETLOGS`);
  await openDatabase(inst);
  return { resetlogsScn: c.resetlogsScn, resetlogsId: c.resetlogsId };
}

export function catalogArchivelog(inst: Instance, file: string): ArchivedLog {
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  const name = path.resolve(file);
  const c = inst.c;
  let buf: Buffer;
  try {
    buf = Buffer.alloc(REDO_BLOCK);
    const fd = fs.openSync(name, 'r');
    fs.readSync(fd, buf, 0, REDO_BLOCK, 0);
    fs.closeSync(fd);
  } catch {
    throw new OraError([`ORA-19625: error identifying file ${name}`, 'ORA-27037: unable to obtain file status', 'Linux-x86_64 Error: 2: No such file or directory']);
  }
  const h = decodeLogHeader(buf);
  if (!h || h.dbid !== c.dbid || h.nextChange === 0) throw new OraError([`ORA-19563: header validation failed for file ${name}`]);
  const known = c.archivedLogs.find((a) => a.name === name && a.status === 'A');
  if (known) return known;
  const sameInc = c.archivedLogs.find((a) => a.resetlogsId === h.resetlogsId);
  const row: ArchivedLog = {
    recid: c.nextRecid++, stamp: (Math.floor(Date.now() / 1000) % 1_000_000_000) + 1_100_000_000, name, destId: 0,
    thread: h.thread, sequence: h.sequence, resetlogsId: h.resetlogsId,
    resetlogsChange: h.resetlogsId === c.resetlogsId ? c.resetlogsScn : (sameInc?.resetlogsChange ?? 0),
    firstChange: h.firstChange, firstTime: h.firstTime, nextChange: h.nextChange, nextTime: h.nextTime,
    blocks: h.blocks, blockSize: REDO_BLOCK, deleted: false, status: 'A', completionTime: Date.now(),
  };
  c.archivedLogs.push(row);
  inst.save();
  inst.alert(`Archived Log entry ${row.recid} added for T-${h.thread}.S-${h.sequence} ID 0x${c.dbid.toString(16)} LAD:0 (RMAN catalog)`);
  return row;
}

export function renameTablespace(inst: Instance, from: string, to: string): void {
  if (inst.state !== 'OPEN') throw new OraError(['ORA-01109: database not open']);
  const c = inst.c;
  const t = c.tablespaces.find((x) => x.name === from);
  if (!t) throw new OraError([`ORA-00959: tablespace '${from}' does not exist`]);
  if (t.name === 'SYSTEM' || t.name === 'SYSAUX') throw new OraError([`ORA-13502: Cannot rename ${t.name} tablespace`]);
  if (c.tablespaces.some((x) => x.name === to)) throw new OraError([`ORA-02154: a tablespace with the name '${to}' is found`]);
  t.name = to;
  for (const d of c.datafiles.filter((x) => x.ts === t.ts && !x.backup.active && x.status !== 'OFFLINE')) inst.writeFileHeader(d);
  inst.cache.closeFds();
  inst.save();
  inst.alert(`Completed: ALTER TABLESPACE "${from}" RENAME TO "${to}"`);
}

/** Makes destination `id` an ASM disk group: V$ARCHIVE_DEST shows it, the bytes live in asmStore. */
export function asmDestination(inst: Instance, id: number, diskgroup: string): void {
  const d = inst.c.dests.find((x) => x.id === id);
  if (!d) throw new Error(`no archive destination ${id}`);
  if (!/^\+[A-Z0-9_]+$/.test(diskgroup)) throw new Error(`not a disk group name: ${diskgroup}`);
  d.asmStore ??= path.join(inst.dir, 'asm', diskgroup.slice(1));
  fs.mkdirSync(d.asmStore, { recursive: true });
  d.location = diskgroup;
  inst.c.params[`log_archive_dest_${id}`] = `LOCATION=${diskgroup}`;
  inst.save();
}

/**
 * RMAN BACKUP ARCHIVELOG SEQUENCE n [DELETE [ALL] INPUT]: the log's bytes go into a backup
 * piece, a V$BACKUP_REDOLOG row records it. DELETE INPUT removes the copy that was backed up,
 * DELETE ALL INPUT every copy (BRADV: "RMAN deletes only the specific copy … chosen for the
 * backup set"); a deleted copy's V$ARCHIVED_LOG row says STATUS D, DELETED YES, NAME NULL.
 */
export function rmanBackupArchivelog(inst: Instance, sequence: number, deleteInput: 'none' | 'input' | 'all'): BackupRedolog {
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  const c = inst.c;
  const copies = c.archivedLogs.filter((a) => a.sequence === sequence && a.thread === 1 && a.resetlogsId === c.resetlogsId && a.status === 'A' && a.name);
  const chosen = copies.find((a) => fs.existsSync(a.name!));
  if (!chosen) throw new OraError(['RMAN-06059: expected archived log not found, loss of archived log compromises recoverability', ...(copies[0] ? [`ORA-19625: error identifying file ${copies[0].name}`] : [])]);
  c.backupRedologs ??= [];
  const setCount = c.backupRedologs.length + 1;
  const setStamp = (Math.floor(Date.now() / 1000) % 1_000_000_000) + 1_100_000_000;
  const piece = path.join(inst.dir, 'rman', `al_${setStamp}_${setCount}_${path.basename(chosen.name!)}`);
  fs.mkdirSync(path.dirname(piece), { recursive: true });
  fs.copyFileSync(chosen.name!, piece);
  const b: BackupRedolog = {
    recid: setCount, stamp: setStamp, setStamp, setCount, thread: chosen.thread, sequence, resetlogsChange: chosen.resetlogsChange, resetlogsId: chosen.resetlogsId,
    firstChange: chosen.firstChange, firstTime: chosen.firstTime, nextChange: chosen.nextChange, nextTime: chosen.nextTime, blocks: chosen.blocks, blockSize: chosen.blockSize,
    piece, name: chosen.name!,
  };
  c.backupRedologs.push(b);
  for (const a of deleteInput === 'all' ? copies : deleteInput === 'input' ? [chosen] : []) {
    fs.rmSync(a.name!, { force: true });
    Object.assign(a, { deleted: true, status: 'D', name: null });
  }
  inst.save();
  return b;
}

/** RMAN RESTORE ARCHIVELOG SEQUENCE n: the backed-up bytes back under the name they had, cataloged (DEST_ID 0). */
export function rmanRestoreArchivelog(inst: Instance, sequence: number): ArchivedLog {
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  const c = inst.c;
  const b = (c.backupRedologs ?? []).filter((x) => x.sequence === sequence && x.thread === 1 && x.resetlogsId === c.resetlogsId).at(-1);
  if (!b) {
    const row = c.archivedLogs.find((a) => a.sequence === sequence && a.thread === 1 && a.resetlogsId === c.resetlogsId);
    throw new OraError([row ? `RMAN-06025: no backup of archived log for thread 1 with sequence ${sequence} and starting SCN of ${row.firstChange} found to restore` : 'RMAN-20242: specification does not match any archived log in the repository']);
  }
  fs.mkdirSync(path.dirname(b.name), { recursive: true });
  fs.copyFileSync(b.piece, b.name);
  return catalogArchivelog(inst, b.name);
}
