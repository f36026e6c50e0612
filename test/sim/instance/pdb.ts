// Container statements of a CDB: ALTER SESSION SET CONTAINER, ALTER PLUGGABLE DATABASE
// { BEGIN | END } BACKUP, ALTER PLUGGABLE DATABASE ... OPEN | CLOSE. Oracle facts and the
// choices made where they could not be confirmed: CONTRACT.md "Container databases".
import { type Command, OraError } from '../sql/types.ts';
import { type Container } from './control.ts';
import { conOf, containerById, containerByName, containersOf, datafilesOf, inPdb, ROOT_ID, SEED_ID, type SessionState, setContainer } from './containers.ts';
import type { Instance } from './instance.ts';
import { ORA_IDLE } from './lifecycle.ts';
import { databaseBackup } from './commands.ts';

type PdbCommand = Extract<Command, { kind: 'setContainer' | 'pluggableBackup' | 'pluggableOpenClose' }>;

const f1110 = (d: { file: number; name: string }) => `ORA-01110: data file ${d.file}: '${d.name}'`;

function needCdb(inst: Instance): void {
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  if (!inst.c.cdb) throw new OraError(['ORA-65090: operation only allowed in a container database']);
}

function pdbNamed(inst: Instance, name: string): Container {
  const k = containerByName(inst.c, name);
  if (!k || k.conId === ROOT_ID) throw new OraError([`ORA-65011: Pluggable database ${name} does not exist.`]);
  return k;
}

export async function pdbCommand(inst: Instance, cmd: PdbCommand, s: SessionState): Promise<string> {
  switch (cmd.kind) {
    case 'setContainer':
      if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
      setContainer(inst.c, s, cmd.container);
      return 'Session altered.';
    case 'pluggableBackup':
      return pluggableBackup(inst, s, cmd.action, cmd.pdb);
    case 'pluggableOpenClose':
      return openClose(inst, s, cmd);
  }
}

/**
 * ALTER PLUGGABLE DATABASE [pdb] BEGIN|END BACKUP: "the current container must be the PDB you
 * want to back up" (SQL Language Reference, ALTER PLUGGABLE DATABASE, prerequisites of the
 * pdb_recovery_clauses): refused from the root and from another PDB.
 */
async function pluggableBackup(inst: Instance, s: SessionState, action: 'BEGIN' | 'END', pdb: string | undefined): Promise<string> {
  needCdb(inst);
  const k = pdb === undefined ? undefined : pdbNamed(inst, pdb);
  if (k?.conId === SEED_ID) throw new OraError(['ORA-65017: seed pluggable database may not be dropped or altered']);
  if (!inPdb(s)) throw new OraError(['ORA-65046: operation not allowed from outside a pluggable database']);
  if (k && k.conId !== s.conId) throw new OraError(['ORA-65118: operation affecting a pluggable database cannot be performed from another pluggable database']);
  if (s.conId === SEED_ID) throw new OraError(['ORA-65017: seed pluggable database may not be dropped or altered']);
  await databaseBackup(inst, s, action);
  return 'Pluggable database altered.';
}

/** The PDBs a statement names: a list, ALL [EXCEPT ...] (never PDB$SEED), or (inside a PDB, no name) the current one. */
function targets(inst: Instance, s: SessionState, cmd: Extract<PdbCommand, { kind: 'pluggableOpenClose' }>): Container[] {
  if (cmd.pdbs === 'ALL') {
    if (inPdb(s)) throw new OraError(['ORA-65040: operation not allowed from within a pluggable database']);
    for (const n of cmd.except) pdbNamed(inst, n);
    return containersOf(inst.c).filter((k) => k.conId > SEED_ID && !cmd.except.includes(k.name));
  }
  if (!cmd.pdbs?.length) {
    if (!inPdb(s)) throw new OraError(['ORA-65000: missing or invalid pluggable database name']);
    if (s.conId === SEED_ID) throw new OraError(['ORA-65017: seed pluggable database may not be dropped or altered']);
    return [containerById(inst.c, s.conId)!];
  }
  const ks = cmd.pdbs.map((n) => pdbNamed(inst, n));
  if (ks.some((k) => k.conId === SEED_ID)) throw new OraError(['ORA-65017: seed pluggable database may not be dropped or altered']);
  if (inPdb(s) && ks.some((k) => k.conId !== s.conId)) throw new OraError(['ORA-65118: operation affecting a pluggable database cannot be performed from another pluggable database']);
  return ks;
}

async function openClose(inst: Instance, s: SessionState, cmd: Extract<PdbCommand, { kind: 'pluggableOpenClose' }>): Promise<string> {
  needCdb(inst);
  const ks = targets(inst, s, cmd);
  const all = cmd.pdbs === 'ALL';
  if (cmd.action === 'OPEN') {
    if (inst.state !== 'OPEN') throw new OraError(['ORA-01109: database not open']);
    const mode = cmd.mode ?? 'READ WRITE';
    for (const k of ks) {
      if (k.openMode !== 'MOUNTED' && !cmd.force) {
        if (all) continue;
        throw new OraError([`ORA-65019: pluggable database ${k.name} already open`]);
      }
      if (k.openMode !== 'MOUNTED') await closePdb(inst, k);
      openPdb(inst, k, mode, !!cmd.restricted);
    }
  } else {
    for (const k of ks) {
      if (k.openMode === 'MOUNTED') {
        if (all) continue;
        throw new OraError([`ORA-65020: pluggable database ${k.name} already closed`]);
      }
      await closePdb(inst, k);
    }
  }
  inst.save();
  return 'Pluggable database altered.';
}

/** Opens a PDB: its files are written again (READ WRITE) from a fresh header checkpoint. */
export function openPdb(inst: Instance, k: Container, mode: 'READ WRITE' | 'READ ONLY', restricted = false): void {
  k.openMode = mode;
  k.restricted = restricted;
  inst.liveGeneration++;
  k.openTime = Date.now();
  if (mode === 'READ WRITE') inst.updateCheckpoints(datafilesOf(inst.c, k.conId).filter((d) => d.status !== 'OFFLINE' && d.enabled === 'READ WRITE'), true);
  inst.alert(`${k.name}(${k.conId}):Pluggable database ${k.name} opened ${mode.toLowerCase()}`);
}

/**
 * Closes a PDB (MOUNTED): stops writes to its files first, then writes every change made so far
 * and advances their header checkpoint (recovery of a copy starts there). Refused while one of
 * its files is in backup mode (ORA-01149, as SHUTDOWN).
 */
export async function closePdb(inst: Instance, k: Container): Promise<void> {
  const files = datafilesOf(inst.c, k.conId);
  const busy = files.find((d) => d.backup.active);
  if (busy) throw new OraError([`ORA-01149: cannot shutdown - file ${busy.file} has online backup set`, f1110(busy)]);
  const written = inst.liveFiles().filter((d) => conOf(d) === k.conId);
  k.openMode = 'MOUNTED';
  k.restricted = false;
  inst.liveGeneration++;
  const target = inst.c.scn + 1;
  await inst.cache.flush(new Set(written.map((d) => d.file)), target);
  const now = Date.now();
  for (const d of written) {
    d.realCheckpointScn = d.checkpointScn = inst.cache.checkpointOf(d.file, target);
    d.checkpointTime = now;
    inst.writeFileHeader(d);
  }
  inst.cache.closeFds();
  inst.alert(`${k.name}(${k.conId}):Pluggable database ${k.name} closed`);
}
