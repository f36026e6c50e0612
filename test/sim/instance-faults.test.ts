// Oracle errors and faults of the simulated instance, driven with SQL text over the socket.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { recoverStandby } from './recover.ts';
import { convertArg, manualBackup, sandbox, type Sandbox } from './instance/testkit.ts';

const boxes: Sandbox[] = [];
after(() => boxes.forEach((b) => b.cleanup()));
const small = ['--tablespaces', '1', '--datafiles', '5', '--size', '32', '--log-size', '64K', '--odd-names'];

describe('Oracle errors and faults', () => {
  it('backup-mode errors: ORA-01146, ORA-01142, ORA-00959, ORA-01642, ORA-01149', async () => {
    const sb = sandbox(small);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.sql('alter tablespace users begin backup');
    const [f] = await sb.rows("select file#, name from v$datafile where ts# = (select ts# from v$tablespace where name = 'USERS')");
    assert.deepEqual(await sb.sqlError('alter tablespace users begin backup'), [`ORA-01146: cannot start online backup - file ${f![0]} is already in backup`, `ORA-01110: data file ${f![0]}: '${f![1]}'`]);
    assert.deepEqual((await sb.sqlError('alter system switch logfile').catch(() => ['none'])), ['none']);
    assert.deepEqual(await sb.rows("select status from v$backup where status = 'ACTIVE'"), [['ACTIVE']]);
    const stop = sb.sim('stop');
    assert.equal(stop.code, 1);
    assert.match(stop.err, /ORA-01149: cannot shutdown - file \d+ has online backup set/);
    await sb.sql('alter tablespace users end backup');
    assert.deepEqual(await sb.sqlError('alter tablespace users end backup'), ['ORA-01142: cannot end online backup - none of the files are in backup']);
    assert.deepEqual(await sb.sqlError('alter tablespace nosuch begin backup'), ["ORA-00959: tablespace 'NOSUCH' does not exist"]);
    await sb.sql('alter tablespace "users data" read only');
    assert.deepEqual(await sb.sqlError('alter tablespace "users data" begin backup'), ["ORA-01642: begin backup not needed for read only tablespace 'users data'"]);
    assert.equal(sb.sim('stop').code, 0);
    assert.match((await sb.sqlError('select * from v$database').catch((e) => [String(e)])).join(' '), /not running|ORA-01034/);
  });

  it('NOARCHIVELOG database refuses BEGIN BACKUP with ORA-01123', async () => {
    const sb = sandbox([...small, '--noarchivelog']);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    const e = await sb.sqlError('alter tablespace users begin backup');
    assert.equal(e[0], 'ORA-01123: cannot start online backup; media recovery not enabled');
    assert.deepEqual(await sb.rows('select log_mode from v$database'), [['NOARCHIVELOG']]);
  });

  it('crash with a file in backup mode: ORA-10873 until END BACKUP, then OPEN with crash recovery', async () => {
    const sb = sandbox(small);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'workload', rate: 1000 });
    await sb.sql('alter tablespace users begin backup');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(sb.sim('crash').code, 0);
    const st = sb.sim('start');
    assert.equal(st.code, 1);
    assert.match(st.out, /^ORA-10873: file \d+ needs to be either taken out of backup mode or media recovered$/m);
    assert.deepEqual(await sb.rows('select open_mode from v$database'), [['MOUNTED']]);
    await sb.sql('alter database end backup');
    await sb.sql('alter database open');
    assert.deepEqual(await sb.rows('select open_mode from v$database'), [['READ WRITE']]);
    // production after crash recovery still matches the truth: a fresh backup recovers and verifies
    await sb.admin({ cmd: 'workload', rate: 800 });
    const { controlfile } = await manualBackup(sb);
    const r = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(r.ok, true, r.lines.join('\n'));
  });

  it('archive destination full: V$ARCHIVE_DEST shows the error, redo stops, resumes when cleared', async () => {
    const sb = sandbox(small);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'fault', fault: 'dest-full', dest: 1 });
    await sb.admin({ cmd: 'workload', rate: 2000 });
    let st: any;
    for (let i = 0; i < 100; i++) {
      st = await sb.admin({ cmd: 'status' });
      if (st.redoBlocked) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(st.redoBlocked, true);
    const [[status, err]] = await sb.rows('select status, error from v$archive_dest where dest_id = 1');
    assert.equal(status, 'ERROR');
    assert.match(String(err), /^ORA-19502: write error on file/);
    assert.deepEqual(await sb.rows("select archiver from v$instance"), [['FAILED']]);
    await sb.admin({ cmd: 'fault', fault: 'dest-full', dest: 1, on: false });
    await sb.sql('alter system archive log current');
    assert.deepEqual(await sb.rows('select status from v$archive_dest where dest_id = 1'), [['VALID']]);
  });

  it('a datafile added during the backup stops standby recovery with ORA-01274', async () => {
    const sb = sandbox(small);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'workload', rate: 800 });
    // the standby controlfile is taken before the file is added
    const cf = path.join(sb.dr, 'early.ctl');
    await sb.sql(`alter database create standby controlfile as '${cf}'`);
    const newFile = path.join(sb.root, 'u04', 'oradata', 'DBPROD', 'users02 new.dbf');
    await manualBackup(sb, {
      afterCopy: async (ts) => {
        if (ts === 'USERS') await sb.sql(`alter tablespace users add datafile '${newFile}' size 1M`);
      },
    });
    const r = recoverStandby({ controlfile: cf, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(r.ok, false);
    assert.ok(r.lines.includes(`ORA-01274: cannot add data file that was originally created as '${newFile}'`), r.lines.join('\n'));
  });
});
