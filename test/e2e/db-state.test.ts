// What the database looks like when the tools meet it: backup windows someone else opened,
// decisions gone stale between plan and copy, archived logs in several destinations (and
// restored by RMAN), ASM, datafiles added at the last moment, two databases sharing a state
// directory. Each test has its own world.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import YAML from 'yaml';
import { exec } from '../helpers/proc.ts';
import { shipAndRecover, withWorld } from './steps.ts';
import { ROOT, waitFor } from './world.ts';


/** stderr without the log lines the tool also prints there (WARN/ERROR with a timestamp): its final error. */
const finalError = (stderr: string) => stderr.split('\n').filter((l) => !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[(WARN|ERROR)\] /.test(l)).join('\n');

const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('backup windows someone else opened are refused, named, and left alone; after they end the run goes on', async () => {
  await withWorld({ tablespaces: 2, datafiles: 6, ssh: false }, async (w) => {
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    const [usersFile] = await w.query(`SELECT TO_CHAR(file_id) || '|' || file_name FROM dba_data_files WHERE tablespace_name = 'USERS'`);
    const [id, file] = usersFile.split('|');
    assert.equal((await w.sqlplus('ALTER TABLESPACE USERS BEGIN BACKUP;\n')).code, 0);
    const [since] = await w.query(`SELECT TO_CHAR(change#) FROM v$backup WHERE file# = ${id}`);
    const inflight = path.join(w.sb.dir, 'state', 'hot_backup_ts.DBPROD.inflight.json');
    const r = await w.tool('hot_backup_ts');
    assert.equal(r.code, 8, r.stdout + r.stderr);
    assert.equal(
      finalError(r.stderr),
      'hot_backup_ts: backup mode was begun by someone else (ALTER TABLESPACE/DATABASE BEGIN BACKUP, a storage snapshot script?) for 1 tablespace(s) this run must copy:\n' +
        `  USERS: file ${id} ${file} (ACTIVE since SCN ${since})\n` +
        `HINT: this tool only resumes or ends backup windows it recorded in ${inflight}; let whoever began it end it (ALTER TABLESPACE "USERS" END BACKUP, or ALTER DATABASE END BACKUP) or wait until it is ended, then re-run hot_backup_ts\n`,
    );
    assert.deepEqual(await w.activeBackups(), [Number(id)], 'their window is left as it is');
    assert.equal(fs.readdirSync(path.join(w.sb.dir, 'state')).filter((f) => f.endsWith('.done')).length, 0, 'nothing was copied');

    // ALTER DATABASE BEGIN BACKUP (a storage snapshot) puts every file in backup mode.
    assert.equal((await w.sqlplus('ALTER TABLESPACE USERS END BACKUP;\nALTER DATABASE BEGIN BACKUP;\n')).code, 0);
    const all = await w.tool('hot_backup_ts');
    assert.equal(all.code, 8);
    assert.match(finalError(all.stderr), /^hot_backup_ts: backup mode was begun by someone else \(ALTER TABLESPACE\/DATABASE BEGIN BACKUP, a storage snapshot script\?\) for 6 tablespace\(s\) this run must copy:\n  APP_001: file \d+ /);
    assert.equal((await w.sqlplus('ALTER DATABASE END BACKUP;\n')).code, 0);
    const ok = await w.tool('hot_backup_ts');
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.deepEqual(await w.activeBackups(), []);
    await shipAndRecover(w);
  });
});

test('stale window decisions: READ ONLY then READ WRITE is copied in a window, READ WRITE then READ ONLY without one, a resumed window that was ended meanwhile is begun again', async () => {
  await withWorld(
    { tablespaces: 6, datafiles: 10, ssh: false, skew: 0, parallel: 1, extraConfig: { rsync: { bwlimit_kbps: 250, retries: 0, timeout_seconds: 30 }, backup: { parallel: 1, batch_max_files: 1 } } },
    async (w) => {
      assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
      assert.equal((await w.sqlplus('ALTER TABLESPACE USERS READ ONLY;\nALTER TABLESPACE APP_005 BEGIN BACKUP;\n')).code, 0);
      // APP_005's window is one "our" killed run left: recorded in the in-flight file.
      fs.writeFileSync(path.join(w.sb.dir, 'state', 'hot_backup_ts.DBPROD.inflight.json'), JSON.stringify({ tablespaces: ['APP_005'] }), { mode: 0o600 });
      assert.equal((await w.sim(['workload', '--rate', '200'])).code, 0);
      const child = spawn(w.toolArgv('hot_backup_ts')[0], w.toolArgv('hot_backup_ts').slice(1), { env: w.env, stdio: 'ignore' });
      const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      await waitFor('the plan', () => /planned: .* window none/.test(w.readLog('ts_DBPROD.USERS.log')) || undefined, 60_000, 50);
      assert.match(w.readLog('ts_DBPROD.APP_005.log'), /planned: 1 file\(s\), \d+ bytes, window resume/);
      assert.match(w.readLog('ts_DBPROD.APP_006.log'), /planned: 1 file\(s\), \d+ bytes, window begin/);
      assert.equal((await w.sqlplus('ALTER TABLESPACE USERS READ WRITE;\nALTER TABLESPACE APP_006 READ ONLY;\nALTER TABLESPACE APP_005 END BACKUP;\n')).code, 0);
      assert.doesNotMatch(w.readLog('ts_DBPROD.APP_005.log'), /sent /, 'APP_005 had not been copied yet when its window was ended');
      const code = await exited;
      assert.equal(code, 0, w.readLog('hot_backup_ts.DBPROD.out'));
      assert.equal((await w.sim(['workload', '--stop'])).code, 0);
      const users = w.readLog('ts_DBPROD.USERS.log');
      assert.match(users, /tablespace is READ WRITE now \(planned READ ONLY\): it is copied inside a backup window\n.*ALTER TABLESPACE "USERS" BEGIN BACKUP/);
      assert.ok(JSON.parse(w.readState('ts_DBPROD.USERS.done')!).files[0].windowScn, 'USERS was read inside a window');
      assert.match(w.readLog('ts_DBPROD.APP_006.log'), /tablespace is READ ONLY now \(planned a backup window\): it is copied without backup mode/);
      assert.doesNotMatch(w.readLog('ts_DBPROD.APP_006.log'), /BEGIN BACKUP/);
      assert.match(w.readLog('ts_DBPROD.APP_005.log'), /the backup window left by an interrupted run was ended since \(V\$BACKUP NOT ACTIVE\): beginning a new one\n.*ALTER TABLESPACE "APP_005" BEGIN BACKUP/);
      assert.deepEqual(await w.activeBackups(), []);
      await shipAndRecover(w);
    },
  );
});

test('archived logs in several places: a copy in destination 2 and an RMAN-restored one (DEST_ID 0) are shipped instead of a gap', async () => {
  await withWorld({ tablespaces: 1, datafiles: 5, ssh: false, dest2: true }, async (w) => {
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    const hb = await w.tool('hot_backup_ts'); // the standby the shipped logs must recover
    assert.equal(hb.code, 0, hb.stdout + hb.stderr);
    assert.equal((await w.sim(['workload', '--rate', '300'])).code, 0);
    const a = await w.archiveCurrent();
    const lost = await w.archiveCurrent();
    const restored = await w.archiveCurrent();
    const b = await w.archiveCurrent();
    assert.equal((await w.sim(['workload', '--stop'])).code, 0);
    // The FRA (destination 1) deleted `lost` under space pressure; destination 2 still has it.
    assert.equal((await w.sim(['fault', 'delete-archived', '--sequence', String(lost), '--dest', '1', '--mark-deleted'])).code, 0);
    // `restored` is gone from both destinations; RMAN restores it elsewhere and catalogs it.
    const [orig] = await w.query(`SELECT name FROM v$archived_log WHERE dest_id = 2 AND sequence# = ${restored}`);
    const rman = path.join(w.sb.dir, 'rman restore', path.basename(orig));
    fs.mkdirSync(path.dirname(rman), { recursive: true });
    fs.copyFileSync(orig, rman);
    assert.equal((await w.sim(['fault', 'delete-archived', '--sequence', String(restored)])).code, 0);
    assert.equal((await w.sim(['catalog', '--file', rman])).code, 0);
    const r = await w.tool('copy_archivelog', ['--once']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(Number(w.readState('last_arch_seq_thread1.DBPROD')), b);
    const log = w.readLog('copy_archivelog.DBPROD.log');
    assert.match(log, new RegExp(`shipped thread 1 sequence ${lost} \\(\\S*/u13/arch2/1_${lost}_\\d+\\.dbf from destination 2, SCN \\d+\\.\\.\\d+\\)`));
    assert.match(log, new RegExp(`shipped thread 1 sequence ${restored} \\(${re(rman)} from an RMAN restore or catalog \\(DEST_ID 0\\), SCN \\d+\\.\\.\\d+\\)`));
    const shipped = fs.readdirSync(path.join(w.dr, 'arch')).map((f) => Number(/^1_(\d+)_/.exec(f)?.[1])).sort((x, y) => x - y);
    for (let s = a; s <= b; s++) assert.ok(shipped.includes(s), `sequence ${s} on DR: ${shipped}`);
    await shipAndRecover(w);
  });
});

test('ASM: a destination only in ASM is refused at start; an ASM copy is never called a missing file', async () => {
  await withWorld({ tablespaces: 1, datafiles: 5, ssh: false, dest2: true }, async (w) => {
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    assert.equal((await w.sim(['fault', 'asm-dest', '--dest', '2', '--diskgroup', '+FRA'])).code, 0);
    const gap = await w.archiveCurrent();
    assert.equal((await w.sim(['fault', 'delete-archived', '--sequence', String(gap), '--dest', '1'])).code, 0);
    const r = await w.tool('copy_archivelog', ['--once']);
    assert.equal(r.code, 7, r.stdout + r.stderr);
    assert.match(
      finalError(r.stderr),
      new RegExp(
        `^copy_archivelog: archived-log gap: thread 1 sequence ${gap} \\(destination 1: file \\S+1_${gap}_\\d+\\.dbf is missing on production \\(deleted before it was shipped\\?\\); destination 2: \\+FRA/DBPROD/ARCHIVELOG/1_${gap}_\\d+\\.dbf is in ASM, which copy_archivelog cannot read; it is still on production, in ASM \\(\\+FRA/DBPROD/ARCHIVELOG/1_${gap}_\\d+\\.dbf\\)\\)\\n` +
          `HINT: copy it out of ASM to a filesystem directory \\(RMAN: BACKUP AS COPY ARCHIVELOG SEQUENCE ${gap} THREAD 1 FORMAT '/dir/%U';\\) and CATALOG ARCHIVELOG the copy; copy_archivelog ships it on its next pass\\n`,
      ),
    );
    assert.doesNotMatch(r.stderr, /\+FRA\S* is missing/);

    assert.equal((await w.sim(['fault', 'asm-dest', '--dest', '1', '--diskgroup', '+DATA'])).code, 0);
    const all = await w.tool('copy_archivelog', ['--once']);
    assert.equal(all.code, 8, all.stdout + all.stderr);
    assert.equal(
      finalError(all.stderr),
      'copy_archivelog: every local archive destination is in ASM (destination 1: +DATA; destination 2: +FRA): copy_archivelog reads archived logs from a filesystem only\n' +
        "HINT: add a filesystem destination for it to read (e.g. ALTER SYSTEM SET LOG_ARCHIVE_DEST_3='LOCATION=/u12/arch' SCOPE=BOTH), or build and feed this standby with RMAN\n",
    );
  });
});

test('a datafile added while the cycle ends: no consistent point is recorded without its copy; the re-run copies it', async () => {
  await withWorld({ tablespaces: 2, datafiles: 6, ssh: false }, async (w) => {
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    assert.equal((await w.sim(['fault', 'stall-sql', '--match', '^ALTER SYSTEM ARCHIVE LOG CURRENT$'])).code, 0);
    const child = spawn(w.toolArgv('hot_backup_ts')[0], w.toolArgv('hot_backup_ts').slice(1), { env: w.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    await waitFor('ARCHIVE LOG CURRENT', () => /ALTER SYSTEM ARCHIVE LOG CURRENT/.test(w.readLog('hot_backup_ts.DBPROD.out')) || undefined, 60_000, 50);
    const added = path.join(w.prod, 'u04', 'oradata', 'DBPROD', 'users02.dbf');
    const add = await w.sim(['sql', `ALTER TABLESPACE USERS ADD DATAFILE '${added}' SIZE 1M`]);
    assert.equal(add.code, 0, add.stdout + add.stderr);
    const [id] = await w.query(`SELECT TO_CHAR(file_id) FROM dba_data_files WHERE file_name = '${added}'`);
    assert.equal((await w.sim(['fault', 'stall-sql', '--off'])).code, 0);
    const code = await exited;
    assert.equal(code, 1, stderr);
    assert.equal(
      finalError(stderr),
      'hot_backup_ts: the consistent point was not recorded: 1 datafile(s) of the database have no copy in this backup cycle (added after their tablespace was copied?):\n' +
        `  file ${id} ${added} (tablespace USERS)\n` +
        'HINT: re-run hot_backup_ts: it copies them, then records the consistent point (the standby would stop at them with ORA-01274 or ORA-01157)\n',
    );
    assert.equal(w.readState('consistent_point.DBPROD'), undefined);
    const again = await w.tool('hot_backup_ts');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /datafiles appeared during the backup|copying USERS|plan: 1 tablespace/);
    assert.ok(w.readState('consistent_point.DBPROD'));
    await shipAndRecover(w);
  });
});

test('two databases sharing a state and log directory keep their own markers, logs and counts', async () => {
  await withWorld({ tablespaces: 2, datafiles: 6, ssh: false }, async (w) => {
    // A second database, DBTEST, on the same host, configured with the same dirs.
    const home2 = path.join(w.sb.dir, 'oh2');
    const prod2 = path.join(w.sb.dir, 'prod2');
    const dr2 = path.join(w.sb.dir, 'dr2');
    const sim2 = (args: string[]) => w.sim([...args, '--home', home2, '--sid', 'DBTEST']);
    assert.equal((await sim2(['create', '--root', prod2, '--tablespaces', '2', '--datafiles', '6', '--size', '64', '--seed', '2', '--log-size', '256K'])).code, 0);
    assert.equal((await sim2(['start'])).code, 0);
    try {
      const cfg = YAML.parse(fs.readFileSync(w.configFile, 'utf8'));
      const mounts = fs.readdirSync(prod2).filter((d) => /^u\d\d$/.test(d));
      Object.assign(cfg, {
        oracle: { sid: 'DBTEST', home: home2 },
        path_map: Object.fromEntries(mounts.map((m) => [path.join(prod2, m), path.join(dr2, m)])),
        archivelog: { ...cfg.archivelog, dest_dir: path.join(dr2, 'arch') },
        standby_controlfile: { local_path: path.join(w.sb.dir, 'standby2.ctl'), dr_path: path.join(dr2, 'ctl', 'standby.ctl') },
        tmux: { session: 'DR_DBTEST' },
      });
      const config2 = path.join(w.sb.dir, 'dr2.yaml');
      fs.writeFileSync(config2, YAML.stringify(cfg), { mode: 0o600 });
      const env2 = { ...w.env, ORACLE_HOME: home2, ORACLE_SID: 'DBTEST' };
      const tool2 = (bin: string, args: string[] = []) =>
        exec([process.execPath, '--import', path.join(ROOT, 'node_modules/tsx/dist/esm/index.mjs'), path.join(ROOT, 'bin', `${bin}.ts`), '--config', config2, ...args], { env: env2, cwd: w.sb.dir, timeoutMs: 300_000 });

      assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
      assert.equal((await tool2('copy_archivelog', ['--once'])).code, 0);
      const p1 = await w.tool('hot_backup_ts');
      assert.equal(p1.code, 0, p1.stdout + p1.stderr);
      const t1 = await tool2('hot_backup_ts');
      assert.equal(t1.code, 0, t1.stdout + t1.stderr);
      const p2 = await w.tool('hot_backup_ts');
      assert.equal(p2.code, 0, p2.stdout + p2.stderr);
      assert.match(p2.stdout, /every tablespace is already done for this cutoff/, 'DBTEST did not overwrite what DBPROD certified');
      assert.match(p2.stdout, /nothing to copy; the standby controlfile and consistent point \(SCN \d+\) of this cycle were already recorded/);
      const state = fs.readdirSync(path.join(w.sb.dir, 'state'));
      assert.ok(state.includes('ts_DBPROD.USERS.done') && state.includes('ts_DBTEST.USERS.done'), state.join(' '));
      assert.ok(!state.some((f) => /^ts_[^.]+\.done$/.test(f)), `no unkeyed marker: ${state.join(' ')}`);
      const logs = fs.readdirSync(path.join(w.sb.dir, 'log'));
      for (const f of ['hot_backup_ts.DBPROD.out', 'hot_backup_ts.DBTEST.out', 'ts_DBPROD.USERS.log', 'ts_DBTEST.USERS.log', 'copy_archivelog.DBPROD.log', 'copy_archivelog.DBTEST.log']) {
        assert.ok(logs.includes(f), `${f} in ${logs.join(' ')}`);
      }
      assert.doesNotMatch(w.readLog('ts_DBPROD.USERS.log'), new RegExp(re(prod2)));
      const mon = await w.tool('monitor', ['--once']);
      assert.match(mon.stdout, /tablespaces: 6 done/, mon.stdout);
    } finally {
      await sim2(['crash']);
    }
  });
});
