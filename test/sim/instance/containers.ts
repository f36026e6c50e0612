// Containers of a CDB (CDB$ROOT = 1, PDB$SEED = 2, PDBs = 3+) and the session's current
// container. A non-CDB has no containers: everything has CON_ID 0.
import { OraError } from '../sql/types.ts';
import type { Container, Control, Datafile, PdbOpenMode, Tablespace, Tempfile } from './control.ts';

export const ROOT_ID = 1;
export const SEED_ID = 2;
export const ROOT_NAME = 'CDB$ROOT';
export const SEED_NAME = 'PDB$SEED';

/** Per-session state kept by the daemon for each client connection (CONTRACT.md "Sessions"). */
export interface SessionState {
  /** current container: 0 in a non-CDB, 1 (CDB$ROOT) when connected / as sysdba to a CDB */
  conId: number;
}

export const conOf = (x: { conId?: number }): number => x.conId ?? 0;

export function newSession(c: Control): SessionState {
  return { conId: c.cdb ? ROOT_ID : 0 };
}

export function containersOf(c: Control): Container[] {
  return c.cdb ? c.containers ?? [] : [];
}

export function containerById(c: Control, conId: number): Container | undefined {
  return containersOf(c).find((x) => x.conId === conId);
}

/** Looks a container up by its name as the SQL parser gives it (unquoted names arrive upper-cased). */
export function containerByName(c: Control, name: string): Container | undefined {
  return containersOf(c).find((x) => x.name === name);
}

/** Open mode of a container given whether the instance has the database open (root: the CDB's). */
export function openModeOf(c: Control, dbOpen: boolean, conId: number): PdbOpenMode {
  if (!dbOpen) return 'MOUNTED';
  if (conId <= ROOT_ID) return 'READ WRITE';
  return containerById(c, conId)?.openMode ?? 'MOUNTED';
}

/** True when the container's datafiles are written (root of an open CDB, PDBs open READ WRITE). */
export function containerWritable(c: Control, conId: number): boolean {
  if (!c.cdb || conId <= ROOT_ID) return true;
  return containerById(c, conId)?.openMode === 'READ WRITE';
}

export const inContainer = <T extends { conId?: number }>(xs: T[], conId: number): T[] => xs.filter((x) => conOf(x) === conId);

export function tablespacesOf(c: Control, conId: number): Tablespace[] {
  return inContainer(c.tablespaces, conId);
}

export function datafilesOf(c: Control, conId: number): Datafile[] {
  return inContainer(c.datafiles, conId);
}

export function tempfilesOf(c: Control, conId: number): Tempfile[] {
  return inContainer(c.tempfiles, conId);
}

export const inPdb = (s: SessionState): boolean => s.conId > ROOT_ID;

/** Name of the session's container for SYS_CONTEXT('USERENV','CON_NAME') and SHOW CON_NAME (a non-CDB answers its DB name). */
export function containerName(c: Control, s: SessionState): string {
  if (!c.cdb) return c.dbName;
  return containerById(c, s.conId)?.name ?? ROOT_NAME;
}

/** ALTER SESSION SET CONTAINER = name. */
export function setContainer(c: Control, s: SessionState, name: string): void {
  if (!c.cdb) throw new OraError(['ORA-65090: operation only allowed in a container database']);
  const k = containerByName(c, name);
  if (!k) throw new OraError([`ORA-65011: Pluggable database ${name} does not exist.`]);
  s.conId = k.conId;
}
