// STARTUP / SHUTDOWN / ALTER DATABASE OPEN, with instance (crash) recovery from the online logs.
import fs from 'node:fs';
import { OraError } from '../sql/types.ts';
import { BlockStore, applyBlockRecord } from './apply.ts';
import { loadControl, tablespaceOf } from './control.ts';
import { applyChange, readHeaderAt } from './datafile.ts';
import { creationBlock } from './fill.ts';
import type { Instance } from './instance.ts';
import { readTruth, truncateTruth } from './journal.ts';
import { RecType, type RedoRecord } from './redo-format.ts';
import { readOnlineLog } from './redo-io.ts';

export const ORA_IDLE = ['ORA-01034: ORACLE not available', 'ORA-27101: shared memory realm does not exist', 'Linux-x86_64 Error: 2: No such file or directory'];

export async function startup(inst: Instance, mode: 'open' | 'mount' | 'nomount'): Promise<string[]> {
  if (inst.state !== 'IDLE') throw new OraError(['ORA-01081: cannot start already-running ORACLE - shut it down first']);
  inst.c = loadControl(inst.dir);
  inst.startupTime = Date.now();
  if (mode === 'nomount') {
    inst.state = 'STARTED';
    inst.alert('Starting ORACLE instance (normal)');
    return ['ORACLE instance started.', '', 'Total System Global Area 1073741824 bytes'];
  }
  inst.state = 'MOUNTED';
  inst.alert(`Starting ORACLE instance (normal)\nALTER DATABASE MOUNT\nCompleted: ALTER DATABASE MOUNT`);
  const out = ['ORACLE instance started.', '', 'Total System Global Area 1073741824 bytes', 'Database mounted.'];
  if (mode !== 'open') return out;
  await openDatabase(inst);
  return [...out, 'Database opened.'];
}

/** ALTER DATABASE OPEN: refuses while files are in backup mode after a crash (ORA-10873), else recovers and opens. */
export async function openDatabase(inst: Instance): Promise<void> {
  if (inst.state === 'OPEN') throw new OraError(['ORA-01531: a database already open by the instance']);
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  if (inst.state === 'STARTED') throw new OraError(['ORA-01507: database not mounted']);
  const c = inst.c;
  const inBackup = c.datafiles.find((d) => d.backup.active);
  if (inBackup && !c.cleanShutdown) {
    inst.alert(`ORA-10873: file ${inBackup.file} needs to be either taken out of backup mode or media recovered`);
    throw new OraError([
      `ORA-10873: file ${inBackup.file} needs to be either taken out of backup mode or media recovered`,
      `ORA-01110: data file ${inBackup.file}: '${inBackup.name}'`,
    ]);
  }
  const end = c.cleanShutdown ? currentLogEnd(inst) : instanceRecovery(inst);
  c.cleanShutdown = false;
  inst.openRedo(end);
  inst.state = 'OPEN';
  inst.updateCheckpoints(inst.liveFiles(), true);
  inst.save();
  inst.startBackground();
  inst.alert('Completed: ALTER DATABASE OPEN');
}

function currentLogEnd(inst: Instance): number {
  return readOnlineLog(inst.current().members[0]!).end;
}

/** Rolls forward every live file from its header checkpoint through the online logs. Returns the end of redo in the current log. */
function instanceRecovery(inst: Instance): number {
  const c = inst.c;
  inst.alert('Beginning crash recovery of 1 threads');
  const groups = c.logs.filter((g) => g.sequence > 0).sort((a, b) => a.sequence - b.sequence);
  const live = new Map(inst.liveFiles().map((d) => [d.file, d]));
  const start = new Map<number, number>();
  for (const d of live.values()) start.set(d.file, readHeaderAt(d.name)?.checkpointScn ?? d.creationScn);
  const store = new BlockStore((f) => inst.datafile(f).name);
  let lastScn = 0;
  let end = 0;
  let applied = 0;
  const repair = (file: number, block: number, rec: RedoRecord) => {
    if (rec.type !== RecType.Delta) return undefined;
    inst.alert(`Hex dump of (file ${file}, block ${block}): torn write repaired during crash recovery (sim)`);
    return truthBlock(inst, file, block, rec.prior);
  };
  for (const g of groups) {
    const log = readOnlineLog(g.members[0]!);
    if (!log.header || log.header.sequence !== g.sequence) continue;
    for (const rec of log.records) {
      lastScn = Math.max(lastScn, rec.scn);
      const from = start.get(rec.file);
      if (from === undefined || rec.scn < from) continue;
      if (applyBlockRecord(rec, { store, fileName: (f) => inst.datafile(f).name, tablespace: (f) => tablespaceOf(c, inst.datafile(f).ts, inst.datafile(f).conId).name, repair })) applied++;
    }
    if (g.status === 'CURRENT') end = log.end;
  }
  store.flush();
  store.close();
  inst.cache.drop();
  c.scn = Math.max(c.scn, lastScn) + 1;
  truncateTruth(inst.dir, lastScn || c.scn);
  for (const d of live.values()) {
    d.checkpointScn = d.realCheckpointScn = c.scn + 1;
    if (!d.backup.active) inst.writeFileHeader(d);
  }
  inst.cache.closeFds();
  inst.alert(`Completed crash recovery at\n Thread 1: RBA ${inst.current().sequence}, SCN ${c.scn}\n ${applied} data blocks read, ${applied} data blocks written`);
  return end || currentLogEnd(inst);
}

/** Production truth: the block after every change with SCN <= scn (from the truth journal). */
export function truthBlock(inst: Instance, file: number, block: number, scn: number): Buffer {
  const buf = creationBlock(inst.c.fill, file, block, inst.datafile(file).creationScn);
  for (const t of readTruth(inst.dir)) {
    if (t.scn > scn) break;
    if (t.file === file && t.block === block) applyChange(buf, t.scn, t.offset, t.data);
  }
  return buf;
}

export async function shutdown(inst: Instance, mode: 'immediate' | 'abort' | 'normal'): Promise<string[]> {
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  if (mode === 'abort') {
    inst.stopBackground();
    inst.closeFiles();
    inst.state = 'IDLE';
    return ['ORACLE instance shut down.'];
  }
  const inBackup = inst.c.datafiles.find((d) => d.backup.active);
  if (inBackup && inst.state === 'OPEN') {
    throw new OraError([`ORA-01149: cannot shutdown - file ${inBackup.file} has online backup set`, `ORA-01110: data file ${inBackup.file}: '${inBackup.name}'`]);
  }
  if (inst.state === 'OPEN') {
    await inst.checkpoint();
    await inst.cache.idle();
    inst.c.cleanShutdown = true;
    // the files are closed consistent: headers lose the online fuzzy mark
    inst.state = 'MOUNTED';
    for (const d of inst.liveFiles()) inst.writeFileHeader(d);
  }
  const wasStarted = inst.state === 'STARTED';
  inst.stopBackground();
  inst.closeFiles();
  if (!wasStarted) inst.save();
  inst.state = 'IDLE';
  fs.appendFileSync(`${inst.dir}/alert_${inst.c.sid}.log`, `${new Date().toISOString()}\nShutting down ORACLE instance (${mode})\n`);
  if (wasStarted) return ['ORA-01507: database not mounted', '', '', 'ORACLE instance shut down.'];
  return ['Database closed.', 'Database dismounted.', 'ORACLE instance shut down.'];
}
