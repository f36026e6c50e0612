// The SQL*Plus session under what a real site gives it: a tablespace named R&D, a glogin.sql
// full of settings, a profile that disconnects, a statement that never returns (a stuck
// archiver, a BEGIN BACKUP waiting on something). Each test has its own world.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { shipAndRecover, withWorld } from './steps.ts';
import { waitFor } from './world.ts';


/** stderr without the log lines the tool also prints there (WARN/ERROR with a timestamp): its final error. */
const finalError = (stderr: string) => stderr.split('\n').filter((l) => !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[(WARN|ERROR)\] /.test(l)).join('\n');

test('a tablespace named R&D: no substitution prompt swallows the next line, the run ends and nothing stays in backup mode', async () => {
  await withWorld({ tablespaces: 3, datafiles: 7, ssh: false }, async (w) => {
    assert.equal((await w.sim(['rename-tablespace', '--from', 'APP_002', '--to', 'R&D'])).code, 0);
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    const r = await w.tool('hot_backup_ts', [], 90_000);
    const left = await w.activeBackups();
    assert.equal(r.code, 0, `hot_backup_ts must finish (exit ${r.code}, signal ${r.signal}; files left in backup mode: ${left.join(', ') || 'none'})\n${r.stdout}${r.stderr}`);
    assert.deepEqual(left, []);
    assert.match(w.readLog('ts_DBPROD.R%26D.log'), /^\S+ \S+ \[INFO\] ALTER TABLESPACE "R&D" BEGIN BACKUP$/m);
    assert.ok(w.readState('ts_DBPROD.R%26D.done'), 'R&D is certified under its own name');
    await shipAndRecover(w);
  });
});

test('a site glogin.sql (TIMING, FEEDBACK, SERVEROUTPUT, LINESIZE 80, SQLPROMPT, SQLCASE UPPER, COLUMN) and a login.sql do not break the session', async () => {
  await withWorld({ tablespaces: 2, datafiles: 6, ssh: false, oddNames: true }, async (w) => {
    const admin = path.join(w.home, 'sqlplus', 'admin');
    fs.mkdirSync(admin, { recursive: true });
    fs.writeFileSync(
      path.join(admin, 'glogin.sql'),
      [
        '-- site profile of a DBA team',
        'SET TIMING ON',
        'SET FEEDBACK ON',
        'SET SERVEROUTPUT ON',
        'SET LINESIZE 80',
        'SET PAGESIZE 50',
        `SET SQLPROMPT "_USER'@'_CONNECT_IDENTIFIER> "`,
        'SET SQLCASE UPPER',
        'COLUMN file_name FORMAT a20',
        'DEFINE _EDITOR = vi',
        'PROMPT Welcome to production',
      ].join('\n'),
    );
    const userDir = w.sb.mkdir('sqlpath');
    fs.writeFileSync(path.join(userDir, 'login.sql'), 'SET TIMING ON\nSET HEADING ON\nPROMPT login.sql says hello\n');
    w.env.ORACLE_PATH = userDir;
    w.env.SQLPATH = userDir;
    const ship = await w.tool('copy_archivelog', ['--once']);
    assert.equal(ship.code, 0, ship.stdout + ship.stderr);
    const r = await w.tool('hot_backup_ts');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(w.readLog('hot_backup_ts.DBPROD.out'), /the site profile \(glogin\.sql\) printed, ignored:\n.*  Welcome to production$/m);
    assert.doesNotMatch(w.readLog('hot_backup_ts.DBPROD.out'), /login\.sql says hello/, 'no login.sql runs in the tool session');
    assert.ok(w.readState('ts_DBPROD.lower_ts.done'), 'a lowercase tablespace is reached with its exact name (SQLCASE UPPER reset)');
    assert.ok(w.readState('ts_DBPROD.users%20data.done'));
    // The test's own sqlplus helpers rely on a plain session: the profile is set aside for them.
    const glogin = path.join(admin, 'glogin.sql');
    const aside = () => {
      fs.renameSync(glogin, `${glogin}.aside`);
      delete w.env.ORACLE_PATH;
      delete w.env.SQLPATH;
    };
    const back = () => {
      fs.renameSync(`${glogin}.aside`, glogin);
      w.env.ORACLE_PATH = w.env.SQLPATH = userDir;
    };
    aside();
    assert.deepEqual(await w.activeBackups(), []);
    const last = await w.archiveCurrent();
    back();
    const again = await w.tool('copy_archivelog', ['--once']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(Number(w.readState('last_arch_seq_thread1.DBPROD')), last);
    aside();
    const { recover, verify } = await w.recoverAndVerify();
    assert.equal(recover.code, 0, recover.stdout + recover.stderr);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });
});

test('SP2-0640 (a profile that disconnects): a clear error, not "statement failed"', async () => {
  await withWorld({ tablespaces: 1, datafiles: 5, ssh: false }, async (w) => {
    const admin = path.join(w.home, 'sqlplus', 'admin');
    fs.mkdirSync(admin, { recursive: true });
    fs.writeFileSync(path.join(admin, 'glogin.sql'), 'DISCONNECT\n');
    const r = await w.tool('copy_archivelog', ['--once']);
    assert.equal(r.code, 5, r.stdout + r.stderr);
    assert.equal(
      finalError(r.stderr),
      'copy_archivelog: sqlplus / as sysdba (ORACLE_SID=DBPROD) is not connected to the database (SP2-0640: Not connected), also after connecting again\n' +
        `HINT: check that the instance is up and that this OS user may connect with "sqlplus / as sysdba"; a site profile (${path.join(admin, 'glogin.sql')}) that disconnects has the same effect\n`,
    );
  });
});

test('the archiver is stuck: ARCHIVE LOG CURRENT times out with what to check, and a re-run finishes once archiving works', async () => {
  await withWorld({ tablespaces: 2, datafiles: 6, ssh: false }, async (w) => {
    w.updateConfig({ oracle: { statement_timeout_seconds: 5 } });
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    assert.equal((await w.sim(['fault', 'dest-full', '--dest', '1'])).code, 0);
    const r = await w.tool('hot_backup_ts', [], 90_000);
    assert.equal(r.code, 5, `exit ${r.code} signal ${r.signal}\n${r.stdout}${r.stderr}`);
    assert.equal(
      finalError(r.stderr),
      'hot_backup_ts: ALTER SYSTEM ARCHIVE LOG CURRENT did not finish within 5 s on sqlplus / as sysdba (ORACLE_SID=DBPROD): the archiver is probably stuck; the sqlplus session was ended\n' +
        'HINT: check V$ARCHIVE_DEST (STATUS, ERROR) and the free space of every archive destination (ORA-00257 or ORA-19502 in the alert log); once archiving works again, re-run: only the steps not done are repeated\n',
    );
    assert.deepEqual(await w.activeBackups(), []);
    assert.equal(w.readState('consistent_point.DBPROD'), undefined);
    assert.equal((await w.sim(['fault', 'dest-full', '--dest', '1', '--off'])).code, 0);
    const again = await w.tool('hot_backup_ts');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.ok(w.readState('consistent_point.DBPROD'));
    await shipAndRecover(w);
  });
});

test('a BEGIN BACKUP that never returns: it times out, the other windows are ended on a new session, and the next run takes over the window if the statement completed later', async () => {
  await withWorld({ tablespaces: 6, datafiles: 10, ssh: false, extraConfig: { rsync: { bwlimit_kbps: 400, retries: 0, timeout_seconds: 30 } } }, async (w) => {
    w.updateConfig({ oracle: { statement_timeout_seconds: 5 } });
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    assert.equal((await w.sim(['fault', 'stall-sql', '--match', '^ALTER TABLESPACE "USERS" BEGIN BACKUP$'])).code, 0);
    const r = await w.tool('hot_backup_ts', [], 120_000);
    assert.equal(r.code, 5, `exit ${r.code} signal ${r.signal} (files in backup mode: ${(await w.activeBackups()).join(', ')})\n${r.stdout}${r.stderr}`);
    assert.equal(
      finalError(r.stderr),
      'hot_backup_ts: ALTER TABLESPACE "USERS" BEGIN BACKUP did not finish within 5 s on sqlplus / as sysdba (ORACLE_SID=DBPROD); the sqlplus session was ended (the statement may still complete in the database)\n' +
        "HINT: BEGIN BACKUP checkpoints the tablespace's datafiles: see the alert log and V$SESSION_WAIT for what it waits on; the next hot_backup_ts run ends or takes over the window if the statement completes\n",
    );
    assert.deepEqual(await w.activeBackups(), [], 'the windows open at the time were ended on a new session');
    assert.match(w.readLog('hot_backup_ts.DBPROD.out'), /reconnected to sqlplus \/ as sysdba \(ORACLE_SID=DBPROD\)/);
    // The stalled statement completes after all: USERS is in backup mode, left by our run.
    assert.equal((await w.sim(['fault', 'stall-sql', '--off'])).code, 0);
    const users = await waitFor('USERS in backup mode', async () => ((await w.activeBackups()).length ? await w.activeBackups() : undefined), 20_000);
    assert.equal(users.length, 1);
    const again = await w.tool('hot_backup_ts');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout + again.stderr, /USERS/);
    assert.deepEqual(await w.activeBackups(), []);
    await shipAndRecover(w);
  });
});

test('copy_archivelog keeps shipping after an instance restart (a new session), and stops for good on RESETLOGS', async () => {
  await withWorld({ tablespaces: 1, datafiles: 5, ssh: false }, async (w) => {
    const child = spawn(w.toolArgv('copy_archivelog')[0], w.toolArgv('copy_archivelog').slice(1), { env: w.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    try {
      await waitFor('cutoff recorded', () => w.readState('scn_cutoff.DBPROD'), 30_000);
      const first = await w.archiveCurrent();
      await waitFor(`sequence ${first} shipped`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= first || undefined, 30_000);
      const incarnation = w.readState('incarnation.DBPROD');
      assert.equal((await w.sim(['stop'])).code, 0);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal((await w.sim(['start'])).code, 0);
      const second = await w.archiveCurrent();
      await waitFor(`sequence ${second} shipped after the restart`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= second || undefined, 30_000);

      assert.equal((await w.sim(['stop'])).code, 0);
      assert.equal((await w.sim(['start', '--mount'])).code, 0);
      assert.equal((await w.sim(['open-resetlogs'])).code, 0);
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 30_000))]);
      assert.equal(code, 8, `copy_archivelog must stop on RESETLOGS (got ${code})\n${stderr}`);
      const [now] = await w.query('SELECT TO_CHAR(resetlogs_change#) FROM v$database');
      const msg =
        `production was opened with RESETLOGS since this backup cycle began (RESETLOGS_CHANGE# was ${incarnation!.trim()}, now ${now}): the standby cannot follow the new incarnation\n` +
        'HINT: start a new backup cycle: orquestra_dr --new-cycle (every tablespace is copied again)\n';
      assert.equal(finalError(stderr), `copy_archivelog: ${msg}`);
      assert.equal(Number(w.readState('last_arch_seq_thread1.DBPROD')), second, 'nothing of the new incarnation is recorded as shipped');
      for (let i = 0; i < 3; i++) await w.archiveCurrent();
      const once = await w.tool('copy_archivelog', ['--once']);
      assert.equal(once.code, 8);
      assert.equal(finalError(once.stderr), `copy_archivelog: ${msg}`, 'every time');
      const hb = await w.tool('hot_backup_ts');
      assert.equal(hb.code, 8);
      assert.equal(finalError(hb.stderr), `hot_backup_ts: ${msg}`);
      assert.equal(Number(w.readState('last_arch_seq_thread1.DBPROD')), second);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
