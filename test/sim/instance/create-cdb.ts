// `sim create --cdb`: the layout of a container database as DBCA makes it in 19c.
//   CDB$ROOT (CON_ID 1): SYSTEM, SYSAUX, UNDOTBS1, TEMP, USERS   R/u02../oradata/DB/system01.dbf ...
//   PDB$SEED (CON_ID 2): SYSTEM, SYSAUX, UNDOTBS1, TEMP           R/u02../oradata/DB/pdbseed/...
//   PDBs     (CON_ID 3+): SYSTEM, SYSAUX, UNDOTBS1 (local undo), TEMP, USERS, APP_nnn
//                                                                R/uNN/oradata/DB/<pdb>/...
// FILE# is global across the CDB; TS# restarts in every container.
import path from 'node:path';
import type { Container, Tablespace } from './control.ts';
import { type CreateOptions, CreateError, type Layout, type LayoutContext } from './create.ts';
import { ROOT_NAME, SEED_NAME } from './containers.ts';

/** SE2 allows at most 3 user-created PDBs (Licensing Information 19c). */
export const MAX_PDBS = 3;

/** The PDB names of a CDB to create, checked (1-3, valid identifiers, no duplicates). */
export function pdbNamesOf(o: CreateOptions): string[] {
  const names = o.pdbNames?.length ? o.pdbNames : Array.from({ length: o.pdbs ?? 1 }, (_, i) => `PDB${i + 1}`);
  if (o.pdbs !== undefined && o.pdbNames?.length && o.pdbs !== names.length) {
    throw new CreateError(`--pdbs ${o.pdbs} does not match the ${names.length} names of --pdb-names`);
  }
  if (names.length < 1 || names.length > MAX_PDBS) throw new CreateError(`a CDB needs 1 to ${MAX_PDBS} PDBs (Standard Edition 2 allows ${MAX_PDBS}), got ${names.length}`);
  const seen = new Set<string>();
  for (const n of names) {
    if (!/^[A-Za-z][A-Za-z0-9_$#]{0,29}$/.test(n)) throw new CreateError(`invalid PDB name '${n}': a letter, then letters, digits, _, $ or # (at most 30)`);
    if (n.toUpperCase() === ROOT_NAME || n.toUpperCase() === SEED_NAME) throw new CreateError(`invalid PDB name '${n}': reserved`);
    if (seen.has(n.toLowerCase())) throw new CreateError(`duplicate PDB name '${n}'`);
    seen.add(n.toLowerCase());
  }
  return names;
}

const hex = (ctx: LayoutContext, n: number) => Array.from({ length: n }, () => ctx.rnd.int(0, 15).toString(16)).join('').toUpperCase();

export function cdbLayout(ctx: LayoutContext): Layout {
  const { o, od } = ctx;
  const names = pdbNamesOf(o);
  const nGen = o.tablespaces ?? 1;
  const tablespaces: Tablespace[] = [];
  const files: Layout['files'] = [];
  const tempfiles: Layout['tempfiles'] = [];
  const core = (conId: number, withUsers: boolean): void => {
    const t = (ts: number, name: string, contents: Tablespace['contents']) =>
      tablespaces.push({ ts, conId, name, contents, status: 'ONLINE', logging: contents !== 'TEMPORARY' });
    t(0, 'SYSTEM', 'PERMANENT');
    t(1, 'SYSAUX', 'PERMANENT');
    t(2, 'UNDOTBS1', 'UNDO');
    t(3, 'TEMP', 'TEMPORARY');
    if (withUsers) t(4, 'USERS', 'PERMANENT');
  };
  // CDB$ROOT
  core(1, true);
  files.push(
    { ts: 0, conId: 1, name: path.join(od(2), 'system01.dbf') },
    { ts: 1, conId: 1, name: path.join(od(2), 'sysaux01.dbf') },
    { ts: 2, conId: 1, name: path.join(od(3), 'undotbs01.dbf') },
    { ts: 4, conId: 1, name: path.join(od(4), 'users01.dbf') },
  );
  tempfiles.push({ ts: 3, conId: 1, name: path.join(od(3), 'temp01.dbf') });
  // PDB$SEED: opened READ ONLY, never changed
  core(2, false);
  const seedDir = (m: number) => path.join(od(m), 'pdbseed');
  files.push(
    { ts: 0, conId: 2, name: path.join(seedDir(2), 'system01.dbf') },
    { ts: 1, conId: 2, name: path.join(seedDir(2), 'sysaux01.dbf') },
    { ts: 2, conId: 2, name: path.join(seedDir(3), 'undotbs01.dbf') },
  );
  tempfiles.push({ ts: 3, conId: 2, name: path.join(seedDir(3), 'temp012019-04-17_10-00-00-000-AM.dbf') });
  const containers: Container[] = [
    { conId: 1, name: ROOT_NAME, openMode: 'READ WRITE', restricted: false, dbid: 0, guid: hex(ctx, 32), createScn: 1, openTime: null },
    { conId: 2, name: SEED_NAME, openMode: 'READ ONLY', restricted: false, dbid: 1_000_000_000 + ctx.rnd.int(0, 2_999_999_999), guid: hex(ctx, 32), createScn: 1_000_000, openTime: null },
  ];
  names.forEach((name, i) => {
    const conId = 3 + i;
    const dir = (m: number) => path.join(od(m), name.toLowerCase());
    const home = 5 + (i % 4);
    core(conId, true);
    files.push(
      { ts: 0, conId, name: path.join(dir(home), 'system01.dbf') },
      { ts: 1, conId, name: path.join(dir(home), 'sysaux01.dbf') },
      { ts: 2, conId, name: path.join(dir(home + 1), 'undotbs01.dbf') },
      { ts: 4, conId, name: path.join(dir(4), 'users01.dbf') },
    );
    tempfiles.push({ ts: 3, conId, name: path.join(dir(home), 'temp01.dbf') });
    let ts = 5;
    if (o.oddNames && i === 0) {
      tablespaces.push({ ts, conId, name: 'users data', contents: 'PERMANENT', status: 'ONLINE', logging: true });
      files.push({ ts: ts++, conId, name: path.join(dir(5), 'users data 01.dbf') });
      tablespaces.push({ ts, conId, name: 'lower_ts', contents: 'PERMANENT', status: 'ONLINE', logging: true });
      files.push({ ts: ts++, conId, name: path.join(dir(6), 'lower_ts01.dbf') });
    }
    for (let g = 1; g <= nGen; g++, ts++) {
      const tname = `APP_${String(g).padStart(3, '0')}`;
      tablespaces.push({ ts, conId, name: tname, contents: 'PERMANENT', status: 'ONLINE', logging: true });
      files.push({ ts, conId, name: path.join(dir(4 + ((ts + i) % 6)), `${tname.toLowerCase()}_01.dbf`) });
    }
    containers.push({
      conId, name, openMode: 'READ WRITE', restricted: false, dbid: 1_000_000_000 + ctx.rnd.int(0, 2_999_999_999), guid: hex(ctx, 32),
      createScn: 2_000_000 + i, openTime: null,
    });
  });
  // extra files (--datafiles N in total): round robin over the PDBs' APP tablespaces
  const app = tablespaces.filter((t) => (t.conId ?? 0) >= 3 && t.name.startsWith('APP_'));
  const count = new Map<string, number>();
  for (let k = 0; app.length && files.length < (o.datafiles ?? 0); k++) {
    const t = app[k % app.length]!;
    const key = `${t.conId}:${t.ts}`;
    const n = (count.get(key) ?? 1) + 1;
    count.set(key, n);
    const pdb = containers.find((c) => c.conId === t.conId)!;
    files.push({ ts: t.ts, conId: t.conId, name: path.join(od(4 + ((t.ts + n) % 6)), pdb.name.toLowerCase(), `${t.name.toLowerCase()}_${String(n).padStart(2, '0')}.dbf`) });
  }
  return { tablespaces, files, tempfiles, containers };
}
