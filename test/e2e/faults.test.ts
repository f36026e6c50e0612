// The suite under the failures a DR build meets in real life. Each test has its own world.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { exec } from '../helpers/proc.ts';
import { shipAll, withWorld } from './steps.ts';
import { waitFor, type World } from './world.ts';


/** Ships everything archived up to now (ARCHIVE LOG CURRENT first) and requires a clean pass. */
async function assertRecovers(w: World): Promise<void> {
  const { recover, verify } = await w.recoverAndVerify();
  assert.equal(recover.code, 0, recover.stdout + recover.stderr);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /^verify: \d+ files, \d+ blocks identical at SCN \d+$/m);
}

test('kill -9 of hot_backup mid-tablespace: the re-run finds the files left in backup mode, finishes, and the standby recovers', async () => {
  await withWorld({ tablespaces: 4, datafiles: 8, blocks: 384, ssh: true, extraConfig: { rsync: { bwlimit_kbps: 2000, retries: 0, timeout_seconds: 30 } } }, async (w) => {
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    assert.equal((await w.sim(['workload', '--rate', '300'])).code, 0);
    const child = spawn(w.toolArgv('hot_backup_ts')[0], w.toolArgv('hot_backup_ts').slice(1), { env: w.env, stdio: 'ignore' });
    await waitFor('a tablespace in backup mode with a copy under way', async () => ((await w.activeBackups()).length > 0 ? true : undefined), 60_000, 100);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const left = await w.activeBackups();
    assert.ok(left.length > 0, 'kill -9 leaves files in backup mode (nothing could end it)');

    const rerun = await w.tool('hot_backup_ts');
    assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
    assert.match(w.readLog('hot_backup_ts.DBPROD.out'), /unable to acquire|resuming inside the backup window|ending it and starting a new one|left in backup mode by an interrupted run/);
    assert.deepEqual(await w.activeBackups(), [], 'no file may stay in backup mode');
    assert.equal((await w.sim(['workload', '--stop'])).code, 0);
    await shipAll(w);
    await assertRecovers(w);
  });
});

test('an rsync failure for one file: non-zero exit naming it, its tablespace not done, nothing left in backup mode', async () => {
  await withWorld({ tablespaces: 3, datafiles: 6, ssh: true, extraConfig: { rsync: { retries: 0, timeout_seconds: 30 } } }, async (w) => {
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    const [row] = await w.query(`SELECT f.tablespace_name || '|' || f.file_name FROM dba_data_files f WHERE f.tablespace_name = 'APP_002' ORDER BY f.file_id`);
    const [ts, src] = row.split('|');
    const mount = src.slice(w.prod.length + 1).split('/')[0];
    const dest = path.join(w.dr, `u${Number(mount.slice(1)) + 10}`, src.slice(w.prod.length + 1 + mount.length + 1));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, 'stale');
    // Root ignores permission bits: an immutable file is what "not writable" means for root.
    const chattr = await exec(['chattr', '+i', dest]);
    if (chattr.code !== 0) {
      fs.rmSync(dest);
      fs.mkdirSync(path.join(dest, 'in-the-way'), { recursive: true }); // a directory where the file must go
    }
    try {
      const r = await w.tool('hot_backup_ts');
      assert.equal(r.code, 6, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`^hot_backup_ts: 1 tablespace\\(s\\) not backed up:\\n  ${ts}: ${src.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(rsync exit code 23 \\(partial transfer due to error\\)`, 'm'));
      assert.match(r.stderr, /HINT: backup mode was ended for them and no \.done marker was written; fix the cause \(see .*hot_backup_ts\.DBPROD\.rsync\.log\) and re-run hot_backup_ts: finished tablespaces are kept/);
      assert.equal(w.readState(`ts_DBPROD.${ts}.done`), undefined);
      assert.deepEqual(await w.activeBackups(), []);
      assert.equal(w.readState('consistent_point.DBPROD'), undefined, 'an incomplete backup records no consistent point');
      assert.match(w.readLog(`ts_DBPROD.${ts}.log`), /NOT DONE: 1 file\(s\) failed; no \.done marker written/);
    } finally {
      await exec(['chattr', '-i', dest]);
    }
    // Once the cause is fixed, the re-run copies only what is missing.
    fs.rmSync(dest, { recursive: true, force: true });
    const again = await w.tool('hot_backup_ts');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /skip APP_001: already done in this backup cycle/);
    await shipAll(w);
    await assertRecovers(w);
  });
});

test('sshd down for a while during shipping: the shipper retries and no gap remains once it is back', async () => {
  await withWorld({ tablespaces: 2, datafiles: 4, ssh: true, logSize: '64K' }, async (w) => {
    const child = spawn(w.toolArgv('copy_archivelog')[0], w.toolArgv('copy_archivelog').slice(1), { env: w.env, stdio: 'ignore' });
    try {
      await waitFor('cutoff recorded', () => w.readState('scn_cutoff.DBPROD'), 30_000);
      assert.equal((await w.sim(['workload', '--rate', '1500'])).code, 0);
      const first = await waitFor('a first log shipped', () => w.readState('last_arch_seq_thread1.DBPROD'), 60_000);
      await w.sshd!.stop();
      const during = await w.archiveCurrent();
      await new Promise((r) => setTimeout(r, 3000));
      assert.ok(Number(w.readState('last_arch_seq_thread1.DBPROD')) < during, 'nothing can be shipped while sshd is down');
      await w.sshd!.start();
      assert.equal((await w.sim(['workload', '--stop'])).code, 0);
      const last = await w.archiveCurrent();
      await waitFor(`sequence ${last} shipped`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= last || undefined, 60_000);
      const shipped = fs.readdirSync(path.join(w.dr, 'arch')).map((f) => Number(/^1_(\d+)_/.exec(f)?.[1])).sort((a, b) => a - b);
      const firstNeeded = shipped[0];
      assert.ok(firstNeeded <= Number(first));
      assert.deepEqual(shipped, Array.from({ length: last - firstNeeded + 1 }, (_, i) => firstNeeded + i), 'every sequence is on DR, none skipped');
      assert.match(w.readLog('errors.DBPROD.log'), /\[copy_archivelog\] shipping \d+ archived log\(s\) to root@127\.0\.0\.1 \(port \d+\) failed: rsync exit code 255/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

test('an archived log deleted before shipping is a loud gap; later logs are still shipped, the state stops before it', async () => {
  await withWorld({ tablespaces: 2, datafiles: 4, ssh: false }, async (w) => {
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    assert.equal((await w.sim(['workload', '--rate', '500'])).code, 0);
    const a = await w.archiveCurrent();
    const gap = await w.archiveCurrent();
    const b = await w.archiveCurrent();
    assert.equal((await w.sim(['fault', 'delete-archived', '--sequence', String(gap)])).code, 0);
    const r = await w.tool('copy_archivelog', ['--once']);
    assert.equal(r.code, 7, r.stdout + r.stderr);
    const file = fs.readdirSync(path.join(w.prod, 'u12/fra/DBPROD/archivelog')).length >= 0 ? `1_${gap}_` : '';
    assert.match(r.stderr, new RegExp(`^copy_archivelog: archived-log gap: thread 1 sequence ${gap} \\(file \\S*${file}\\S* is missing on production \\(deleted before it was shipped\\?\\); it is in no RMAN backup either: it exists nowhere\\)\\nHINT: thread 1 sequence ${gap} cannot be shipped from anywhere: the standby cannot recover past it; take a new hot backup cycle \\(bin/orquestra_dr --new-cycle: on an existing DR copy it is a refresh that sends only the changed blocks\\)\\n`, 'm'));
    assert.match(w.readLog('errors.DBPROD.log'), new RegExp(`\\[copy_archivelog\\] GAP: archived log thread 1 sequence ${gap} \\(file .* is missing on production \\(deleted before it was shipped\\?\\); it is in no RMAN backup either: it exists nowhere\\): the standby cannot recover past it\\n`));
    assert.equal(Number(w.readState('last_arch_seq_thread1.DBPROD')), a, 'state stops before the gap');
    assert.ok(fs.existsSync(path.join(w.dr, 'arch')) && fs.readdirSync(path.join(w.dr, 'arch')).some((f) => f.startsWith(`1_${b}_`)), 'logs after the gap are shipped anyway');

    // The same log marked deleted in V$ARCHIVED_LOG (RMAN) is a gap too.
    assert.equal((await w.sim(['fault', 'delete-archived', '--sequence', String(gap), '--mark-deleted'])).code, 0);
    const r2 = await w.tool('copy_archivelog', ['--once']);
    assert.equal(r2.code, 7);
    assert.match(r2.stderr, new RegExp(`thread 1 sequence ${gap} \\(not available on production \\(STATUS D, DELETED YES, NAME is NULL\\); it is in no RMAN backup either: it exists nowhere\\)`));
  });
});

test('two runs for one database never overlap: the second names the holder', async () => {
  await withWorld({ tablespaces: 2, datafiles: 4, ssh: false, extraConfig: { rsync: { bwlimit_kbps: 300 } } }, async (w) => {
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    const child = spawn(w.toolArgv('hot_backup_ts')[0], w.toolArgv('hot_backup_ts').slice(1), { env: w.env, stdio: 'ignore' });
    try {
      await waitFor('the first run to hold the lock', () => w.readState('hot_backup_ts.DBPROD.lock'), 30_000, 50);
      const second = await w.tool('hot_backup_ts');
      assert.equal(second.code, 4);
      assert.match(second.stderr, new RegExp(`^hot_backup_ts: unable to acquire lock on \\S*hot_backup_ts\\.DBPROD\\.lock: held by pid ${child.pid}\\nHINT: is another hot_backup_ts running for DBPROD\\?\\n$`));
    } finally {
      child.kill('SIGTERM');
      const code = await new Promise((r) => child.once('exit', (c) => r(c)));
      assert.equal(code, 130, 'SIGTERM: exit 130 after ending backup mode');
    }
    assert.deepEqual(await w.activeBackups(), []);
    assert.match(w.readLog('hot_backup_ts.DBPROD.out'), /interrupted by SIGTERM/);
  });
});

test('preconditions: no cutoff, an unmapped datafile, an instance that is down — clear errors, nothing started', async () => {
  await withWorld({ tablespaces: 2, datafiles: 4, ssh: false }, async (w) => {
    const noCutoff = await w.tool('hot_backup_ts');
    assert.equal(noCutoff.code, 8);
    assert.match(noCutoff.stderr, /^hot_backup_ts: no cutoff SCN recorded in \S+\/state\/scn_cutoff\.DBPROD\nHINT: start copy_archivelog first \(orquestra_dr does it in the right order\): it records the SCN from which archived logs are shipped, and no BEGIN BACKUP may come before it\n$/);
    assert.deepEqual(await w.activeBackups(), []);

    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    const [anyFile] = await w.query(`SELECT file_name FROM dba_data_files WHERE tablespace_name = 'USERS'`);
    const mount = path.join(w.prod, anyFile.slice(w.prod.length + 1).split('/')[0]);
    const map = fs.readdirSync(w.prod).filter((d) => /^u\d\d$/.test(d) && path.join(w.prod, d) !== mount).map((d) => ({ from: path.join(w.prod, d), to: path.join(w.dr, d) }));
    w.updateConfig({ path_map: map });
    const unmapped = await w.tool('hot_backup_ts');
    assert.equal(unmapped.code, 3);
    assert.match(unmapped.stderr, /datafile paths? (has|have) no path_map rule:\n/);
    assert.ok(unmapped.stderr.includes(`  ${anyFile}\n`), unmapped.stderr);
    assert.deepEqual(await w.activeBackups(), []);

    assert.equal((await w.sim(['crash'])).code, 0);
    const down = await w.tool('hot_backup_ts');
    assert.equal(down.code, 5);
    assert.match(down.stderr, /^hot_backup_ts: instance DBPROD is not available\n  ORA-01034: ORACLE not available\n  ORA-27101: shared memory realm does not exist\n/);
    assert.match(down.stderr, /HINT: start the database \(ORACLE_SID=DBPROD\) or fix oracle\.sid in the configuration\n$/);
  });
});

test('a stale DR datafile of the same size and mtime is rewritten, not kept (the seed\'s --append-verify kept it)', async () => {
  await withWorld({ tablespaces: 2, datafiles: 4, ssh: false }, async (w) => {
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    // An "earlier run" left zero-filled copies of exactly the right size and mtime on DR.
    const files = await w.query(`SELECT file_name FROM dba_data_files`);
    for (const src of files) {
      const rel = path.relative(w.prod, src);
      const mount = rel.split('/')[0];
      const dest = path.join(w.dr, `u${Number(mount.slice(1)) + 10}`, rel.slice(mount.length + 1));
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      const st = fs.statSync(src);
      fs.writeFileSync(dest, Buffer.alloc(st.size));
      fs.utimesSync(dest, st.atime, st.mtime);
    }
    const r = await w.tool('hot_backup_ts');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await shipAll(w);
    await assertRecovers(w);
  });
});
