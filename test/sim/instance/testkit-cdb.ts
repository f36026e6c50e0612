// The manual hot backup of a container database, run THROUGH the fake sqlplus as the product
// would: every container open READ WRITE gets per-tablespace windows inside it (ALTER SESSION
// SET CONTAINER); the files of the other containers (PDB$SEED, a PDB open READ ONLY or
// MOUNTED) are copied as they are, since nothing writes them.
import fs from 'node:fs';
import path from 'node:path';
import { copyTo, quoteIdent, type Sandbox } from './testkit.ts';

export interface CdbProcedureHooks {
  /** wrong procedures: leave a tablespace out (no window, no copy) */
  omit?(container: string, tablespace: string): boolean;
  /** wrong procedures: leave a container that is not open READ WRITE out */
  omitContainer?(container: string): boolean;
  beforeCopy?(container: string, tablespace: string, files: string[]): Promise<void>;
  afterCopy?(container: string, tablespace: string): Promise<void>;
  /** archived logs to ship; default NEXT_CHANGE# > cutoff (right) */
  logFilter?: string;
  /** the cutoff ignores MOUNTED PDBs' checkpoints (wrong) */
  cutoffFromWindowsOnly?: boolean;
}

export interface CdbBackup {
  cutoff: number;
  controlfile: string;
  shipped: number[];
  copied: string[];
  containers: { conId: number; name: string; openMode: string }[];
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function manualBackupCdb(sb: Sandbox, hooks: CdbProcedureHooks = {}): Promise<CdbBackup> {
  const sp = sb.sqlplus();
  const containers = (await sp.rows("select con_id || '|' || name || '|' || open_mode from v$containers order by con_id"))
    .map((l) => l.split('|')).map(([id, name, openMode]) => ({ conId: Number(id), name: name!, openMode: openMode! }));
  let cutoff = Number.MAX_SAFE_INTEGER;
  const copied: string[] = [];
  const copy = (f: string) => {
    copyTo(sb, f);
    copied.push(f);
  };
  for (const k of containers.filter((x) => x.openMode === 'READ WRITE')) {
    await sp.exec(`alter session set container = ${quoteIdent(k.name)}`);
    const tss = await sp.rows("select tablespace_name from dba_tablespaces where contents <> 'TEMPORARY' and status = 'ONLINE' order by tablespace_name");
    for (const ts of tss) {
      if (hooks.omit?.(k.name, ts)) continue;
      const files = await sp.rows(`select file_name from dba_data_files where tablespace_name = ${lit(ts)}`);
      await sp.exec(`alter tablespace ${quoteIdent(ts)} begin backup`);
      const [ch] = await sp.rows("select to_char(min(change#)) from v$backup where status = 'ACTIVE'");
      cutoff = Math.min(cutoff, Number(ch));
      await hooks.beforeCopy?.(k.name, ts, files);
      for (const f of files) copy(f);
      await hooks.afterCopy?.(k.name, ts);
      await sp.exec(`alter tablespace ${quoteIdent(ts)} end backup`);
    }
    for (const f of await sp.rows("select d.file_name from dba_data_files d, dba_tablespaces t where d.tablespace_name = t.tablespace_name and t.status = 'READ ONLY'")) copy(f);
  }
  await sp.exec('alter session set container = CDB$ROOT');
  for (const k of containers.filter((x) => x.openMode !== 'READ WRITE')) {
    if (hooks.omitContainer?.(k.name)) continue;
    for (const line of await sp.rows(`select checkpoint_change# || '|' || name from v$datafile where con_id = ${k.conId} order by file#`)) {
      const [ckpt, name] = [Number(line.slice(0, line.indexOf('|'))), line.slice(line.indexOf('|') + 1)];
      copy(name);
      // a MOUNTED PDB's files are recovered from their (close) checkpoint
      if (k.openMode === 'MOUNTED' && !hooks.cutoffFromWindowsOnly) cutoff = Math.min(cutoff, ckpt);
    }
  }
  await sp.exec('alter system archive log current');
  const controlfile = path.join(sb.dr, 'standby.ctl');
  await sp.exec(`alter database create standby controlfile as ${lit(controlfile)} reuse`);
  const filter = (hooks.logFilter ?? 'next_change# > :cutoff').replace(':cutoff', String(cutoff));
  const logs = (await sp.rows(`select sequence# || '|' || name from v$archived_log where dest_id = 1 and ${filter} order by sequence#`)).map((l) => l.split('|'));
  for (const [, name] of logs) fs.copyFileSync(name!, path.join(sb.drArch, path.basename(name!)));
  await sp.close();
  return { cutoff, controlfile, shipped: logs.map((r) => Number(r[0])), copied, containers };
}
