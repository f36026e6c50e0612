// A container database (sim create --cdb) with two PDBs whose tablespaces share their names
// (SYSTEM, SYSAUX, UNDOTBS1, USERS, APP_nnn in each; one PDB is the quoted lower-case
// "hr_app"), changed by a workload in every container: hot_backup_ts must copy the files of
// every container (root, seed, each PDB) with per-container windows and markers, and the
// standby must recover and verify identical. Between runs a PDB is closed and another created;
// in a new cycle a PDB closed since before the cutoff is covered by the archived logs shipped.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTmux, type Tmux } from '../helpers/tmux.ts';
import { makeWorld, waitFor, type World } from './world.ts';

let w: World;
let tmux: Tmux;
before(async () => {
  tmux = createTmux();
  w = await makeWorld({ cdb: { pdbs: 2, pdbNames: 'PDB1,hr_app' }, tablespaces: 2, datafiles: 4, blocks: 48, seed: 11, logSize: '128K', tmuxSocket: tmux.socketName });
});
after(async () => {
  await tmux?.kill().catch(() => undefined);
  await w?.dispose();
});

const stateFiles = () => fs.readdirSync(path.join(w.sb.dir, 'state'));

/** Archives the current log, ships every log, then recovers and verifies the DR copy. */
async function recoverAndVerify(): Promise<void> {
  const last = await w.archiveCurrent();
  const ship = await w.tool('copy_archivelog', ['--once']);
  assert.equal(ship.code, 0, ship.stdout + ship.stderr);
  await waitFor(`sequence ${last} shipped`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= last || undefined, 30_000);
  const { recover, verify } = await w.recoverAndVerify();
  assert.equal(recover.code, 0, recover.stdout + recover.stderr);
  assert.match(recover.stdout, /standby is consistent/);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  const [files] = await w.query(`SELECT TO_CHAR(COUNT(*)) FROM v$datafile`);
  assert.match(verify.stdout, new RegExp(`^verify: ${files} files, \\d+ blocks identical at SCN \\d+$`, 'm'));
}

test('every container is copied under a workload that changes every container; the standby recovers and verifies identical', async () => {
  assert.deepEqual(await w.query(`SELECT TO_CHAR(con_id) || ' ' || name || ' ' || open_mode FROM v$containers ORDER BY con_id`), [
    '1 CDB$ROOT READ WRITE',
    '2 PDB$SEED READ ONLY',
    '3 PDB1 READ WRITE',
    '4 hr_app READ WRITE',
  ]);
  assert.equal((await w.sim(['workload', '--rate', '400'])).code, 0);
  const ship = await w.tool('copy_archivelog', ['--once']);
  assert.equal(ship.code, 0, ship.stdout + ship.stderr);

  const hb = await w.tool('hot_backup_ts');
  assert.equal(hb.code, 0, hb.stdout + hb.stderr);
  const [tsCount] = await w.query(`SELECT TO_CHAR(COUNT(*)) FROM (SELECT DISTINCT con_id, ts# FROM v$datafile)`);
  assert.match(hb.stdout, new RegExp(`hot backup complete in [\\d.]+ s: ${tsCount} tablespace\\(s\\) copied now, \\d+ skipped; standby consistent from SCN \\d+`));
  assert.deepEqual(await w.activeBackups(), [], 'no file may be left in backup mode');
  const out = w.readLog('hot_backup_ts.DBPROD.out');
  assert.match(out, /container database: CDB\$ROOT \(CON_ID 1, READ WRITE\), PDB\$SEED \(CON_ID 2, READ ONLY\), PDB1 \(CON_ID 3, READ WRITE\), hr_app \(CON_ID 4, READ WRITE\)/);

  // One marker and one log per container and tablespace: the four USERS never collide.
  const markers = stateFiles().filter((f) => /^ts_.*\.done$/.test(f));
  for (const k of ['CDB$ROOT', 'PDB1', 'hr_app']) for (const ts of ['SYSTEM', 'SYSAUX', 'UNDOTBS1', 'USERS']) assert.ok(markers.includes(`ts_DBPROD.${k}.${ts}.done`), `${k} ${ts}: ${markers.join(' ')}`);
  for (const ts of ['SYSTEM', 'SYSAUX', 'UNDOTBS1']) assert.ok(markers.includes(`ts_DBPROD.PDB$SEED.${ts}.done`), `seed ${ts}: ${markers.join(' ')}`);
  assert.equal(markers.length, Number(tsCount), markers.join(' '));
  const hrUsers = JSON.parse(w.readState('ts_DBPROD.hr_app.USERS.done')!) as { container: string; tablespace: string; files: { source: string }[] };
  assert.equal(hrUsers.container, 'hr_app');
  assert.equal(hrUsers.tablespace, 'USERS');
  const [hrFile] = await w.query(`SELECT d.name FROM v$datafile d JOIN v$tablespace t ON t.con_id = d.con_id AND t.ts# = d.ts# WHERE d.con_id = 4 AND t.name = 'USERS'`);
  assert.deepEqual(hrUsers.files.map((f) => f.source), [hrFile]);
  // Inside the PDB (quoted: the name is lower case), in a window; the seed without one.
  assert.match(w.readLog('ts_DBPROD.hr_app.USERS.log'), /ALTER SESSION SET CONTAINER = "hr_app"; ALTER TABLESPACE "USERS" BEGIN BACKUP/);
  assert.match(w.readLog('ts_DBPROD.PDB$SEED.SYSTEM.log'), /container PDB\$SEED is READ ONLY: copied without backup mode \(its files do not change\)/);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await w.sim(['workload', '--stop'])).code, 0);
  await recoverAndVerify();
});

test('a PDB closed and a PDB created between runs are reported; the new one is copied, the standby recovers', async () => {
  assert.equal((await w.sim(['workload', '--rate', '300'])).code, 0);
  const closed = await w.sqlplus('WHENEVER SQLERROR EXIT FAILURE\nALTER PLUGGABLE DATABASE "hr_app" CLOSE IMMEDIATE;\n');
  assert.equal(closed.code, 0, closed.stdout);
  const created = await w.sim(['fault', 'create-pdb', '--name', 'PDB3']);
  assert.equal(created.code, 0, created.stdout + created.stderr);

  const hb = await w.tool('hot_backup_ts');
  assert.equal(hb.code, 0, hb.stdout + hb.stderr);
  const out = w.readLog('hot_backup_ts.DBPROD.out');
  assert.match(out, /\[WARN\] container hr_app \(CON_ID 4\) was READ WRITE at the previous run of this backup cycle and is MOUNTED now: its tablespaces already copied stay valid \(the archived logs carry its close\); any other is copied as it is, without backup mode\n/);
  assert.match(out, /\[WARN\] container PDB3 \(CON_ID 5\) appeared since the previous run of this backup cycle \(created or plugged in\): its files are copied in this run\n/);
  const markers = stateFiles();
  for (const ts of ['SYSTEM', 'SYSAUX', 'UNDOTBS1', 'USERS']) assert.ok(markers.includes(`ts_DBPROD.PDB3.${ts}.done`), markers.join(' '));
  assert.match(out, /skip hr_app\/USERS: already done in this backup cycle/);

  assert.equal((await w.sim(['workload', '--stop'])).code, 0);
  await recoverAndVerify();
});

test('a new cycle with a PDB closed since before it: the cutoff goes back to its checkpoint, the standby recovers', async () => {
  const [ckpt] = await w.query(`SELECT TO_CHAR(MIN(checkpoint_change#)) FROM v$datafile WHERE con_id = 4`);
  for (let i = 0; i < 2; i++) await w.archiveCurrent(); // redo moves on while hr_app is closed
  assert.equal((await w.sim(['workload', '--rate', '300'])).code, 0);
  const ship = await w.tool('copy_archivelog', ['--once', '--new-cutoff']);
  assert.equal(ship.code, 0, ship.stdout + ship.stderr);
  assert.match(w.readLog('copy_archivelog.DBPROD.log'), new RegExp(`cutoff SCN ${ckpt} recorded in \\S+ \\(the current SCN is \\d+, but container hr_app is MOUNTED and its files are recovered from their checkpoint SCN ${ckpt}\\): every archived log with NEXT_CHANGE# > ${ckpt} is shipped`));
  assert.equal(w.readState('scn_cutoff.DBPROD')?.trim(), ckpt);

  const hb = await w.tool('hot_backup_ts');
  assert.equal(hb.code, 0, hb.stdout + hb.stderr);
  assert.match(w.readLog('ts_DBPROD.hr_app.USERS.log'), /container hr_app is MOUNTED: copied without backup mode \(its files do not change while it is closed\)/);
  assert.equal((await w.sim(['workload', '--stop'])).code, 0);
  await recoverAndVerify();
});

test('orquestra_dr runs a new cycle of the CDB (hr_app opened again) in tmux; the monitor counts every container; the standby recovers', async () => {
  const opened = await w.sqlplus('WHENEVER SQLERROR EXIT FAILURE\nALTER PLUGGABLE DATABASE "hr_app" OPEN;\n');
  assert.equal(opened.code, 0, opened.stdout);
  assert.equal((await w.sim(['workload', '--rate', '400'])).code, 0);
  const t0 = Date.now();
  const run = await w.tool('orquestra_dr', ['--new-cycle', '--cutoff-wait', '60']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const result = await waitFor('hot_backup to finish', () => {
    const r = w.readState('hot_backup_ts.DBPROD.result.json');
    const parsed = r ? (JSON.parse(r) as { exitCode: number; finishedAt: string }) : undefined;
    return parsed && Date.parse(parsed.finishedAt) >= t0 ? parsed : undefined;
  }, 180_000);
  assert.equal(result.exitCode, 0, await tmux.capture('=DR_DBPROD:hot_backup'));
  assert.deepEqual(await w.activeBackups(), []);
  const [tsCount] = await w.query(`SELECT TO_CHAR(COUNT(*)) FROM (SELECT DISTINCT con_id, ts# FROM v$datafile)`);
  // The monitor's first screens may show the previous cycle: wait for the one that counts this cycle's markers.
  const screen = await tmux.waitFor('=DR_DBPROD:monitor', new RegExp(`HOT BACKUP  finished \\S+\\n  tablespaces: ${tsCount} done, 0 in backup mode, 0 pending, 0 failed`), 30_000);
  assert.match(screen, /\n  containers: CDB\$ROOT, PDB\$SEED \(READ ONLY\), PDB1, hr_app, PDB3\n/);
  // hr_app is READ WRITE again: its tablespaces were copied inside windows in this cycle
  assert.match(w.readLog('ts_DBPROD.hr_app.USERS.log'), /ALTER SESSION SET CONTAINER = "hr_app"; ALTER TABLESPACE "USERS" END BACKUP\n[^\n]*DONE: 1 file\(s\) copied and verified\n$/);

  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await w.sim(['workload', '--stop'])).code, 0);
  const last = await w.archiveCurrent();
  await waitFor(`sequence ${last} shipped`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= last || undefined, 60_000);
  await tmux.exec(['send-keys', '-t', '=DR_DBPROD:archivelog', 'C-c']);
  const { recover, verify } = await w.recoverAndVerify();
  assert.equal(recover.code, 0, recover.stdout + recover.stderr);
  assert.match(recover.stdout, /standby is consistent/);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  const [files] = await w.query(`SELECT TO_CHAR(COUNT(*)) FROM v$datafile`);
  assert.match(verify.stdout, new RegExp(`^verify: ${files} files, \\d+ blocks identical at SCN \\d+$`, 'm'));
});

test('kill -9 while a PDB tablespace is in backup mode: the re-run ends or resumes that window inside its PDB, and the standby recovers', async () => {
  await tmux.kill(); // the shipper of the previous test stops (its lock is then free)
  const cut = await waitFor('copy_archivelog --new-cutoff', async () => {
    const r = await w.tool('copy_archivelog', ['--once', '--new-cutoff']);
    return r.code === 4 ? undefined : r;
  }, 30_000, 500);
  assert.equal(cut.code, 0, cut.stdout + cut.stderr);
  w.updateConfig({ rsync: { bwlimit_kbps: 150 } });
  assert.equal((await w.sim(['workload', '--rate', '300'])).code, 0);
  const child = spawn(w.toolArgv('hot_backup_ts')[0], w.toolArgv('hot_backup_ts').slice(1), { env: w.env, stdio: 'ignore' });
  const pdbActive = async () => (await w.query(`SELECT TO_CHAR(file#) FROM v$backup WHERE status = 'ACTIVE' AND con_id >= 3`)).length > 0;
  await waitFor('a PDB tablespace in backup mode', async () => ((await pdbActive()) ? true : undefined), 120_000, 100);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  assert.ok(await pdbActive(), 'kill -9 leaves the PDB window open');
  const inflight = JSON.parse(w.readState('hot_backup_ts.DBPROD.inflight.json')!) as { tablespaces: string[] };
  assert.ok(inflight.tablespaces.some((k) => /^(PDB1|hr_app)\//.test(k)), inflight.tablespaces.join(' '));

  w.updateConfig({ rsync: { bwlimit_kbps: 0 } });
  const rerun = await w.tool('hot_backup_ts');
  assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
  assert.deepEqual(await w.activeBackups(), [], 'no file may stay in backup mode');
  const k = inflight.tablespaces.find((x) => /^(PDB1|hr_app)\//.test(x))!;
  const [container, ts] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
  const tsLog = w.readLog(`ts_DBPROD.${container}.${ts}.log`);
  assert.match(tsLog, /resuming inside the backup window left open by an interrupted run|ending it and starting a new one/);
  assert.match(tsLog, new RegExp(`ALTER SESSION SET CONTAINER = "${container}"; ALTER TABLESPACE "${ts}" END BACKUP\\n[^\\n]*DONE: `));
  assert.equal((await w.sim(['workload', '--stop'])).code, 0);
  await recoverAndVerify();
});
