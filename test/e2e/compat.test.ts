// The suite on the toolchains Oracle Linux ships: stand-ins for rsync 3.1.3 and tmux 2.7
// (OL/RHEL 8) first on the production PATH, and for rsync 3.1.2 (OL/RHEL 7) first on the
// PATH of ssh logins on the DR host. They refuse every option those versions lack, with the
// old messages (test/helpers/oldtools), so a newer flag cannot creep back. The DR tree has a
// space in its path: rsync before 3.2.4 lets the remote shell split such a path unless -s is
// given. orquestra_dr + hot backup + shipping must still build a standby that recovers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { installOldTools, type OldTools } from '../helpers/oldtools/install.ts';
import { exec } from '../helpers/proc.ts';
import { createTmux, type Tmux } from '../helpers/tmux.ts';
import { makeWorld, waitFor, type World } from './world.ts';

let w: World;
let tmux: Tmux;
let prodTools: OldTools;
let drTools: OldTools;
let toolsDir: string;

before(async () => {
  toolsDir = fs.mkdtempSync('/tmp/oldt');
  prodTools = await installOldTools(path.join(toolsDir, 'prod'), { rsync: '3.1.3', tmux: true });
  drTools = await installOldTools(path.join(toolsDir, 'dr'), { rsync: '3.1.2' });
  tmux = createTmux();
  w = await makeWorld({
    tablespaces: 4,
    datafiles: 7,
    blocks: 64,
    seed: 11,
    drName: 'dr site',
    pathFirst: [prodTools.bin],
    drEnv: { PATH: `${drTools.bin}:/usr/local/bin:/usr/bin:/bin` },
    tmuxSocket: tmux.socketName,
    logSize: '128K',
  });
});
after(async () => {
  await tmux?.kill().catch(() => undefined);
  await w?.dispose();
  fs.rmSync(toolsDir, { recursive: true, force: true });
});

test('the stand-ins are what runs on each end, and they refuse what the old versions lack', async () => {
  const local = await exec(['rsync', '--version'], { env: w.env });
  assert.match(local.stdout, /^rsync {2}version 3\.1\.3 {2}protocol version 31\n/);
  const remote = await w.sshd!.ssh('command -v rsync; rsync --version');
  assert.equal(remote.code, 0, remote.stderr);
  assert.equal(remote.stdout.split('\n')[0], path.join(drTools.bin, 'rsync'));
  assert.match(remote.stdout, /^rsync {2}version 3\.1\.2 {2}protocol version 31$/m);

  const mkpath = await exec(['rsync', '-a', '--mkpath', '/etc/hostname', path.join(w.sb.dir, 'x/y/')], { env: w.env });
  assert.equal(mkpath.code, 1);
  assert.equal(mkpath.stderr, 'rsync: --mkpath: unknown option\nrsync error: syntax or usage error (code 1) at main.c(1578) [client=3.1.3]\n');
  const e = await exec(['tmux', '-L', tmux.socketName, 'new-session', '-d', '-e', 'A=b', 'true'], { env: w.env });
  assert.equal(e.code, 1);
  assert.match(e.stderr, /^tmux: unknown option -- e\n/);
  assert.equal((await exec(['tmux', '-V'], { env: w.env })).stdout, 'tmux 2.7\n');
});

test('orquestra_dr, hot backup and shipping work with rsync 3.1.3 / 3.1.2 and tmux 2.7, into a DR path with spaces', async () => {
  const before = { rsync: prodTools.invocations('rsync').length, dr: drTools.invocations('rsync').length, tmux: prodTools.invocations('tmux').length };
  assert.equal((await w.sim(['workload', '--rate', '200'])).code, 0);
  const t0 = Date.now();
  const orch = await w.tool('orquestra_dr', ['--cutoff-wait', '60']);
  assert.equal(orch.code, 0, orch.stdout + orch.stderr);
  const result = await waitFor('hot_backup to finish', () => {
    const r = w.readState('hot_backup_ts.DBPROD.result.json');
    const parsed = r ? (JSON.parse(r) as { exitCode: number; finishedAt: string; message?: string }) : undefined;
    return parsed && Date.parse(parsed.finishedAt) >= t0 ? parsed : undefined;
  }, 180_000);
  assert.equal(result.exitCode, 0, `${result.message ?? ''}\n${await tmux.capture('=DR_DBPROD:hot_backup')}`);
  assert.deepEqual(await w.activeBackups(), []);

  assert.equal((await w.sim(['workload', '--stop'])).code, 0);
  const last = await w.archiveCurrent();
  await waitFor(`sequence ${last} shipped`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= last || undefined, 60_000);
  const { recover, verify } = await w.recoverAndVerify();
  assert.equal(recover.code, 0, recover.stdout + recover.stderr);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  const [files] = await w.query(`SELECT TO_CHAR(COUNT(*)) FROM v$datafile`);
  assert.match(verify.stdout, new RegExp(`^verify: ${files} files, \\d+ blocks identical at SCN \\d+$`, 'm'));
  assert.ok(fs.existsSync(path.join(w.dr, 'ctl', 'standby.ctl')));

  // Not vacuous: the stand-ins carried every transfer and every tmux command, and refused none.
  const local = prodTools.invocations('rsync').slice(before.rsync);
  const remote = drTools.invocations('rsync').slice(before.dr);
  const tmuxCalls = prodTools.invocations('tmux').slice(before.tmux);
  assert.deepEqual(local.filter((i) => i.refused), []);
  assert.deepEqual(remote.filter((i) => i.refused), []);
  assert.deepEqual(tmuxCalls.filter((i) => i.refused), []);
  assert.ok(local.some((i) => i.argv.includes('--files-from=-')), 'datafiles went through the 3.1.3 stand-in');
  assert.ok(local.some((i) => i.argv.some((a) => a.endsWith('standby.ctl'))), 'the standby controlfile went through the 3.1.3 stand-in');
  assert.ok(local.some((i) => i.argv.some((a) => a.includes('archivelog'))), 'archived logs went through the 3.1.3 stand-in');
  assert.ok(remote.filter((i) => i.server).length >= 3, 'the DR end of every transfer was the 3.1.2 stand-in');
  assert.ok(tmuxCalls.some((i) => i.argv.includes('new-session')) && tmuxCalls.some((i) => i.argv.includes('new-window')), 'the session and windows were made through the tmux 2.7 stand-in');
});
