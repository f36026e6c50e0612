// Container databases: which container a tablespace belongs to, how a container's open mode
// decides its files' copy, and what changed in the set of containers since the previous run
// of the backup cycle (a PDB created, plugged, closed, opened or dropped is reported, never
// skipped in silence). Pure, except readContainerRecord/writeContainerRecord.
//
// In a CDB a tablespace is known by `<container>/<tablespace>` (its key): every PDB has its
// own SYSTEM, SYSAUX, UNDOTBS1 and USERS. Container names are identifiers without '/', so the
// key splits at its first '/'. In a non-CDB the key is the tablespace name.
import path from 'node:path';
import { PreconditionError } from '../errors.ts';
import { keyPart, readJsonIfExists, type StateFiles, writeJsonAtomic } from '../state.ts';
import type { BackupFileStatus, DatafileRow } from './types.ts';

export const CDB_ROOT = 'CDB$ROOT';

/** A row of V$CONTAINERS. */
export interface Container {
  conId: number;
  name: string;
  openMode: string; // READ WRITE | READ ONLY | MOUNTED | MIGRATE
}

/** A tablespace as the database knows it: in `container` (CDB) or in the database (non-CDB). */
export interface TsRef {
  container?: string;
  tablespace: string;
}

export function tsKeyOf(tablespace: string, container?: string): string {
  return container === undefined ? tablespace : `${container}/${tablespace}`;
}

export function rowKey(row: DatafileRow): string {
  return tsKeyOf(row.tablespace, row.container);
}

/** The container and tablespace of a key; `cdb` says whether keys carry a container. */
export function refOf(key: string, cdb: boolean): TsRef {
  if (!cdb) return { tablespace: key };
  const slash = key.indexOf('/');
  if (slash <= 0) throw new Error(`not a container tablespace key: ${JSON.stringify(key)}`);
  return { container: key.slice(0, slash), tablespace: key.slice(slash + 1) };
}

export function describeContainers(list: Container[]): string {
  return list.map((k) => `${k.name} (CON_ID ${k.conId}, ${k.openMode})`).join(', ');
}

/**
 * Why the files of a container in `mode` are copied without backup mode, or undefined when
 * they need windows (READ WRITE). PDB$SEED and READ ONLY PDBs are never written; a MOUNTED PDB's
 * files stay at the checkpoint of its close (ALTER TABLESPACE there: ORA-01109; the seed:
 * ORA-16000). Anything else (MIGRATE: open for an upgrade, its files change) is refused.
 */
export function noWindowReason(container: string, mode: string): string | undefined {
  if (mode === 'READ WRITE') return undefined;
  if (mode === 'READ ONLY') return `container ${container} is READ ONLY: copied without backup mode (its files do not change)`;
  if (mode === 'MOUNTED') return `container ${container} is MOUNTED: copied without backup mode (its files do not change while it is closed)`;
  throw new PreconditionError(
    `container ${container} is open ${mode}: its files change and it cannot be backed up tablespace by tablespace`,
    `finish what opened it ${mode} (an upgrade?), open it READ WRITE, READ ONLY or close it (ALTER PLUGGABLE DATABASE "${container}" OPEN|CLOSE), then re-run hot_backup_ts`,
  );
}

/**
 * Whether the standby recovers this file from its checkpoint although nothing writes it: a
 * closed (MOUNTED) PDB's files are (the simulator's model; the stricter choice), and so, to be
 * safe, are a PDB's opened READ ONLY (UNCONFIRMED either way: copying the logs from there costs
 * little). PDB$SEED's files are modelled as needing no redo, like read-only tablespaces
 * (UNCONFIRMED; the other answer would need every log since the CDB was created).
 */
export function recoveredFromCheckpoint(r: DatafileRow): boolean {
  return r.containerMode === 'MOUNTED' || (r.containerMode === 'READ ONLY' && r.container !== 'PDB$SEED');
}

/**
 * Files of closed (or read-only) PDBs still to copy whose checkpoint is older than the cutoff:
 * the standby recovers them from that checkpoint, with archived logs this cycle does not ship.
 */
export function closedBeforeCutoffError(rows: DatafileRow[], cutoff: bigint): PreconditionError | undefined {
  const old = rows.filter((r) => recoveredFromCheckpoint(r) && r.checkpointScn !== undefined && r.checkpointScn < cutoff);
  if (old.length === 0) return undefined;
  const byContainer = new Map<string, bigint>();
  for (const r of old) {
    const m = byContainer.get(r.container!);
    if (m === undefined || r.checkpointScn! < m) byContainer.set(r.container!, r.checkpointScn!);
  }
  const names = [...byContainer.keys()];
  const modes = [...new Set(old.map((r) => (r.containerMode === 'MOUNTED' ? 'closed (MOUNTED)' : 'open READ ONLY')))].join(' or ');
  return new PreconditionError(
    `container${names.length > 1 ? 's' : ''} ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} ${modes} since before the cutoff SCN ${cutoff} of this backup cycle (${[...byContainer].map(([k, s]) => `${k}: checkpoint SCN ${s}`).join(', ')}): the standby would need archived logs from before the cutoff, which this cycle does not ship`,
    `start a new backup cycle (orquestra_dr --new-cycle, or copy_archivelog --new-cutoff): its cutoff is taken back to the oldest checkpoint of the closed or read-only containers; or open ${names.length > 1 ? 'them' : 'it'} READ WRITE (ALTER PLUGGABLE DATABASE "${names[0]}" OPEN) and re-run hot_backup_ts`,
  );
}

/**
 * Files in backup mode in a container not open READ WRITE (a crash or SHUTDOWN ABORT of the
 * instance while a window was open, then the PDB left closed): END BACKUP cannot be run inside
 * it (MOUNTED: ORA-01109; read only: ORA-16000), and copying its files would leave the window open.
 */
export function closedWindowsError(rows: DatafileRow[], backup: BackupFileStatus[]): PreconditionError | undefined {
  const active = new Map(backup.filter((b) => b.active).map((b) => [b.fileId, b]));
  const stuck = rows.filter((r) => r.container !== undefined && r.containerMode !== 'READ WRITE' && active.has(r.fileId));
  if (stuck.length === 0) return undefined;
  const names = [...new Set(stuck.map((r) => r.container!))];
  return new PreconditionError(
    `${stuck.length} datafile(s) of container${names.length > 1 ? 's' : ''} ${names.join(', ')} are in backup mode although ${names.length > 1 ? 'they are' : 'it is'} not open READ WRITE (a crash or SHUTDOWN ABORT while a window was open?):\n` +
      stuck.map((r) => `  ${r.container} ${r.containerMode}: file ${r.fileId} ${r.path} (tablespace ${r.tablespace}, ACTIVE since SCN ${active.get(r.fileId)!.changeScn})`).join('\n'),
    `END BACKUP cannot run inside a PDB that is not open READ WRITE (ORA-01109, ORA-16000): in CDB$ROOT, ALTER DATABASE END BACKUP ends every file in backup mode, the closed PDB's included (make sure no other backup is running), or open the PDB READ WRITE (ALTER PLUGGABLE DATABASE "${names[0]}" OPEN); then re-run hot_backup_ts`,
  );
}

/** Messages for what changed in the containers between `before` and `now` (empty when nothing did). */
export function containerChanges(before: Container[], now: Container[], since: string): string[] {
  const out: string[] = [];
  const key = (k: Container) => `${k.conId}/${k.name}`;
  const old = new Map(before.map((k) => [key(k), k]));
  const cur = new Map(now.map((k) => [key(k), k]));
  for (const k of now) {
    const was = old.get(key(k));
    if (!was) {
      out.push(`container ${k.name} (CON_ID ${k.conId}) appeared since ${since} (created or plugged in): its files are copied in this run`);
    } else if (was.openMode !== k.openMode) {
      const then =
        k.openMode === 'READ WRITE'
          ? 'its tablespaces not yet copied are copied inside backup windows'
          : 'its tablespaces already copied stay valid (the archived logs carry its close); any other is copied as it is, without backup mode';
      out.push(`container ${k.name} (CON_ID ${k.conId}) was ${was.openMode} at ${since} and is ${k.openMode} now: ${then}`);
    }
  }
  for (const k of before) {
    if (!cur.has(key(k))) {
      out.push(
        `container ${k.name} (CON_ID ${k.conId}) is gone since ${since} (dropped or unplugged): the standby controlfile of this run no longer lists its files, so their copies on DR are not used any more`,
      );
    }
  }
  return out;
}

interface ContainerRecord {
  cutoffScn: string;
  containers: Container[];
}

function recordFile(state: StateFiles): string {
  return path.join(state.dir, `containers.${keyPart(state.sid)}.json`);
}

/** The containers the previous run of this cycle saw (undefined in a new cycle). */
export function readContainerRecord(state: StateFiles, cutoff: bigint): Container[] | undefined {
  const r = readJsonIfExists<ContainerRecord>(recordFile(state));
  return r && r.cutoffScn === cutoff.toString() && Array.isArray(r.containers) ? r.containers : undefined;
}

export function writeContainerRecord(state: StateFiles, cutoff: bigint, containers: Container[]): void {
  writeJsonAtomic(recordFile(state), { cutoffScn: cutoff.toString(), containers } satisfies ContainerRecord);
}
