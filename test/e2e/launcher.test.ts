// The tools as cron and systemd start them: from `/`, with a minimal environment, from any
// directory and through a symlink. They must run with this checkout's own pinned modules:
// npx (which resolves tsx from the current directory, and downloads the latest one where a
// registry is reachable) must never be executed, and no network is needed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import YAML from 'yaml';
import { exec, type ExecResult } from '../helpers/proc.ts';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.ts';
import { ROOT } from './world.ts';

const TOOLS = fs
  .readdirSync(path.join(ROOT, 'bin'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

let sb: Sandbox;
let fakeBin: string; // first on PATH: npx and npm that record being run and fail
let npxMarker: string;
let configFile: string;

/** cron's environment (HOME LOGNAME PATH SHELL), PATH=/usr/bin:/bin behind the fake npx. */
function cronEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { HOME: sb.home, LOGNAME: 'oracle', SHELL: '/bin/sh', PATH: `${fakeBin}:/usr/bin:/bin` };
  // Where node is not in /usr/bin or /bin (a tarball in /usr/local), cron needs DR_NODE.
  if (!['/usr/bin/node', '/bin/node'].some((p) => fs.existsSync(p))) env.DR_NODE = process.execPath;
  return { ...env, ...extra };
}

function assertNoNpx(r: ExecResult): void {
  assert.equal(fs.existsSync(npxMarker), false, `npx or npm was executed: ${fs.existsSync(npxMarker) ? fs.readFileSync(npxMarker, 'utf8') : ''}\n${r.stderr}`);
  assert.equal(fs.existsSync(path.join(sb.home, '.npm')), false, 'nothing may be downloaded into ~/.npm');
}

before(() => {
  sb = makeSandbox('launch');
  fakeBin = sb.mkdir('fakebin');
  npxMarker = path.join(sb.dir, 'npx-was-run');
  for (const name of ['npx', 'npm']) {
    fs.writeFileSync(path.join(fakeBin, name), `#!/bin/sh\necho "${name} $*" >> '${npxMarker}'\necho '${name}: must not be used by the tools' >&2\nexit 1\n`, { mode: 0o755 });
  }
  configFile = path.join(sb.dir, 'dr.yaml');
  const config = YAML.parse(fs.readFileSync(path.join(ROOT, 'etc/dr.example.yaml'), 'utf8')) as Record<string, unknown>;
  config.dirs = { log: path.join(sb.dir, 'log'), state: path.join(sb.dir, 'state') };
  fs.writeFileSync(configFile, YAML.stringify(config), { mode: 0o600 });
});
after(() => sb.cleanup());

test('every tool in bin/ has an executable launcher bin/<tool>, all alike, and nothing in bin/ uses npx', () => {
  assert.ok(TOOLS.length >= 4, `tools found: ${TOOLS.join(', ')}`);
  const first = fs.readFileSync(path.join(ROOT, 'bin', TOOLS[0]), 'utf8');
  for (const t of TOOLS) {
    const launcher = path.join(ROOT, 'bin', t);
    assert.ok(fs.existsSync(launcher), `bin/${t} (the launcher of bin/${t}.ts) is missing: cp bin/monitor bin/${t}`);
    assert.ok(fs.statSync(launcher).mode & 0o100, `bin/${t} is not executable`);
    assert.equal(fs.readFileSync(launcher, 'utf8'), first, `bin/${t} differs from bin/${TOOLS[0]}`);
  }
  for (const f of fs.readdirSync(path.join(ROOT, 'bin'))) {
    assert.doesNotMatch(fs.readFileSync(path.join(ROOT, 'bin', f), 'utf8').split('\n').slice(0, 3).join('\n'), /^#!.*\bnpx\b|\bnpx\s+[\w-]/m, `bin/${f} starts with npx`);
  }
});

for (const tool of TOOLS) {
  test(`bin/${tool} --help runs from / under cron's environment, without npx`, async () => {
    const r = await exec([path.join(ROOT, 'bin', tool), '--help'], { env: cronEnv(), cwd: '/', timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^usage: ${tool} \\[--config FILE\\]`));
    assertNoNpx(r);
  });
}

test('monitor --once from / under cron, by its launcher and by its .ts path (old crontabs), without npx', async () => {
  for (const argv of [[path.join(ROOT, 'bin/monitor')], [path.join(ROOT, 'bin/monitor.ts')]]) {
    const r = await exec([...argv, '--once', '--config', configFile], { env: cronEnv(), cwd: '/', timeoutMs: 60_000 });
    assert.equal(r.code, 0, `${argv[0]}: ${r.stderr}`);
    assert.match(r.stdout, /^DR_DBPROD  dbprod  .*\n[^]*^HOT BACKUP  not running$/m);
    assertNoNpx(r);
  }
});

test('hot_backup_ts.ts --help by its .ts path, with nothing but PATH in the environment (env -i PATH=/usr/bin:/bin)', async () => {
  const env: Record<string, string> = { PATH: `${fakeBin}:/usr/bin:/bin` };
  if (cronEnv().DR_NODE) env.DR_NODE = cronEnv().DR_NODE;
  const r = await exec([path.join(ROOT, 'bin/hot_backup_ts.ts'), '--help'], { env, cwd: '/', timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^usage: hot_backup_ts \[--config FILE\]/);
  assertNoNpx(r);
});

test('a launcher reached through a symlink in another directory (e.g. /usr/local/bin/dr-monitor) finds its installation', async () => {
  const links = sb.mkdir('links');
  fs.symlinkSync(path.join(ROOT, 'bin/monitor'), path.join(links, 'dr-monitor'));
  const r = await exec(['dr-monitor', '--once', '--config', configFile], { env: cronEnv({ PATH: `${links}:${cronEnv().PATH}` }), cwd: sb.home, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^DR_DBPROD  dbprod/);
  assertNoNpx(r);
});

test('without any network (a fresh network namespace, no interface up) the tools still start', async (t) => {
  const probe = await exec(['unshare', '--net', 'true']).catch(() => undefined);
  if (!probe || probe.code !== 0) {
    t.skip(`unshare --net is not permitted here: ${probe?.stderr.trim() ?? 'unshare not found'}`);
    return;
  }
  const r = await exec(['unshare', '--net', path.join(ROOT, 'bin/monitor'), '--once', '--config', configFile], { env: cronEnv(), cwd: '/', timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^DR_DBPROD  dbprod/);
  assertNoNpx(r);
});

test('a Node.js that is missing or too old is refused with a message that says what to do', async () => {
  const old = path.join(sb.dir, 'node18');
  fs.writeFileSync(old, '#!/bin/sh\n[ "$1" = --version ] && { echo v18.20.4; exit 0; }\necho "node 18 must not run the tool" >&2; exit 99\n', { mode: 0o755 });
  const tooOld = await exec([path.join(ROOT, 'bin/monitor'), '--once'], { env: cronEnv({ DR_NODE: old }), cwd: '/' });
  assert.equal(tooOld.code, 8);
  assert.equal(
    tooOld.stderr,
    'monitor: Node.js v18.20.4 is too old: this git checkout needs 20.6 or later\n' +
      'HINT: install Node.js 20 (docs/DEPLOYMENT.md, "Node.js"), or set DR_NODE to a newer node program\n',
  );
  const missing = await exec([path.join(ROOT, 'bin/monitor'), '--once'], { env: cronEnv({ DR_NODE: '/nonexistent/node' }), cwd: '/' });
  assert.equal(missing.code, 8);
  assert.equal(
    missing.stderr,
    'monitor: cannot run Node.js: /nonexistent/node (from DR_NODE) is not an executable program\n' +
      'HINT: install Node.js 20 (docs/DEPLOYMENT.md, "Node.js"), or set DR_NODE to the node program\n',
  );
  // A PATH with the usual commands but no node (node installed in /usr/local or /opt).
  const noNode = sb.mkdir('no-node-bin');
  for (const cmd of ['readlink', 'dirname']) fs.symlinkSync(fs.realpathSync(`/usr/bin/${cmd}`), path.join(noNode, cmd));
  const noPath = await exec([path.join(ROOT, 'bin/monitor'), '--once'], { env: { PATH: `${fakeBin}:${noNode}` }, cwd: '/' });
  assert.equal(noPath.code, 8, noPath.stderr);
  assert.equal(
    noPath.stderr,
    `monitor: cannot run Node.js: no node program in PATH (${fakeBin}:${noNode})\n` +
      'HINT: install Node.js 20 (docs/DEPLOYMENT.md, "Node.js"), or set DR_NODE to the node program (cron and systemd start with a short PATH)\n',
  );
  assertNoNpx(noPath);
});

test('a checkout without node_modules says to run npm ci (or to use the offline bundle), and never falls back to npx', async () => {
  const copy = sb.mkdir('checkout');
  fs.mkdirSync(path.join(copy, 'bin'));
  fs.mkdirSync(path.join(copy, 'lib'));
  for (const f of ['bin/monitor', 'bin/monitor.ts', 'lib/launcher.sh']) fs.copyFileSync(path.join(ROOT, f), path.join(copy, f));
  fs.chmodSync(path.join(copy, 'bin/monitor'), 0o755);
  const r = await exec([path.join(copy, 'bin/monitor'), '--once'], { env: cronEnv(), cwd: '/' });
  assert.equal(r.code, 8);
  assert.equal(
    r.stderr,
    `monitor: ${copy}/node_modules/tsx is missing: this git checkout has not been installed\n` +
      `HINT: run npm ci in ${copy} once (it needs the npm registry), or install the offline bundle (docs/DEPLOYMENT.md, "Install from the bundle")\n`,
  );
  assertNoNpx(r);
});

test('an installation whose path has spaces and quotes starts too', async () => {
  const dir = sb.mkdir(`it's a "DR" suite`);
  for (const d of ['bin', 'lib']) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const r = await exec([path.join(dir, 'bin/monitor'), '--once', '--config', configFile], { env: cronEnv(), cwd: '/', timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^DR_DBPROD  dbprod/);
  assertNoNpx(r);
});
