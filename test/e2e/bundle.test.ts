// The offline bundle as a production server without a registry gets it: `npm run bundle`, the
// checksum checked, the archive unpacked outside this checkout (so no node_modules is reachable
// from it), and the product run only from there, with cron's environment (env -i, PATH
// /usr/bin:/bin behind an npx that fails): a pass from the crontab example, orquestra_dr with its
// tmux windows, a hot backup and log shipping over the harness sshd under a workload; then the
// simulator recovers the DR copy and verifies every block.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import YAML from 'yaml';
import { exec, freePort, type ExecResult } from '../helpers/proc.ts';
import { createTmux, type Tmux } from '../helpers/tmux.ts';
import { makeWorld, ROOT, waitFor, type World } from './world.ts';

const TOOLS = fs.readdirSync(path.join(ROOT, 'bin')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();

let w: World;
let tmux: Tmux;
let base: string; // /tmp/…/dr-suite: the layout of docs/DEPLOYMENT.md
let install: string; // base/current -> base/dr-suite-<version>
let version: string;
let fakeBin: string;
let npxMarker: string;

/** cron's environment and nothing else; node where cron finds it (DR_NODE otherwise). */
function cronEnv(): Record<string, string> {
  const env: Record<string, string> = { HOME: w.sb.home, LOGNAME: 'oracle', SHELL: '/bin/sh', PATH: `${fakeBin}:/usr/bin:/bin` };
  if (!['/usr/bin/node', '/bin/node'].some((p) => fs.existsSync(p))) env.DR_NODE = process.execPath;
  return env;
}

const run = (tool: string, args: string[], timeoutMs = 180_000): Promise<ExecResult> =>
  exec([path.join(install, 'bin', tool), '--config', w.configFile, ...args], { env: cronEnv(), cwd: '/', timeoutMs });

before(async () => {
  tmux = createTmux();
  w = await makeWorld({ tablespaces: 4, datafiles: 8, blocks: 64, seed: 11, tmuxSocket: tmux.socketName, logSize: '128K' });
  fakeBin = w.sb.mkdir('fakebin');
  npxMarker = path.join(w.sb.dir, 'npx-was-run');
  for (const name of ['npx', 'npm']) {
    fs.writeFileSync(path.join(fakeBin, name), `#!/bin/sh\necho "${name} $*" >> '${npxMarker}'\nexit 1\n`, { mode: 0o755 });
  }
});
after(async () => {
  await tmux?.kill().catch(() => undefined);
  await w?.dispose();
});

test('npm run bundle writes dr-suite-<version>.tar.gz and a sha256 file that sha256sum -c accepts', async () => {
  version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const out = w.sb.mkdir('out');
  const b = await exec(['npm', 'run', '-s', 'bundle', '--', '--out-dir', out], { cwd: ROOT, env: process.env, timeoutMs: 120_000 });
  assert.equal(b.code, 0, b.stderr);
  const archive = `dr-suite-${version}.tar.gz`;
  assert.match(b.stdout, new RegExp(`^${out}/${archive.replaceAll('.', '\\.')}: [\\d.]+ MiB, \\d+ files, tools ${TOOLS.join(', ')}\n`));
  assert.deepEqual(fs.readdirSync(out).sort(), [archive, `${archive}.sha256`]);
  const sum = await exec(['sha256sum', '-c', `${archive}.sha256`], { cwd: out });
  assert.equal(sum.stdout, `${archive}: OK\n`, sum.stderr);

  // Unpacked as docs/DEPLOYMENT.md says, outside this checkout.
  base = w.sb.mkdir('dr-suite');
  assert.equal((await exec(['tar', '-xzf', path.join(out, archive), '-C', base])).code, 0);
  fs.symlinkSync(`dr-suite-${version}`, path.join(base, 'current'));
  install = path.join(base, 'current');
});

test('the unpacked bundle: plain JavaScript, launchers, docs and service files; no node_modules in it or above it', async () => {
  const real = fs.realpathSync(install);
  const all = (await exec(['find', '.', '-mindepth', '1'], { cwd: real })).stdout.split('\n').filter(Boolean).map((p) => p.slice(2));
  assert.deepEqual(all.filter((p) => /(^|\/)node_modules(\/|$)|\.ts$/.test(p)), []);
  assert.ok(TOOLS.length >= 4, TOOLS.join(' '));
  for (const t of TOOLS) {
    assert.ok(fs.statSync(path.join(real, 'bin', t)).mode & 0o100, `bin/${t} is executable`);
    assert.ok(all.includes(`lib/${t}.mjs`));
  }
  for (const f of ['VERSION', 'README.md', 'THIRD-PARTY-NOTICES.txt', 'docs/DEPLOYMENT.md', 'etc/dr.example.yaml', 'etc/cron/dr-suite.crontab', 'etc/logrotate/dr-suite', 'etc/systemd/dr-copy-archivelog@.service', 'lib/launcher.sh', 'vendor/oracledb/index.js']) {
    assert.ok(all.includes(f), `${f} is in the bundle`);
  }
  // Templates of tools not written yet stay out until their tool exists.
  for (const [unit, tool] of [['dr-apply-standby@.service', 'apply_standby'], ['dr-check@.service', 'check'], ['dr-check@.timer', 'check']]) {
    assert.equal(all.includes(`etc/systemd/${unit}`), fs.existsSync(path.join(ROOT, 'bin', `${tool}.ts`)), unit);
  }
  assert.match(fs.readFileSync(path.join(real, 'VERSION'), 'utf8'), new RegExp(`^dr-suite ${version.replaceAll('.', '\\.')}\\n`));
  for (let dir = real; dir !== '/'; dir = path.dirname(dir)) {
    assert.equal(fs.existsSync(path.join(dir, 'node_modules')), false, `${dir}/node_modules would let node resolve packages outside the bundle`);
  }
  assert.ok(!real.startsWith(ROOT + '/'), 'unpacked outside the checkout');
});

test('from the bundle, under cron: the crontab lines run (shipper, alerts), orquestra_dr runs the bundled tools in tmux, and the standby recovers and verifies identical', async () => {
  // 1. The active lines of etc/cron/dr-suite.crontab (the shipper's first), with this
  //    sandbox's paths, run as cron does.
  const crontab = fs.readFileSync(path.join(install, 'etc/cron/dr-suite.crontab'), 'utf8');
  const lines = crontab.split('\n').filter((l) => /^\* \* \* \* \* /.test(l));
  assert.match(lines[0] ?? '', /\/bin\/copy_archivelog --once /, 'the crontab example starts with the shipper');
  assert.match(lines[1] ?? '', /\/bin\/status .*--alert/, 'then the alert evaluation');
  fs.mkdirSync(path.join(w.sb.dir, 'log'), { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.join(w.sb.dir, 'state'), { recursive: true, mode: 0o700 });
  const vars = Object.fromEntries(crontab.split('\n').flatMap((l) => (/^([A-Z_]+)=(.*)$/.exec(l) ? [[RegExp.$1, RegExp.$2.replace(/^"(.*)"$/, '$1')]] : [])));
  assert.equal(vars.PATH, '/usr/bin:/bin');
  for (const line of lines) {
    const command = line
      .replace(/^(\S+ ){5}/, '')
      .replaceAll('/home/oracle/dr-suite/current', install)
      .replaceAll('/home/oracle/dr-suite/etc/dbprod.yaml', w.configFile)
      .replaceAll('/home/oracle/dr-suite/', `${w.sb.dir}/`);
    assert.doesNotMatch(command, /\/home\/oracle/);
    const pass = await exec(['/bin/sh', '-c', command], { env: { ...cronEnv(), SHELL: vars.SHELL, PATH: `${fakeBin}:${vars.PATH}` }, cwd: w.sb.home, timeoutMs: 120_000 });
    const cronErr = path.join(w.sb.dir, 'log/cron.err');
    assert.equal(pass.code, 0, `${command}\n${pass.stderr}\n${fs.existsSync(cronErr) ? fs.readFileSync(cronErr, 'utf8') : ''}`);
  }
  assert.match(w.readLog('copy_archivelog.DBPROD.log'), /cutoff SCN \d+ recorded/);

  // 2. orquestra_dr from the bundle, production busy meanwhile.
  assert.equal((await w.sim(['workload', '--rate', '300'])).code, 0);
  const t0 = Date.now();
  const orq = await run('orquestra_dr', ['--cutoff-wait', '60']);
  assert.equal(orq.code, 0, orq.stderr);
  assert.match(orq.stdout, /session DR_DBPROD: archivelog created, hot_backup created, monitor created\./);
  const result = await waitFor('hot_backup to finish', () => {
    const r = w.readState('hot_backup_ts.DBPROD.result.json');
    const parsed = r ? (JSON.parse(r) as { exitCode: number; finishedAt: string; message?: string }) : undefined;
    return parsed && Date.parse(parsed.finishedAt) >= t0 - 1000 ? parsed : undefined;
  }, 180_000);
  assert.equal(result.exitCode, 0, `${result.message}\n${await tmux.capture('=DR_DBPROD:hot_backup')}`);
  assert.deepEqual(await w.activeBackups(), [], 'no file left in backup mode');
  assert.match(w.readLog('hot_backup_ts.DBPROD.out'), /hot backup complete in [\d.]+ s: \d+ tablespace\(s\) copied now, .*standby consistent from SCN \d+/);

  // The windows run the bundle's JavaScript with plain node: no tsx, nothing from this checkout.
  const holder = JSON.parse(w.readState('copy_archivelog.DBPROD.lock') ?? '{}') as { argv?: string[] };
  assert.ok(holder.argv, 'the shipper window holds its lock');
  assert.equal(holder.argv.find((a) => a.endsWith('.mjs') || a.endsWith('.ts')), path.join(fs.realpathSync(install), 'lib/copy_archivelog.mjs'), holder.argv.join(' '));
  assert.ok(!holder.argv.some((a) => a.includes('tsx') || a.startsWith(ROOT)), holder.argv.join(' '));
  const monitor = await run('monitor', ['--once'], 60_000);
  assert.equal(monitor.code, 0, monitor.stderr);
  assert.match(monitor.stdout, /HOT BACKUP  finished/);
  const status = await run('status', ['--json'], 60_000);
  assert.equal(status.code, 0, status.stderr);
  assert.doesNotThrow(() => JSON.parse(status.stdout), status.stdout);

  // 3. Production stops; the last log reaches DR through the shipper window.
  assert.equal((await w.sim(['workload', '--stop'])).code, 0);
  const last = await w.archiveCurrent();
  await waitFor(`sequence ${last} shipped`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= last || undefined, 60_000);
  await tmux.kill();

  const { recover, verify } = await w.recoverAndVerify();
  assert.equal(recover.code, 0, recover.stdout + recover.stderr);
  assert.match(recover.stdout, /standby is consistent/);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /^verify: \d+ files, \d+ blocks identical at SCN \d+$/m);
  assert.equal(fs.existsSync(npxMarker), false, 'npx or npm was executed');
  assert.equal(fs.existsSync(path.join(w.sb.home, '.npm')), false, 'nothing was downloaded into ~/.npm');
});

test('node-oracledb runs from the bundle (vendor/oracledb): Thin mode reports a refused connection, Thick mode loads its binary and asks for the client libraries', async () => {
  const port = await freePort();
  const cfg = YAML.parse(fs.readFileSync(w.configFile, 'utf8')) as Record<string, Record<string, unknown>>;
  delete cfg.oracle.home; // Thin mode: no Oracle client libraries
  cfg.oracle.connect = { method: 'oracledb', user: 'c##drbackup', connect_string: `127.0.0.1:${port}/DBPROD`, password_env: 'DR_TEST_PASSWORD' };
  const thin = path.join(w.sb.dir, 'thin.yaml');
  fs.writeFileSync(thin, YAML.stringify(cfg), { mode: 0o600 });
  const r = await exec([path.join(install, 'bin/copy_archivelog'), '--once', '--config', thin], { env: { ...cronEnv(), DR_TEST_PASSWORD: 'not-a-secret' }, cwd: '/', timeoutMs: 60_000 });
  assert.equal(r.code, 5, r.stderr);
  assert.match(r.stderr, new RegExp(`^copy_archivelog: unable to connect to 127\\.0\\.0\\.1:${port}/DBPROD as c##drbackup\\n  NJS-503: `, 'm'));
  assert.doesNotMatch(r.stderr + r.stdout, /not-a-secret/);

  // Thick mode (oracle.home set): the bundled binary loads and looks for the client libraries.
  const home = w.sb.mkdir('no-client-libs');
  cfg.oracle.home = home;
  fs.writeFileSync(thin, YAML.stringify(cfg), { mode: 0o600 });
  const thick = await exec([path.join(install, 'bin/copy_archivelog'), '--once', '--config', thin], { env: { ...cronEnv(), DR_TEST_PASSWORD: 'not-a-secret' }, cwd: '/', timeoutMs: 60_000 });
  assert.notEqual(thick.code, 0);
  assert.match(thick.stderr, new RegExp(`DPI-1047: Cannot locate a 64-bit Oracle Client library: "${home}/lib/libclntsh\\.so: cannot open shared object file`));
});

test('the bundled systemd unit verifies against the unpacked installation (systemd-analyze verify)', async (t) => {
  const probe = await exec(['systemd-analyze', '--version']).catch(() => undefined);
  if (!probe || probe.code !== 0) {
    t.skip('systemd-analyze is not installed; test/unit/service-files.test.ts checks the keys');
    return;
  }
  const dir = w.sb.mkdir('units');
  for (const f of fs.readdirSync(path.join(install, 'etc/systemd'))) {
    const text = fs.readFileSync(path.join(install, 'etc/systemd', f), 'utf8').replaceAll('/home/oracle/dr-suite/current/', `${install}/`);
    fs.writeFileSync(path.join(dir, f.replace('@.', '@dbprod.')), text);
  }
  const units = fs.readdirSync(dir).map((f) => path.join(dir, f));
  assert.ok(units.length >= 1);
  const r = await exec(['systemd-analyze', 'verify', '--man=no', ...units]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.trim(), '', 'systemd-analyze warned');
});
