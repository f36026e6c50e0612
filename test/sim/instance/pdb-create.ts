// A PDB created at runtime (the admin fault `create-pdb`, like CREATE PLUGGABLE DATABASE
// ... FROM PDB$SEED followed by OPEN): new datafiles with new FILE#s, each logged as a file
// creation, so a standby recovering through it stops as for an added datafile (ORA-01274
// with STANDBY_FILE_MANAGEMENT=MANUAL) until the files are provided.
import fs from 'node:fs';
import path from 'node:path';
import { OraError } from '../sql/types.ts';
import { containerByName, containersOf, SEED_ID } from './containers.ts';
import type { Container, Datafile, Tablespace } from './control.ts';
import { MAX_PDBS } from './create-cdb.ts';
import { createDatafile } from './datafile.ts';
import type { Instance } from './instance.ts';
import { RecType } from './redo-format.ts';

export async function createPdb(inst: Instance, name: string, blocks = 32): Promise<Container> {
  const c = inst.c;
  if (inst.state !== 'OPEN') throw new OraError(['ORA-01109: database not open']);
  if (!c.cdb) throw new OraError(['ORA-65090: operation only allowed in a container database']);
  if (!/^[A-Za-z][A-Za-z0-9_$#]{0,29}$/.test(name)) throw new OraError(['ORA-65000: missing or invalid pluggable database name']);
  if (containerByName(c, name)) throw new OraError([`ORA-65012: Pluggable database ${name} already exists.`]);
  if (containersOf(c).filter((k) => k.conId > SEED_ID).length >= MAX_PDBS) throw new OraError(['ORA-65010: maximum number of pluggable databases created']);
  const conId = Math.max(...containersOf(c).map((k) => k.conId)) + 1;
  const od = (m: number) => path.join(c.root, `u${String(m).padStart(2, '0')}`, 'oradata', c.dbName, name.toLowerCase());
  const defs: [number, string, Tablespace['contents'], string][] = [
    [0, 'SYSTEM', 'PERMANENT', path.join(od(5), 'system01.dbf')],
    [1, 'SYSAUX', 'PERMANENT', path.join(od(5), 'sysaux01.dbf')],
    [2, 'UNDOTBS1', 'UNDO', path.join(od(6), 'undotbs01.dbf')],
    [4, 'USERS', 'PERMANENT', path.join(od(4), 'users01.dbf')],
  ];
  for (const [, , , f] of defs) if (fs.existsSync(f)) throw new OraError([`ORA-01119: error in creating database file '${f}'`, 'ORA-27038: created file already exists', 'Additional information: 1']);
  const k: Container = {
    conId, name, openMode: 'MOUNTED', restricted: false, dbid: 1_000_000_000 + Math.floor(Math.random() * 2_999_999_999),
    guid: Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('').toUpperCase(), createScn: c.scn + 1, openTime: null,
  };
  c.containers!.push(k);
  c.tablespaces.push(...defs.map(([ts, tname, contents]) => ({ ts, conId, name: tname, contents, status: 'ONLINE' as const, logging: true })),
    { ts: 3, conId, name: 'TEMP', contents: 'TEMPORARY', status: 'ONLINE', logging: false });
  for (const [ts, tname, , file] of defs) {
    const fileNo = Math.max(...c.datafiles.map((d) => d.file)) + 1;
    const scn = await inst.logRecord((s) => ({ type: RecType.FileCreate, scn: s, file: fileNo, block: 0, ts, blocks, name: file, tablespace: tname, conId }));
    const now = Date.now();
    const d: Datafile = {
      file: fileNo, ts, conId, name: file, blocks, creationScn: scn, creationTime: now, status: ts === 0 ? 'SYSTEM' : 'ONLINE', enabled: 'READ WRITE',
      checkpointScn: scn + 1, checkpointTime: now, realCheckpointScn: scn + 1, unrecoverableScn: 0, unrecoverableTime: null,
      backup: { active: false, change: null, time: null },
    };
    createDatafile(file, { file: fileNo, ts, blocks, dbid: c.dbid, resetlogsId: c.resetlogsId, creationScn: scn, checkpointScn: scn + 1, checkpointTime: now, fuzzy: false, tablespace: tname });
    c.datafiles.push(d);
  }
  const temp = path.join(od(5), 'temp01.dbf');
  fs.writeFileSync(temp, Buffer.alloc(0));
  fs.truncateSync(temp, 129 * 8192);
  c.tempfiles.push({ file: Math.max(0, ...c.tempfiles.map((t) => t.file)) + 1, ts: 3, conId, name: temp, blocks: 128 });
  inst.alert(`CREATE PLUGGABLE DATABASE ${name} ADMIN USER pdbadmin IDENTIFIED BY *\nCompleted: CREATE PLUGGABLE DATABASE ${name}`);
  k.openMode = 'READ WRITE';
  k.openTime = Date.now();
  inst.liveGeneration++;
  inst.updateCheckpoints(c.datafiles.filter((d) => d.conId === conId), true);
  inst.save();
  return k;
}
