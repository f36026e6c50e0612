// An end-to-end world: a sandbox with a fresh HOME, a simulated production instance
// (test/sim) with datafiles under <sb>/prod/uNN, a private sshd on 127.0.0.1 standing for the
// DR host, a DR tree under <sb>/dr, and an etc/dr.yaml that points the suite at all of it.
// The product is only ever run as a process (its bins), exactly as a DBA would run it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { exec, type ExecResult } from '../helpers/proc.ts';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.ts';
import { createLink, type Link } from '../helpers/netns.ts';
import { startSshd, type Sshd } from '../helpers/sshd.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SIM = path.join(ROOT, 'test/sim/bin/sim');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/esm/index.mjs');

export interface WorldOptions {
  tablespaces?: number;
  datafiles?: number;
  blocks?: number; // average datafile size in 8 KiB blocks
  seed?: number;
  oddNames?: boolean;
  skew?: number;
  logSize?: string;
  ssh?: boolean; // DR reached over the harness sshd (default) or as a local path
  parallel?: number;
  retries?: number;
  tmuxSocket?: string;
  extraConfig?: Record<string, unknown>;
  /** Name of the DR root directory under the sandbox (default 'dr'; may contain spaces). */
  drName?: string;
  /** Directories put first on the PATH the product runs with (e.g. stand-ins for old tools). */
  pathFirst?: string[];
  /** Environment of ssh logins on the DR side (the harness sshd's SetEnv), e.g. its PATH. */
  drEnv?: Record<string, string>;
  /** sim create --fill: this fraction of each datafile's blocks starts with rows (or random bytes). */
  fill?: number;
  fillStyle?: 'rows' | 'random';
  /** The DR sshd in its own network namespace behind a tbf-shaped veth link (test/helpers/netns.ts; needs root). */
  link?: { rateMbit: number };
  /** argv prefix for the sshd (the bench's CPU accounting group). */
  sshdWrap?: string[];
  /** A second local archive destination (LOG_ARCHIVE_DEST_2) at <prod>/u13/arch2. */
  dest2?: boolean;
  /** ORACLE_SID of the simulated database (default DBPROD); its tmux session is DR_<sid>. */
  sid?: string;
  /**
   * A second database beside `shareWith`'s: same sandbox, same DR host (sshd), same log/ and
   * state/ directories, its own ORACLE_HOME, production tree and DR tree (oh-<sid>, prod-<sid>,
   * dr-<sid>, lower case). Its dispose() stops only its own instance.
   */
  shareWith?: World;
  /** The configuration file, relative to the sandbox (default dr.yaml), e.g. etc/dbhml.yaml. */
  configName?: string;
  /** A container database (sim create --cdb): CDB$ROOT, PDB$SEED and `pdbs` PDBs, named `pdbNames` (e.g. 'PDB1,hr_app'). */
  cdb?: { pdbs: number; pdbNames?: string };
}

export interface World {
  sb: Sandbox;
  sshd?: Sshd;
  link?: Link;
  home: string; // ORACLE_HOME of the simulated instance
  sid: string;
  prod: string; // production "filesystem" root (u01, u02, ... below it)
  dr: string; // DR root
  configFile: string;
  env: Record<string, string>;
  sim(args: string[], timeoutMs?: number): Promise<ExecResult>;
  sqlplus(script: string): Promise<ExecResult>;
  tool(bin: 'hot_backup_ts' | 'copy_archivelog' | 'orquestra_dr' | 'monitor' | 'status' | 'check' | 'apply_standby', args?: string[], timeoutMs?: number): Promise<ExecResult>;
  toolArgv(bin: string, args?: string[]): string[];
  readState(name: string): string | undefined;
  readLog(name: string): string;
  /** Rewrites dr.yaml with `patch` merged one level deep (e.g. { rsync: { bwlimit_kbps: 500 } }). */
  updateConfig(patch: Record<string, Record<string, unknown> | unknown[]>): void;
  /** Rows of a query, columns split on '|' (the test writes its own concatenation). */
  query(sql: string): Promise<string[]>;
  /** FILE# of datafiles in backup mode (V$BACKUP ACTIVE). */
  activeBackups(): Promise<number[]>;
  /** ARCHIVE LOG CURRENT, then the highest archived sequence of thread 1. */
  archiveCurrent(): Promise<number>;
  /** Logged changes to `fraction` of every datafile's blocks (random blocks), then a checkpoint; the number of changes. */
  changeBlocks(fraction: number): Promise<number>;
  /** The simulator's standby recovery then verification of the DR copy. */
  recoverAndVerify(): Promise<{ recover: ExecResult; verify: ExecResult }>;
  dispose(): Promise<void>;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function makeWorld(o: WorldOptions = {}): Promise<World> {
  const shared = o.shareWith;
  const sb = shared?.sb ?? makeSandbox('e2e');
  const sid = o.sid ?? 'DBPROD';
  const tag = shared ? `-${sid.toLowerCase()}` : '';
  const home = path.join(sb.dir, `oh${tag}`);
  const prod = path.join(sb.dir, `prod${tag}`);
  const dr = path.join(sb.dir, o.drName ?? `dr${tag}`);
  fs.mkdirSync(dr, { recursive: true });
  const env = sb.env({ ORACLE_HOME: home, ORACLE_SID: sid, PATH: sb.buildPath([...(o.pathFirst ?? []), path.join(home, 'bin')]) });
  const sim = (args: string[], timeoutMs = 120_000) => exec([SIM, ...args], { env, timeoutMs });
  let sshd: Sshd | undefined = shared?.sshd;
  let link: Link | undefined;
  let made = false;
  /** A world that cannot be made leaves nothing behind: no instance, no sshd, no sandbox. */
  const abandon = async (err: unknown): Promise<never> => {
    if (made) throw err; // a failure during a test: the test's after() disposes of the world
    await sim(['crash', '--home', home, '--sid', sid], 30_000).catch(() => undefined);
    if (!shared) {
      await sshd?.dispose().catch(() => undefined);
      await link?.dispose().catch(() => undefined);
      sb.cleanup();
    }
    throw err;
  };
  const must = async (args: string[], timeoutMs?: number) => {
    const r = await sim(args, timeoutMs);
    if (r.code !== 0) return abandon(new Error(`sim ${args.join(' ')} failed (${r.code}): ${r.stdout}\n${r.stderr}`));
    return r;
  };
  await must([
    'create',
    '--home', home,
    '--sid', sid,
    '--root', prod,
    '--tablespaces', String(o.tablespaces ?? 6),
    '--datafiles', String(o.datafiles ?? 10),
    '--size', String(o.blocks ?? 64),
    '--seed', String(o.seed ?? 1),
    '--log-size', o.logSize ?? '256K',
    ...(o.oddNames ? ['--odd-names'] : []),
    ...(o.skew !== undefined ? ['--skew', String(o.skew)] : []),
    ...(o.fill !== undefined ? ['--fill', String(o.fill), '--fill-style', o.fillStyle ?? 'rows'] : []),
    ...(o.dest2 ? ['--dest2', path.join(prod, 'u13', 'arch2')] : []),
    ...(o.cdb ? ['--cdb', '--pdbs', String(o.cdb.pdbs), ...(o.cdb.pdbNames ? ['--pdb-names', o.cdb.pdbNames] : [])] : []),
  ]);
  await must(['start', '--home', home, '--sid', sid]);

  const destination: Record<string, unknown> = { type: 'local' };
  if (o.ssh !== false) {
    if (o.link && !shared) link = await createLink({ rateMbit: o.link.rateMbit }).catch(abandon);
    sshd ??= await startSshd({ prefix: 'sshd', setEnv: o.drEnv, wrap: [...(o.sshdWrap ?? []), ...(link?.wrap ?? [])], ...(link && { listenAddress: link.nsAddr }) }).catch(abandon);
    Object.assign(destination, {
      type: 'ssh',
      host: sshd.host,
      user: sshd.user,
      port: sshd.port,
      identity_file: sshd.identityFile,
      known_hosts_file: sshd.knownHostsFile,
      ssh_config_file: '/dev/null',
      cipher: 'aes128-gcm@openssh.com',
      control_master: true,
    });
  }
  const mounts = fs.readdirSync(prod).filter((d) => /^u\d\d$/.test(d));
  const config = {
    oracle: { sid, home },
    destination,
    path_map: Object.fromEntries(mounts.map((m) => [path.join(prod, m), path.join(dr, `u${Number(m.slice(1)) + 10}`)])),
    unmapped_paths: 'error',
    archivelog: { dest_dir: path.join(dr, 'arch'), poll_seconds: 0.5 },
    standby_controlfile: { local_path: path.join(sb.dir, `standby${tag}.ctl`), dr_path: path.join(dr, 'ctl', 'standby.ctl') },
    backup: { parallel: o.parallel ?? 2 },
    rsync: { retries: o.retries ?? 1, timeout_seconds: 30 },
    tmux: { session: `DR_${sid}`, ...(o.tmuxSocket ? { socket_name: o.tmuxSocket } : {}) },
    dirs: { log: path.join(sb.dir, 'log'), state: path.join(sb.dir, 'state') },
    ...(o.extraConfig ?? {}),
  };
  const configFile = path.join(sb.dir, o.configName ?? 'dr.yaml');
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  fs.writeFileSync(configFile, YAML.stringify(config), { mode: 0o600 });

  const sqlplus = (script: string) => exec(['sqlplus', '-s', '-L', '/ as sysdba'], { env, input: script, timeoutMs: 60_000 });
  const query = async (sql: string) => {
    const r = await sqlplus(`SET PAGESIZE 0 FEEDBACK OFF HEADING OFF LINESIZE 4000 TRIMOUT ON\nWHENEVER SQLERROR EXIT FAILURE\n${sql};\n`);
    if (r.code !== 0) throw new Error(`query failed: ${sql}\n${r.stdout}${r.stderr}`);
    return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  };
  const convert = () =>
    fs
      .readdirSync(prod)
      .filter((d) => /^u\d\d$/.test(d))
      .flatMap((m) => [path.join(prod, m), path.join(dr, `u${Number(m.slice(1)) + 10}`)])
      .join(',');
  made = true;
  const toolArgv = (bin: string, args: string[] = []) => [process.execPath, '--import', TSX, path.join(ROOT, 'bin', `${bin}.ts`), '--config', configFile, ...args];
  return {
    sb,
    sshd,
    link,
    home,
    sid,
    prod,
    dr,
    configFile,
    env,
    sim,
    sqlplus,
    query,
    activeBackups: async () => (await query(`SELECT TO_CHAR(file#) FROM v$backup WHERE status = 'ACTIVE' ORDER BY file#`)).map(Number),
    archiveCurrent: async () => {
      const r = await sqlplus('WHENEVER SQLERROR EXIT FAILURE\nALTER SYSTEM ARCHIVE LOG CURRENT;\n');
      if (r.code !== 0) throw new Error(`ARCHIVE LOG CURRENT failed: ${r.stdout}`);
      const [max] = await query(`SELECT TO_CHAR(MAX(sequence#)) FROM v$archived_log WHERE thread# = 1 AND dest_id = 1`);
      return Number(max);
    },
    changeBlocks: async (fraction) => {
      let changes = 0;
      for (const row of await query(`SELECT TO_CHAR(file_id) || '|' || TO_CHAR(blocks) FROM dba_data_files`)) {
        const [id, blocks] = row.split('|').map(Number);
        const n = Math.round(fraction * blocks);
        // at most 20 changes a call: the online log must hold their redo
        for (let k = 0; k < n; k += 20) await must(['fault', 'change', '--file', String(id), '--count', String(Math.min(20, n - k))]);
        changes += n;
      }
      const cp = await sqlplus('WHENEVER SQLERROR EXIT FAILURE\nALTER SYSTEM CHECKPOINT;\n');
      if (cp.code !== 0) throw new Error(`checkpoint failed: ${cp.stdout}`);
      return changes;
    },
    recoverAndVerify: async () => {
      const ctl = path.join(dr, 'ctl', 'standby.ctl');
      const recover = await sim(['recover', '--controlfile', ctl, '--archive-dir', path.join(dr, 'arch'), '--convert', convert()], 300_000);
      const verify = await sim(['verify', '--controlfile', ctl, '--convert', convert()], 300_000);
      return { recover, verify };
    },
    tool: (bin, args = [], timeoutMs = 300_000) => exec(toolArgv(bin, args), { env, timeoutMs, cwd: sb.dir }),
    toolArgv,
    readLog: (name) => {
      const f = path.join(sb.dir, 'log', name);
      return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
    },
    updateConfig: (patch) => {
      const cur = YAML.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
      for (const [k, v] of Object.entries(patch)) cur[k] = Array.isArray(v) || typeof v !== 'object' ? v : { ...(cur[k] ?? {}), ...v };
      fs.writeFileSync(configFile, YAML.stringify(cur), { mode: 0o600 });
    },
    readState: (name) => {
      const f = path.join(sb.dir, 'state', name);
      return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined;
    },
    async dispose() {
      await sim(['crash', '--home', home, '--sid', sid], 30_000).catch(() => undefined);
      if (shared) return; // the sandbox and the sshd are shareWith's
      await sshd?.dispose();
      await link?.dispose();
      sb.cleanup();
    },
  };
}
