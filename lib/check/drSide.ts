// The DR host's findings, gathered over the configured ssh (lib/remote.ts): ssh answers, rsync
// at both ends (versions, and a dry run with the configured options), the DR directories can
// be created and written (mkdir -p + a temporary file, removed), their filesystems can take the
// mapped datafiles, and (optional) the DR instance's state. When ssh fails, the rest is SKIP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DrConfig } from '../config/index.ts';
import { formatError, DrError } from '../errors.ts';
import { run } from '../exec.ts';
import { planMapping } from '../pathmap.ts';
import { shellQuote, type Remote } from '../remote.ts';
import { detectCapabilities } from '../transfer/capabilities.ts';
import { drFileSizes } from '../transfer/drFiles.ts';
import { DR_INSTANCE_SCRIPT, drInstanceFinding, parseDrInstance, type DrInstanceState } from './drInstance.ts';
import { drSpaceFinding, parseDf, type FsNeed } from './drSpace.ts';
import { ok, problem, skip, type Finding } from './finding.ts';
import type { CheckDatafile } from './logging.ts';

const lastLines = (t: string) => t.trim().split('\n').slice(-2).join(' | ');

function failure(id: string, err: unknown): Finding {
  const [message] = (err instanceof DrError ? err.message : formatError(err)).split('\n');
  return problem(id, 'FAIL', message!, err instanceof DrError && err.hint ? err.hint : 'see the message; re-run check once it is fixed');
}

/** Runs a shell command line on the DR host (words quoted by the caller) or, for a local destination, here. */
async function onDr(remote: Remote, words: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
  if (remote.isLocal) return run(env.length ? ['env', ...env, ...words] : words, { input: opts.input, timeoutMs: 120_000 });
  const line = [...(env.length ? ['env', ...env] : []), ...words].map(shellQuote).join(' ');
  return run(['ssh', ...remote.sshOptions(), remote.target, '--', line], { input: opts.input, timeoutMs: 120_000 });
}

/** Directories the suite writes on DR: those of the mapped datafiles (or the rule targets), the log directory, the controlfile's. */
function drDirs(config: DrConfig, files: CheckDatafile[] | undefined): { dirs: string[]; dests: Map<string, CheckDatafile> } {
  const dests = new Map<string, CheckDatafile>();
  if (files) {
    const plan = planMapping(files.map((f) => f.name), config.pathMap, config.unmappedPaths);
    const byName = new Map(files.map((f) => [f.name, f]));
    for (const m of plan.files) dests.set(m.dest, byName.get(m.source)!);
  }
  const fileDirs = dests.size ? [...dests.keys()].map((d) => path.posix.dirname(d)) : config.pathMap.map((r) => r.to);
  const dirs = [...new Set([...fileDirs, config.archivelog.destDir, path.posix.dirname(config.standbyControlfile.drPath)])];
  return { dirs, dests };
}

async function writable(remote: Remote, dirs: string[]): Promise<Finding> {
  const id = 'dr_dirs';
  const bad: string[] = [];
  let detail = '';
  if (remote.isLocal) {
    for (const d of dirs) {
      try {
        fs.mkdirSync(d, { recursive: true });
        const t = path.join(d, `.dr-check.${process.pid}`);
        fs.writeFileSync(t, '');
        fs.rmSync(t);
      } catch (e) {
        bad.push(d);
        detail = (e as Error).message;
      }
    }
  } else {
    const script = `for d in ${dirs.map(shellQuote).join(' ')}; do mkdir -p -- "$d" && t="$d/.dr-check.$$" && : > "$t" && rm -f -- "$t" || echo "NOT WRITABLE: $d"; done`;
    const r = await run(['ssh', ...remote.sshOptions(), remote.target, '--', script], { timeoutMs: 120_000 });
    for (const l of r.stdout.split('\n')) if (l.startsWith('NOT WRITABLE: ')) bad.push(l.slice(14));
    detail = lastLines(r.stderr);
    if (r.exitCode !== 0 && bad.length === 0) return problem(id, 'FAIL', `cannot test the DR directories (exit ${r.exitCode}): ${detail}`, 'check ssh access to the DR host and its shell');
  }
  if (bad.length)
    return problem(
      id,
      'FAIL',
      `${bad.length} DR director${bad.length === 1 ? 'y is' : 'ies are'} not writable by ${remote.isLocal ? os.userInfo().username : remote.target}: ${bad.join(', ')}${detail ? ` (${detail})` : ''}`,
      'create them and give them to the DR user (mkdir -p, chown), or fix path_map / archivelog.dest_dir / standby_controlfile.dr_path; check that the filesystem is mounted read-write',
    );
  return ok(id, `${dirs.length} DR director${dirs.length === 1 ? 'y' : 'ies'} exist and are writable (datafiles, archived logs, standby controlfile)`);
}

async function space(remote: Remote, dests: Map<string, CheckDatafile>): Promise<Finding> {
  const id = 'dr_space';
  if (dests.size === 0) return skip(id, 'not checked: no datafile list (the database could not be asked) or no mapped datafile');
  const dirs = [...new Set([...dests.keys()].map((d) => path.posix.dirname(d)))];
  let rows: { availBytes: number; mount: string }[];
  if (remote.isLocal) {
    rows = dirs.map((d) => {
      const st = fs.statfsSync(d);
      return { availBytes: st.bavail * st.bsize, mount: `dev ${fs.statSync(d).dev}` };
    });
  } else {
    const r = await onDr(remote, ['df', '-P', '-B1', '--', ...dirs]);
    rows = parseDf(r.stdout);
    if (r.exitCode !== 0 || rows.length !== dirs.length) return problem(id, 'FAIL', `df on the DR host failed (exit ${r.exitCode}): ${lastLines(r.stderr)}`, 'GNU df (coreutils) must be installed on the DR host; the DR directories must exist (see dr_dirs)');
  }
  const mountOf = new Map(dirs.map((d, i) => [d, rows[i]!]));
  const sizes = await drFileSizes(remote, [...dests.keys()]);
  const needs = new Map<string, FsNeed>();
  for (const [dest, f] of dests) {
    const row = mountOf.get(path.posix.dirname(dest))!;
    // a local destination's filesystem is named by its first directory, not a device number
    const mount = remote.isLocal ? path.posix.dirname(dest) : row.mount;
    const key = row.mount;
    const n = needs.get(key) ?? { mount, availBytes: row.availBytes, neededBytes: 0, files: 0 };
    n.neededBytes += Math.max(0, f.bytes - (sizes.get(dest) ?? 0));
    n.files++;
    needs.set(key, n);
  }
  return drSpaceFinding([...needs.values()]);
}

async function rsyncDryRun(config: DrConfig, remote: Remote): Promise<string | undefined> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-check-'));
  try {
    const probe = path.join(tmp, '.dr-check-probe');
    fs.writeFileSync(probe, '');
    const rsh = remote.rsyncRsh();
    const r = await run([config.rsync.path, '--dry-run', ...config.rsync.extraOptions, ...(rsh ? ['-e', rsh] : []), probe, remote.spec(config.archivelog.destDir)], { timeoutMs: 120_000 });
    return r.exitCode === 0 ? undefined : `rsync --dry-run with rsync.extra_options failed (exit ${r.exitCode}): ${lastLines(r.stderr)}`;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function drInstance(config: DrConfig, remote: Remote): Promise<DrInstanceState | undefined> {
  const c = config.check.drInstance;
  if (!c) return undefined;
  const r = await onDr(remote, [path.posix.join(c.oracleHome, 'bin', 'sqlplus'), '-s', '-L', '/ as sysdba'], {
    input: DR_INSTANCE_SCRIPT,
    env: { ORACLE_SID: c.oracleSid, ORACLE_HOME: c.oracleHome },
  });
  const s = parseDrInstance(r.stdout + r.stderr);
  return s.state === 'error' && !s.text ? { state: 'error', text: `sqlplus exit ${r.exitCode}` } : s;
}

export async function drFindings(config: DrConfig, remote: Remote, files: CheckDatafile[] | undefined, prod: { dbid: string; name: string } | undefined): Promise<Finding[]> {
  const out: Finding[] = [];
  try {
    await remote.connect();
    out.push(ok('dr_ssh', remote.isLocal ? 'the destination is a local filesystem: no ssh' : `ssh ${remote.describe()} answers with the configured options`));
  } catch (e) {
    out.push(failure('dr_ssh', e));
    const why = 'not checked: the DR host is unreachable (dr_ssh)';
    return [...out, ...['dr_rsync', 'dr_dirs', 'dr_space', 'dr_instance'].map((id) => skip(id, why))];
  }
  const { dirs, dests } = drDirs(config, files);
  const dirsFinding = await writable(remote, dirs);
  try {
    const caps = await detectCapabilities(config.rsync.path, remote);
    const dry = dirsFinding.status === 'OK' ? await rsyncDryRun(config, remote) : undefined;
    out.push(
      dry
        ? problem('dr_rsync', 'FAIL', dry, 'fix rsync.extra_options (or the rsync at either end); the same options are used for every copy')
        : ok('dr_rsync', `rsync ${caps.local.label} here, ${caps.remote.label} ${remote.isLocal ? '(local destination)' : 'on the DR host'}${dirsFinding.status === 'OK' ? ', a dry run with the configured options works' : ''}`),
    );
  } catch (e) {
    out.push(failure('dr_rsync', e));
  }
  out.push(dirsFinding);
  try {
    out.push(dirsFinding.status === 'OK' ? await space(remote, dests) : skip('dr_space', 'not checked: the DR directories are not writable (dr_dirs)'));
  } catch (e) {
    out.push(failure('dr_space', e));
  }
  if (!config.check.drInstance) out.push(drInstanceFinding(undefined, prod ?? { dbid: '', name: '' }, ''));
  else if (!prod) out.push(skip('dr_instance', 'not checked: production could not be asked its DBID'));
  else out.push(drInstanceFinding(await drInstance(config, remote), prod, config.check.drInstance.oracleSid));
  return out;
}
