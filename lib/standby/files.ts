// The standby's datafiles with the container each belongs to, and statements on them run from
// the right container. In a CDB, ALTER DATABASE CREATE DATAFILE / RENAME FILE act on the current
// container only (SQL Language Reference 19c, ALTER DATABASE, "Notes on Using ALTER DATABASE in a
// CDB"): a new sqlplus session is in CDB$ROOT, so a PDB's (or PDB$SEED's) files are named after
// ALTER SESSION SET CONTAINER = <that PDB>. In a non-CDB (CON_ID 0) nothing changes.
import { STANDBY_SQL } from '../db/sql.ts';
import { PreconditionError } from '../errors.ts';

export interface StandbyFile {
  file: number;
  /** 0 in a non-CDB, 1 the root, 2 PDB$SEED, 3+ a PDB */
  conId: number;
  name: string;
}

/** The `DF|file#|con_id|name` and `PDB|con_id|name` lines of STANDBY_SQL.datafiles / unnamedDatafiles / pdbs. */
export function readStandbyFiles(text: string): { files: StandbyFile[]; pdbs: Map<number, string> } {
  const files: StandbyFile[] = [];
  const pdbs = new Map<number, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('DF|')) {
      const [, file, conId, ...name] = line.split('|');
      files.push({ file: Number(file), conId: Number(conId), name: name.join('|') });
    } else if (line.startsWith('PDB|')) {
      const [, conId, ...name] = line.split('|');
      pdbs.set(Number(conId), name.join('|'));
    }
  }
  return { files, pdbs };
}

/** The name of a file's container: undefined in a non-CDB, CDB$ROOT for the root. */
export function containerOf(f: StandbyFile, pdbs: Map<number, string>): string | undefined {
  if (f.conId === 0) return undefined;
  if (f.conId === 1) return 'CDB$ROOT';
  const name = pdbs.get(f.conId);
  if (name === undefined) {
    throw new PreconditionError(
      `datafile ${f.file} (${f.name}) belongs to container CON_ID ${f.conId}, which the standby controlfile does not list: a PDB created or plugged in on production after the standby controlfile was made`,
      'copy the new PDB with a new cycle (bin/orquestra_dr --new-cycle): it ships a standby controlfile that knows it',
    );
  }
  return name;
}

/**
 * The statements of `items` in one script: the root's (and a non-CDB's) first, as a new session
 * starts in the root, then each PDB's after ALTER SESSION SET CONTAINER to it.
 */
export function inContainers(items: { file: StandbyFile; statement: string }[], pdbs: Map<number, string>): string[] {
  const byContainer = new Map<string | undefined, string[]>();
  for (const { file, statement } of items) {
    const k = file.conId <= 1 ? undefined : containerOf(file, pdbs);
    byContainer.set(k, [...(byContainer.get(k) ?? []), statement]);
  }
  const script = [...(byContainer.get(undefined) ?? [])];
  for (const [k, statements] of byContainer) if (k !== undefined) script.push(STANDBY_SQL.setContainer(k), ...statements);
  return script;
}
