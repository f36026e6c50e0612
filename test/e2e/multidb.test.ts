// Two databases side by side on one host (issue 9, item 4): DBPROD and DBHML, one configuration
// each (etc/dbprod.yaml, etc/dbhml.yaml) sharing the log/ and state/ directories and the DR host
// (one sshd), both run by orquestra_dr in one tmux server (two sessions) at the same time, with
// production changing all along. Each standby must recover and verify identical; no state or log
// file may be shared; status --all and monitor --all show both.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { exec } from '../helpers/proc.ts';
import { createTmux, type Tmux } from '../helpers/tmux.ts';
import { makeWorld, waitFor, type World } from './world.ts';

let prod: World;
let hml: World;
let tmux: Tmux;

before(async () => {
  tmux = createTmux();
  // slow enough copies that the two hot backups overlap
  const common = { tablespaces: 4, datafiles: 6, blocks: 128, logSize: '128K', tmuxSocket: tmux.socketName, extraConfig: { rsync: { retries: 1, timeout_seconds: 30, bwlimit_kbps: 3000 } } };
  prod = await makeWorld({ ...common, sid: 'DBPROD', seed: 11, configName: 'etc/dbprod.yaml' });
  hml = await makeWorld({ ...common, sid: 'DBHML', seed: 12, configName: 'etc/dbhml.yaml', shareWith: prod });
});
after(async () => {
  await tmux?.kill().catch(() => undefined);
  await hml?.dispose();
  await prod?.dispose();
});

interface Result {
  exitCode: number;
  finishedAt: string;
}

test('DBPROD and DBHML run side by side: both standbys recover and verify identical, nothing shared, status --all shows both', async () => {
  const sb = prod.sb;
  const etc = path.join(sb.dir, 'etc');
  assert.equal((await prod.sim(['workload', '--rate', '200'])).code, 0);
  assert.equal((await hml.sim(['workload', '--rate', '200'])).code, 0);

  // Both orchestrations at once. DBHML's is started from a shell still set for DBPROD
  // (ORACLE_SID, ORACLE_HOME, PATH): its windows must run for DBHML all the same.
  const t0 = Date.now();
  const [a, b] = await Promise.all([
    prod.tool('orquestra_dr', ['--cutoff-wait', '60']),
    exec(hml.toolArgv('orquestra_dr', ['--cutoff-wait', '60']), { env: prod.env, cwd: sb.dir, timeoutMs: 120_000 }),
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.match(a.stdout, /session DR_DBPROD: archivelog created, hot_backup created, monitor created\./);
  assert.match(b.stdout, /session DR_DBHML: archivelog created, hot_backup created, monitor created\./);
  assert.deepEqual(await tmux.windows('DR_DBPROD'), ['archivelog', 'hot_backup', 'monitor']);
  assert.deepEqual(await tmux.windows('DR_DBHML'), ['archivelog', 'hot_backup', 'monitor']);

  const shipper = JSON.parse(hml.readState('copy_archivelog.DBHML.lock')!) as { pid: number };
  const environ = fs.readFileSync(`/proc/${shipper.pid}/environ`, 'utf8').split('\0');
  assert.deepEqual(environ.filter((e) => /^ORACLE_(SID|HOME)=/.test(e)).sort(), [`ORACLE_HOME=${hml.home}`, 'ORACLE_SID=DBHML']);

  const finished = (w: World, sid: string) =>
    waitFor(`hot_backup of ${sid} to finish`, () => {
      const r = w.readState(`hot_backup_ts.${sid}.result.json`);
      const parsed = r ? (JSON.parse(r) as Result) : undefined;
      return parsed && Date.parse(parsed.finishedAt) >= t0 ? parsed : undefined;
    }, 240_000);
  const [rp, rh] = await Promise.all([finished(prod, 'DBPROD'), finished(hml, 'DBHML')]);
  assert.deepEqual([rp.exitCode, rh.exitCode], [0, 0], (await tmux.capture('=DR_DBPROD:hot_backup')) + (await tmux.capture('=DR_DBHML:hot_backup')));
  const started = (sid: string) => Date.parse((JSON.parse(prod.readState(`hot_backup_ts.${sid}.progress.json`)!) as { startedAt: string }).startedAt);
  assert.ok(Math.max(started('DBPROD'), started('DBHML')) < Math.min(Date.parse(rp.finishedAt), Date.parse(rh.finishedAt)), 'the two hot backups ran at the same time');
  assert.deepEqual(await prod.activeBackups(), []);
  assert.deepEqual(await hml.activeBackups(), []);

  // Production goes on a moment, then stops; each DBA archives the current log.
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal((await prod.sim(['workload', '--stop'])).code, 0);
  assert.equal((await hml.sim(['workload', '--stop'])).code, 0);
  const lastP = await prod.archiveCurrent();
  const lastH = await hml.archiveCurrent();
  await waitFor('both shipped', () => (Number(prod.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= lastP && Number(prod.readState('last_arch_seq_thread1.DBHML') ?? 0) >= lastH) || undefined, 60_000);

  for (const w of [prod, hml]) {
    const { recover, verify } = await w.recoverAndVerify();
    assert.equal(recover.code, 0, `${w.sid}: ${recover.stdout}${recover.stderr}`);
    assert.match(recover.stdout, /standby is consistent/);
    assert.equal(verify.code, 0, `${w.sid}: ${verify.stdout}${verify.stderr}`);
    const [files] = await w.query(`SELECT TO_CHAR(COUNT(*)) FROM v$datafile`);
    assert.match(verify.stdout, new RegExp(`^verify: ${files} files, \\d+ blocks identical at SCN \\d+$`, 'm'));
  }

  // Nothing shared: every state and log file names its database (ssh/ holds the control sockets).
  const unkeyed = (dir: string) => fs.readdirSync(path.join(sb.dir, dir)).filter((n) => !/(^|[._])(DBPROD|DBHML)([._]|$)/.test(n));
  assert.deepEqual(unkeyed('state'), ['ssh']);
  assert.deepEqual(unkeyed('log'), []);
  for (const sid of ['DBPROD', 'DBHML']) {
    for (const f of [`copy_archivelog.${sid}.lock`, `scn_cutoff.${sid}`, `consistent_point.${sid}`, `hot_backup_ts.${sid}.result.json`]) assert.ok(prod.readState(f), `state/${f}`);
    assert.match(prod.readLog(`hot_backup_ts.${sid}.out`), /hot backup complete in/);
  }

  // status --all and monitor --all: one line / one block per database.
  const status = (args: string[]) => exec(prod.toolArgv('status', []).slice(0, -2).concat(['--all', '--config', etc, ...args]), { env: prod.env, cwd: sb.dir, timeoutMs: 60_000 });
  const expected = `DBHML   OK        shipped thread 1 through ${lastH}, lag 0 s, 0 sequence(s); backup cycle complete\nDBPROD  OK        shipped thread 1 through ${lastP}, lag 0 s, 0 sequence(s); backup cycle complete\n`;
  let last = '';
  await waitFor('status --all to show both shipped through their last sequence', async () => {
    const r = await status([]);
    last = r.stdout + r.stderr;
    return (r.code === 0 && r.stdout === expected) || undefined;
  }, 30_000).catch(() => undefined);
  assert.equal(last, expected);
  const check = await status(['--check']);
  assert.equal(check.code, 0, check.stdout);
  assert.match(check.stdout, /^DR OK - DBHML: OK; DBPROD: OK \| DBHML_transport_lag_seconds=0s;900;3600;0 .* DBPROD_transport_lag_seconds=0s;900;3600;0 /);
  const json = await status(['--json']);
  const doc = JSON.parse(json.stdout) as { status: string; databases: { sid: string; session: string; config: string; backup: { cycle: string } }[] };
  assert.deepEqual([doc.status, doc.databases.map((d) => [d.sid, d.session, d.config, d.backup.cycle])], [
    'OK',
    [['DBHML', 'DR_DBHML', path.join(etc, 'dbhml.yaml'), 'complete'], ['DBPROD', 'DR_DBPROD', path.join(etc, 'dbprod.yaml'), 'complete']],
  ]);
  const prom = await status(['--prometheus']);
  assert.match(prom.stdout, new RegExp(`^dr_transport_shipped_sequence\\{sid="DBHML",thread="1"\\} ${lastH}\\ndr_transport_shipped_sequence\\{sid="DBPROD",thread="1"\\} ${lastP}$`, 'm'));
  assert.match(prom.stdout, /^dr_tool_up\{sid="DBHML",tool="copy_archivelog"\} 1$/m);
  assert.match(prom.stdout, /^dr_tool_up\{sid="DBPROD",tool="copy_archivelog"\} 1$/m);

  const monitor = await exec(prod.toolArgv('monitor', []).slice(0, -2).concat(['--all', '--once', '--config', path.join(etc, 'dbprod.yaml')]), { env: prod.env, cwd: sb.dir, timeoutMs: 60_000 });
  assert.equal(monitor.code, 0, monitor.stderr);
  const screen = monitor.stdout.split('\n');
  assert.match(screen[0], /^DR {2}2 database\(s\) {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}STATUS OK$/);
  assert.match(screen[1], /^DBHML {2}OK {2}session DR_DBHML {2}cutoff SCN \d+$/);
  assert.ok(screen.includes(`    thread 1: production at sequence ${lastH + 1}, shipped through ${lastH} (0 behind, 0 s)`), monitor.stdout);
  assert.ok(screen.some((l) => /^DBPROD {2}OK {2}session DR_DBPROD {2}cutoff SCN \d+$/.test(l)), monitor.stdout);
  assert.ok(screen.includes(`    thread 1: production at sequence ${lastP + 1}, shipped through ${lastP} (0 behind, 0 s)`), monitor.stdout);
});
