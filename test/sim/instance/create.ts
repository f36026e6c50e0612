// `sim create`: lays out a new database (control data, datafiles, online logs, H/bin/sqlplus).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Container, type Control, type Datafile, type Tablespace, saveControl, stateDir, NoInstanceError } from './control.ts';
import { cdbLayout } from './create-cdb.ts';
import { createDatafile } from './datafile.ts';
import { fillDatafile, type FillStyle } from './fill.ts';
import { Prng } from './prng.ts';
import { initOnlineLog } from './redo-io.ts';

export interface CreateOptions {
  home: string;
  sid: string;
  root: string;
  /** generated tablespaces in addition to SYSTEM, SYSAUX, UNDOTBS1, TEMP, USERS */
  tablespaces?: number;
  /** total datafiles (at least 4 + tablespaces) */
  datafiles?: number;
  /** average datafile size in blocks */
  blocks?: number;
  seed?: number;
  /** 0 = all files the same size; 1+ = a few large files, many small */
  skew?: number;
  oddNames?: boolean;
  noArchivelog?: boolean;
  logSize?: number;
  dest2?: string;
  dbName?: string;
  /** a container database: CDB$ROOT, PDB$SEED and `pdbs` PDBs */
  cdb?: boolean;
  /** number of user PDBs (1-3, SE2's limit); default 1, or the number of pdbNames */
  pdbs?: number;
  /** PDB names (case kept: 'hr_app' is a quoted lower-case name); default PDB1, PDB2, ... */
  pdbNames?: string[];
  /** recovery of standby copies of this database is lenient (see Control.lenientCopies); default strict */
  lenient?: boolean;
  /** fraction of each datafile's data blocks that start with row data (fill.ts) */
  fill?: { fraction: number; style: FillStyle };
}

export const START_SCN = 12_345_678_900_000;

export class CreateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CreateError';
  }
}

/** Parses '16' (blocks), '512K', '8M', '1G' into blocks of 8 KiB. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGkmg]?)$/.exec(s.trim());
  if (!m) throw new CreateError(`invalid size '${s}': use blocks (16) or bytes with K/M/G (8M)`);
  const n = Number(m[1]);
  const unit = m[2]!.toUpperCase();
  if (!unit) return Math.round(n);
  const bytes = n * (unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : 1024 ** 3);
  return Math.max(16, Math.round(bytes / 8192));
}

export function simPackageDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}

function sqlplusWrapperPath(): string {
  // in the bundle import.meta.url is test/sim/dist/sim.js, in tsx test/sim/instance/create.ts
  const here = path.dirname(fileURLToPath(import.meta.url));
  const simDir = path.basename(here) === 'dist' || path.basename(here) === 'instance' ? path.dirname(here) : here;
  return path.join(simDir, 'bin', 'sqlplus');
}

/** H/bin/sqlplus: execs the fake sqlplus, so PATH=$ORACLE_HOME/bin:$PATH finds it like a real one. */
export function writeSqlplusWrapper(home: string): void {
  fs.mkdirSync(path.join(home, 'bin'), { recursive: true });
  const sp = path.join(home, 'bin', 'sqlplus');
  fs.writeFileSync(sp, `#!/bin/sh\nexec '${sqlplusWrapperPath().replace(/'/g, `'\\''`)}' "$@"\n`, { mode: 0o755 });
}

/** Where the files of a new database go, before sizes and SCNs are chosen. */
export interface Layout {
  tablespaces: Tablespace[];
  files: { ts: number; conId?: number; name: string }[];
  tempfiles: { ts: number; conId?: number; name: string }[];
  containers?: Container[];
}

export interface LayoutContext {
  o: CreateOptions;
  rnd: Prng;
  dbName: string;
  /** R/uNN/oradata/DBNAME */
  od(mount: number): string;
}

/** The non-CDB layout: SYSTEM, SYSAUX, UNDOTBS1, TEMP, USERS, generated APP_nnn (skewed extra files), odd names. */
function nonCdbLayout({ o, rnd, od }: LayoutContext): Layout {
  const nGen = o.tablespaces ?? 2;
  const nFiles = Math.max(o.datafiles ?? 4 + nGen, 4 + nGen + (o.oddNames ? 2 : 0));
  const tablespaces: Tablespace[] = [
    { ts: 0, name: 'SYSTEM', contents: 'PERMANENT', status: 'ONLINE', logging: true },
    { ts: 1, name: 'SYSAUX', contents: 'PERMANENT', status: 'ONLINE', logging: true },
    { ts: 2, name: 'UNDOTBS1', contents: 'UNDO', status: 'ONLINE', logging: true },
    { ts: 3, name: 'TEMP', contents: 'TEMPORARY', status: 'ONLINE', logging: false },
    { ts: 4, name: 'USERS', contents: 'PERMANENT', status: 'ONLINE', logging: true },
  ];
  const fileTs: { ts: number; name: string }[] = [
    { ts: 0, name: path.join(od(2), 'system01.dbf') },
    { ts: 1, name: path.join(od(2), 'sysaux01.dbf') },
    { ts: 2, name: path.join(od(3), 'undotbs01.dbf') },
    { ts: 4, name: path.join(od(4), 'users01.dbf') },
  ];
  const gen: number[] = [];
  if (o.oddNames) {
    tablespaces.push({ ts: 5, name: 'users data', contents: 'PERMANENT', status: 'ONLINE', logging: true });
    tablespaces.push({ ts: 6, name: 'lower_ts', contents: 'PERMANENT', status: 'ONLINE', logging: true });
    fileTs.push({ ts: 5, name: path.join(od(5), 'users data 01.dbf') }, { ts: 6, name: path.join(od(6), 'lower_ts01.dbf') });
  }
  for (let i = 1; i <= nGen; i++) {
    const ts = tablespaces.length + 0;
    tablespaces.push({ ts, name: `APP_${String(i).padStart(3, '0')}`, contents: 'PERMANENT', status: 'ONLINE', logging: true });
    gen.push(ts);
  }
  const perTs = new Map<number, number>();
  const addGenFile = (ts: number) => {
    const n = (perTs.get(ts) ?? 0) + 1;
    perTs.set(ts, n);
    const t = tablespaces[ts]!;
    fileTs.push({ ts, name: path.join(od(4 + (ts % 6)), `${t.name.toLowerCase()}_${String(n).padStart(2, '0')}.dbf`) });
  };
  for (const ts of gen) addGenFile(ts);
  // extra files: skewed towards a few tablespaces (roughly Zipf)
  while (fileTs.length < nFiles && gen.length) {
    const r = rnd.next();
    addGenFile(gen[Math.min(gen.length - 1, Math.floor(gen.length * r * r * r))]!);
  }
  return { tablespaces, files: fileTs, tempfiles: [{ ts: 3, name: path.join(od(3), 'temp01.dbf') }] };
}

export function createInstance(o: CreateOptions): Control {
  const home = path.resolve(o.home);
  const root = path.resolve(o.root);
  const dir = stateDir(home, o.sid);
  if (fs.existsSync(path.join(dir, 'control.json'))) throw new CreateError(`instance ${o.sid} already exists in ${dir}`);
  const seed = o.seed ?? 1;
  const rnd = new Prng(seed);
  const avg = o.blocks ?? 128;
  const skew = o.skew ?? 1;
  const dbName = (o.dbName ?? o.sid).toUpperCase().slice(0, 8);
  const now = Date.now();
  let scn = START_SCN + rnd.int(0, 99_999);
  const od = (mount: number) => path.join(root, `u${String(mount).padStart(2, '0')}`, 'oradata', dbName);
  const layout = o.cdb ? cdbLayout({ o, rnd, dbName, od }) : nonCdbLayout({ o, rnd, dbName, od });
  const { tablespaces, files: fileTs } = layout;
  const tsOf = (f: { ts: number; conId?: number }) => tablespaces.find((t) => t.ts === f.ts && (t.conId ?? 0) === (f.conId ?? 0))!;
  // sizes: weights 1/u^skew normalised to the average, at least 16 blocks
  const w = fileTs.map(() => (skew > 0 ? Math.min(50, 1 / Math.pow(Math.max(rnd.next(), 0.02), skew * 0.7)) : 1));
  const mean = w.reduce((a, b) => a + b, 0) / w.length;

  const datafiles: Datafile[] = fileTs.map((f, i) => {
    scn += 7;
    return {
      file: i + 1, ts: f.ts, ...(f.conId !== undefined ? { conId: f.conId } : {}), name: f.name, blocks: Math.max(16, Math.round((avg * w[i]!) / mean)),
      creationScn: scn, creationTime: now, status: f.ts === 0 ? 'SYSTEM' : 'ONLINE', enabled: 'READ WRITE',
      checkpointScn: scn, checkpointTime: now, realCheckpointScn: scn, unrecoverableScn: 0, unrecoverableTime: null,
      backup: { active: false, change: null, time: null },
    };
  });
  const dbid = 1_000_000_000 + (Math.floor(rnd.next() * 3_000_000_000) % 3_000_000_000);
  const resetlogsId = 1_100_000_000 + rnd.int(0, 99_999_999);
  scn += 10;
  for (const d of datafiles) d.checkpointScn = d.realCheckpointScn = scn;
  for (const d of datafiles) {
    createDatafile(d.name, {
      file: d.file, ts: d.ts, blocks: d.blocks, dbid, resetlogsId, creationScn: d.creationScn,
      checkpointScn: d.checkpointScn, checkpointTime: now, fuzzy: false, tablespace: tsOf(d).name,
    });
  }
  const fill = o.fill && { ...o.fill, seed, lastBlock: Object.fromEntries(datafiles.map((d) => [d.file, fillDatafile(d.name, { ...o.fill!, seed }, d)])) };
  for (const t of layout.tempfiles) {
    fs.mkdirSync(path.dirname(t.name), { recursive: true });
    fs.writeFileSync(t.name, Buffer.alloc(0));
    fs.truncateSync(t.name, 129 * 8192);
  }
  const dest1 = path.join(root, 'u12', 'fra', dbName, 'archivelog');
  fs.mkdirSync(dest1, { recursive: true });
  if (o.dest2) fs.mkdirSync(path.resolve(o.dest2), { recursive: true });
  const logs = [1, 2, 3].map((g) => ({
    group: g, members: [path.join(od(10), `redo0${g}.log`)], sequence: g === 1 ? 1 : 0,
    status: (g === 1 ? 'CURRENT' : 'UNUSED') as 'CURRENT' | 'UNUSED', archived: g !== 1,
    firstChange: g === 1 ? scn : 0, firstTime: g === 1 ? now : 0, nextChange: null, nextTime: null,
  }));
  if (layout.containers) for (const k of layout.containers) if (k.conId === 1) k.dbid = dbid;
  const c: Control = {
    version: 1, ...(layout.containers ? { cdb: true, containers: layout.containers } : {}), dbid, dbName, sid: o.sid, home, root, logMode: o.noArchivelog ? 'NOARCHIVELOG' : 'ARCHIVELOG',
    forceLogging: false, scn, resetlogsId, resetlogsScn: START_SCN, resetlogsTime: now, createdTime: now,
    cleanShutdown: true, seed, tablespaces, datafiles, ...(fill && { fill }),
    tempfiles: layout.tempfiles.map((t, i) => ({ file: i + 1, ts: t.ts, ...(t.conId !== undefined ? { conId: t.conId } : {}), name: t.name, blocks: 128 })),
    logs, logSize: o.logSize ?? 4 * 1024 * 1024,
    dests: [{ id: 1, location: dest1, status: 'VALID', error: '', full: false }],
    archivedLogs: [], nextRecid: 1,
    params: {
      db_name: dbName, db_unique_name: dbName, db_block_size: '8192', compatible: '19.0.0',
      log_archive_dest_1: `LOCATION=${dest1}`, log_archive_dest_state_1: 'enable',
      log_archive_format: '%t_%s_%r.dbf', standby_file_management: 'MANUAL',
      db_file_name_convert: '', log_file_name_convert: '', db_recovery_file_dest: '', db_recovery_file_dest_size: '0',
      control_files: path.join(od(2), 'control01.ctl'), instance_name: o.sid,
    },
  };
  if (o.lenient) c.lenientCopies = true;
  if (o.dest2) {
    c.dests.push({ id: 2, location: path.resolve(o.dest2), status: 'VALID', error: '', full: false });
    c.params.log_archive_dest_2 = `LOCATION=${path.resolve(o.dest2)}`;
    c.params.log_archive_dest_state_2 = 'enable';
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const g of logs) initOnlineLog(c, g);
  fs.writeFileSync(path.join(dir, 'truth.journal'), Buffer.alloc(0));
  writeSqlplusWrapper(home);
  saveControl(dir, c);
  return c;
}

export { NoInstanceError };
