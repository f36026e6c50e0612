// Helpers for the simulator's own tests: sandbox, CLI, SQL over the socket, the manual backup procedure.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stateDir } from './control.ts';
import { request } from './socket.ts';
import { SqlplusSession } from './testkit-sqlplus.ts';

export const SIM = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'sim');

export interface Sandbox {
  base: string;
  home: string;
  sid: string;
  root: string;
  dr: string;
  drArch: string;
  dir: string;
  sim(...args: string[]): { code: number; out: string; err: string };
  /** the same without blocking this process (lets several sandboxes start at once) */
  simAsync(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** one statement on a new connection (a new session), in `container` when given (CDB) */
  sql(text: string, container?: string): Promise<{ columns: { name: string }[]; rows: any[][] } & { message?: string }>;
  sqlError(text: string, container?: string): Promise<string[]>;
  admin(msg: object): Promise<any>;
  rows(text: string, container?: string): Promise<any[][]>;
  /** a long-lived fake `sqlplus -s -L / as sysdba` (closed by cleanup) */
  sqlplus(): SqlplusSession;
  cleanup(): void;
}

export function sandbox(createArgs: string[] = []): Sandbox {
  const clients: SqlplusSession[] = [];
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'simtest-'));
  const sb: Sandbox = {
    base, home: path.join(base, 'oh'), sid: 'DBPROD', root: path.join(base, 'prod'), dr: path.join(base, 'dr'),
    drArch: path.join(base, 'dr', 'arch'), dir: '',
    sim(...args) {
      const r = spawnSync(SIM, [...args, '--home', sb.home, '--sid', sb.sid], { encoding: 'utf8' });
      return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
    },
    simAsync(...args) {
      return new Promise((resolve) => {
        execFile(SIM, [...args, '--home', sb.home, '--sid', sb.sid], { encoding: 'utf8' }, (e, out, err) => {
          resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, out, err });
        });
      });
    },
    async sql(text, container) {
      const r = await request(sb.dir, { op: 'sql', text, ...(container ? { container } : {}) });
      if (!r.ok) throw new Error(r.error.lines.join('\n'));
      return r;
    },
    async sqlError(text, container) {
      const r = await request(sb.dir, { op: 'sql', text, ...(container ? { container } : {}) });
      if (r.ok) throw new Error(`expected an error from: ${text}`);
      return r.error.lines;
    },
    async admin(msg) {
      const r = await request(sb.dir, { op: 'admin', ...msg });
      if (!r.ok) throw new Error(r.error.lines.join('\n'));
      return r;
    },
    async rows(text, container) {
      return (await sb.sql(text, container)).rows;
    },
    sqlplus() {
      const p = new SqlplusSession(sb.home, sb.sid);
      clients.push(p);
      return p;
    },
    cleanup() {
      for (const p of clients) p.kill();
      spawnSync(SIM, ['crash', '--home', sb.home, '--sid', sb.sid]);
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
  sb.dir = stateDir(sb.home, sb.sid);
  fs.mkdirSync(sb.drArch, { recursive: true });
  const r = sb.sim('create', '--root', sb.root, ...createArgs);
  if (r.code !== 0) {
    fs.rmSync(base, { recursive: true, force: true }); // nothing else was started: leave no directory behind
    throw new Error(`sim create failed: ${r.err}${r.out}`);
  }
  return sb;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** DR path of a production file (the same rule the standby applies: root prefix replaced). */
export const drPath = (sb: Sandbox, name: string) => sb.dr + name.slice(sb.root.length);

export function copyTo(sb: Sandbox, name: string): void {
  const to = drPath(sb, name);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(name, to);
}

export interface ProcedureHooks {
  /** after BEGIN BACKUP of a tablespace, before its copy */
  beforeCopy?(ts: string, files: string[]): Promise<void>;
  /** after the copy, before END BACKUP */
  afterCopy?(ts: string): Promise<void>;
  skipBeginBackup?: boolean;
  /** filter for shipped archived logs; default NEXT_CHANGE# > cutoff (right) */
  logFilter?: string;
}

/** The manual procedure: per tablespace BEGIN BACKUP, copy, END BACKUP; ARCHIVE LOG CURRENT; standby controlfile; ship logs. */
export async function manualBackup(sb: Sandbox, hooks: ProcedureHooks = {}): Promise<{ cutoff: number; controlfile: string; shipped: number[] }> {
  const tss = await sb.rows("select tablespace_name from dba_tablespaces where contents <> 'TEMPORARY' and status = 'ONLINE' order by tablespace_name");
  let cutoff = Number.MAX_SAFE_INTEGER;
  for (const [ts] of tss) {
    const files = (await sb.rows(`select file_name from dba_data_files where tablespace_name = '${String(ts).replace(/'/g, "''")}'`)).map((r) => String(r[0]));
    if (!hooks.skipBeginBackup) {
      await sb.sql(`alter tablespace ${quoteIdent(ts)} begin backup`);
      const ch = await sb.rows("select min(change#) from v$backup where status = 'ACTIVE'");
      if (ch[0]?.[0] != null) cutoff = Math.min(cutoff, Number(ch[0][0]));
    } else {
      const ch = await sb.rows('select min(checkpoint_change#) from v$datafile');
      cutoff = Math.min(cutoff, Number(ch[0]![0]));
    }
    await hooks.beforeCopy?.(ts, files);
    for (const f of files) copyTo(sb, f);
    await hooks.afterCopy?.(ts);
    if (!hooks.skipBeginBackup) await sb.sql(`alter tablespace ${quoteIdent(ts)} end backup`);
  }
  // read-only tablespaces: copy without backup mode
  for (const [f] of await sb.rows("select d.file_name from dba_data_files d, dba_tablespaces t where d.tablespace_name = t.tablespace_name and t.status = 'READ ONLY'")) copyTo(sb, String(f));
  await sb.sql('alter system archive log current');
  const controlfile = path.join(sb.dr, 'standby.ctl');
  await sb.sql(`alter database create standby controlfile as '${controlfile}' reuse`);
  const filter = (hooks.logFilter ?? 'next_change# > :cutoff').replace(':cutoff', String(cutoff));
  const logs = await sb.rows(`select sequence#, name from v$archived_log where dest_id = 1 and ${filter} order by sequence#`);
  for (const [, name] of logs) fs.copyFileSync(String(name), path.join(sb.drArch, path.basename(String(name))));
  return { cutoff, controlfile, shipped: logs.map((r) => Number(r[0])) };
}

export const convertArg = (sb: Sandbox) => `${sb.root},${sb.dr}`;

/** Saves the DR tree as it is now; the returned function puts it back (each case of a test starts from the same copy). */
export function snapshotDr(sb: Sandbox): () => void {
  const snap = path.join(sb.base, `dr.snapshot.${Date.now()}`);
  fs.cpSync(sb.dr, snap, { recursive: true });
  return () => {
    fs.rmSync(sb.dr, { recursive: true, force: true });
    fs.cpSync(snap, sb.dr, { recursive: true });
  };
}

/** The shipped archived log of a sequence in the DR archive directory (by the default LOG_ARCHIVE_FORMAT %t_%s_%r.dbf). */
export function shippedLog(sb: Sandbox, sequence: number): string {
  const name = fs.readdirSync(sb.drArch).find((f) => /^1_\d+_\d+\.dbf$/.test(f) && f.split('_')[1] === String(sequence));
  if (!name) throw new Error(`sequence ${sequence} was not shipped to ${sb.drArch}`);
  return path.join(sb.drArch, name);
}
