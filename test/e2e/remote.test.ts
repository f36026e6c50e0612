// The DR connection over a real sshd: where its control sockets live (never a directory in
// /tmp another user could make first), per-worker connections, directories made on DR.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Destination } from '../../lib/config/index.ts';
import { Remote } from '../../lib/remote.ts';
import { CONTROL_DIR_MAX, makeControlDir } from '../../lib/sshControl.ts';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.ts';
import { startSshd, type Sshd } from '../helpers/sshd.ts';

let sshd: Sshd;
let sb: Sandbox;
before(async () => {
  sshd = await startSshd({ prefix: 'rsshd' });
  sb = makeSandbox('rem');
});
after(async () => {
  await sshd?.dispose();
  sb?.cleanup();
});

const dest = (): Extract<Destination, { type: 'ssh' }> => ({
  type: 'ssh',
  host: sshd.host,
  user: sshd.user,
  port: sshd.port,
  identityFile: sshd.identityFile,
  knownHostsFile: sshd.knownHostsFile,
  sshConfigFile: '/dev/null',
  controlMaster: true,
  dataConnections: 'per_worker',
  extraSshOptions: [],
});
const sockets = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => fs.lstatSync(path.join(dir, n)).isSocket()).sort() : []);

test('control sockets live in <state>/ssh (0700), one per worker stream plus the shared one, all closed at the end', async () => {
  const state = sb.mkdir('state');
  const r = new Remote(dest(), state, 'DBPROD.hot_backup_ts');
  const opts = r.sshOptions(2);
  const cp = opts.find((o) => o.startsWith('ControlPath='))!;
  assert.match(cp, new RegExp(`^ControlPath=${path.join(state, 'ssh')}/[0-9a-f]{12}-w2$`));
  await r.connect(2);
  const dir = path.join(state, 'ssh');
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  assert.equal(sockets(dir).length, 3, 'the shared connection and two worker streams');
  await r.ensureDirs([path.join(sb.dir, 'dr site', 'u 11'), path.join(sb.dir, 'dr site', 'arch')]);
  assert.ok(fs.statSync(path.join(sb.dir, 'dr site', 'u 11')).isDirectory());
  await r.close();
  assert.deepEqual(sockets(dir), []);
});

test('a state directory too long for a unix socket path: a fresh private directory in /tmp, removed by close()', async () => {
  const long = sb.mkdir(`state-${'x'.repeat(CONTROL_DIR_MAX)}`);
  const r = new Remote(dest(), long, 'DBPROD.hot_backup_ts');
  await r.connect(1);
  const cp = r.sshOptions().find((o) => o.startsWith('ControlPath='))!.slice('ControlPath='.length);
  const dir = path.dirname(cp);
  assert.match(dir, /^\/tmp\/drssh-/);
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  assert.equal(sockets(dir).length, 2);
  await r.close();
  assert.equal(fs.existsSync(dir), false);
  assert.equal(fs.existsSync(path.join(long, 'ssh')), false);
});

test('a control directory that is not a private directory of this user is refused, with what to do', () => {
  const state = sb.mkdir('state2');
  fs.mkdirSync(path.join(state, 'ssh'), { mode: 0o777 });
  fs.chmodSync(path.join(state, 'ssh'), 0o777);
  assert.throws(() => makeControlDir(state), {
    message: `the ssh control directory ${path.join(state, 'ssh')} has mode 0777, not 0700: another user could take over the connection to DR`,
  });
  fs.chownSync(path.join(state, 'ssh'), 65534, 65534);
  fs.chmodSync(path.join(state, 'ssh'), 0o700);
  assert.throws(() => makeControlDir(state), { message: new RegExp(`ssh control directory ${path.join(state, 'ssh')} belongs to uid 65534, not to this user \\(uid \\d+\\)`) });
  fs.rmSync(path.join(state, 'ssh'), { recursive: true });
  fs.symlinkSync('/tmp', path.join(state, 'ssh'));
  assert.throws(() => makeControlDir(state), { message: /ssh control directory .* is a symbolic link: another user could take over the connection to DR/ });
});

test('datafile streams: auto is one connection per worker, at most one per CPU core; shared and no ControlMaster use none', async () => {
  const { dataStreams } = await import('../../lib/remote.ts');
  const d = (dataConnections: 'auto' | 'per_worker' | 'shared', controlMaster = true): Destination => ({ ...dest(), dataConnections, controlMaster });
  assert.deepEqual([dataStreams(d('auto'), 4, 2), dataStreams(d('auto'), 2, 8), dataStreams(d('auto'), 1, 1)], [2, 2, 1]);
  assert.equal(dataStreams(d('per_worker'), 4, 2), 4);
  assert.equal(dataStreams(d('shared'), 4, 8), 0);
  assert.equal(dataStreams(d('auto', false), 4, 8), 0);
  assert.equal(dataStreams({ type: 'local' }, 4, 8), 0);
});

test('two databases (or two tools) sharing a state directory and a DR host never share an ssh master: closing one leaves the other transferring', async () => {
  const state = sb.mkdir('state-shared');
  const prod = new Remote(dest(), state, 'DBPROD.hot_backup_ts');
  const hml = new Remote(dest(), state, 'DBHML.copy_archivelog');
  const ship = new Remote(dest(), state, 'DBPROD.copy_archivelog');
  const cp = (r: Remote) => r.sshOptions().find((o) => o.startsWith('ControlPath='));
  assert.equal(new Set([cp(prod), cp(hml), cp(ship)]).size, 3, 'one control socket per database and tool');
  await Promise.all([prod.connect(), hml.connect(), ship.connect()]);
  assert.equal(sockets(path.join(state, 'ssh')).length, 3);
  // A transfer of DBHML in flight (a remote command that lasts 2 s) while DBPROD's tool ends.
  const { run } = await import('../../lib/exec.ts');
  const inFlight = run(['ssh', ...hml.sshOptions(), hml.target, '--', 'sleep 2; echo transferred'], { timeoutMs: 30_000 });
  await new Promise((r) => setTimeout(r, 500));
  await prod.close();
  const r = await inFlight;
  assert.deepEqual([r.exitCode, r.stdout.trim()], [0, 'transferred'], r.stderr);
  await Promise.all([hml.close(), ship.close()]);
  assert.deepEqual(sockets(path.join(state, 'ssh')), []);
});
