// The standby instance on the DR side, driven through the fake `sqlplus / as sysdba` as the
// product's apply_standby will drive it: STARTUP NOMOUNT, MOUNT STANDBY DATABASE, RECOVER
// AUTOMATIC STANDBY DATABASE with the Specify log prompt, OPEN READ ONLY, SHUTDOWN and again
// in one session, while production runs; verify identical at the end.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { manualBackup, sandbox, type Sandbox } from './instance/testkit.ts';
import { shipNewLogs, standbyInit, type Standby } from './standby/testkit.ts';
import { verifyStandby } from './verify.ts';

const boxes: Sandbox[] = [];
const standbys: Standby[] = [];
after(() => {
  standbys.forEach((s) => s.cleanup());
  boxes.forEach((b) => b.cleanup());
});

const PROMPT = 'Specify log: {<RET>=suggested | filename | AUTO | CANCEL}';

describe('standby instance through sqlplus on the DR side', () => {
  it('nomount, mount standby, recover in a loop under load, open read only, shut down, mount and recover again in one session, verify identical', async () => {
    const sb = sandbox(['--tablespaces', '2', '--datafiles', '6', '--size', '64', '--seed', '5', '--log-size', '64K']);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'workload', rate: 800 });
    const { controlfile } = await manualBackup(sb);
    const st = standbyInit(sb, controlfile);
    standbys.push(st);
    const p = st.sqlplus();
    // STARTUP NOMOUNT really is NOMOUNT
    const up = await p.run('startup nomount', { cmd: true });
    assert.deepEqual(up.lines.filter((l) => /^(ORACLE|Database)/.test(l)), ['ORACLE instance started.']);
    assert.deepEqual(await p.rows('select status from v$instance'), ['STARTED']);
    assert.deepEqual(await p.error('select controlfile_type from v$database'), ['ORA-01507: database not mounted']);
    await p.exec('alter database mount standby database');
    assert.deepEqual(await p.rows("select controlfile_type || ' ' || database_role || ' ' || open_mode from v$database"), ['STANDBY PHYSICAL STANDBY MOUNTED']);
    assert.deepEqual(await p.rows('select status from v$instance'), ['MOUNTED']);
    // RECOVER DATABASE without STANDBY on a standby controlfile
    const plain = await p.run('recover automatic database', { cmd: true });
    assert.ok(plain.lines.includes('ORA-01666: control file is for a standby database'), plain.lines.join('\n'));
    // managed recovery is an Enterprise Edition feature
    assert.deepEqual(await p.error('alter database recover managed standby database disconnect from session'), ['ORA-00439: feature not enabled: Managed Standby']);
    const managed = await p.run('recover managed standby database cancel', { cmd: true });
    assert.ok(managed.lines.includes('ORA-00439: feature not enabled: Managed Standby'), managed.lines.join('\n'));
    // pass 1: the shipped logs, then the prompt at the first missing one, answered CANCEL
    let r = await p.run('recover automatic standby database\ncancel', { cmd: true });
    assert.ok(r.lines.some((l) => /^ORA-00279: change \d+ generated at \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d needed for thread 1$/.test(l)), r.lines.join('\n'));
    assert.ok(r.lines.some((l) => l.startsWith(`ORA-00289: suggestion : ${sb.drArch}/1_`)), r.lines.join('\n'));
    const missing = r.lines.findIndex((l) => l.startsWith('ORA-00308: cannot open archived log'));
    assert.ok(missing > 0, r.lines.join('\n'));
    assert.deepEqual(r.lines.slice(missing + 1, missing + 4), ['ORA-27037: unable to obtain file status', 'Linux-x86_64 Error: 2: No such file or directory', 'Additional information: 7']);
    assert.equal(r.lines.filter((l) => l === PROMPT).length, 1, r.lines.join('\n'));
    assert.equal(r.lines.at(-1), 'Media recovery cancelled.');
    const applied1 = Number((await p.rows("select count(*) from v$archived_log where applied = 'YES'"))[0]);
    assert.ok(applied1 >= 1, 'V$ARCHIVED_LOG.APPLIED on the standby');
    assert.ok(Number((await p.rows('select count(*) from v$log_history'))[0]) >= applied1);
    const scn1 = Number((await p.rows('select to_char(current_scn) from v$database'))[0]);
    assert.ok(scn1 > 0);
    // the loop while production runs: ship what is new, recover again
    for (let pass = 0; pass < 2; pass++) {
      await sb.sql('alter system archive log current');
      assert.ok(shipNewLogs(sb).length >= 1);
      r = await p.run('set autorecovery on\nrecover standby database\ncancel', { cmd: true });
      assert.equal(r.lines.at(-1), 'Media recovery cancelled.', r.lines.join('\n'));
    }
    const scn2 = Number((await p.rows('select to_char(current_scn) from v$database'))[0]);
    assert.ok(scn2 > scn1, `the standby moved on: ${scn1} -> ${scn2}`);
    assert.deepEqual(await p.rows('select to_char(count(*)) from v$recover_file'), ['0']);
    // the drill: open read only, shut down, mount again and recover, all in this session
    await p.exec('alter database open read only');
    assert.deepEqual(await p.rows('select open_mode from v$database'), ['READ ONLY']);
    const down = await p.run('shutdown immediate', { cmd: true });
    assert.ok(down.lines.includes('ORACLE instance shut down.'), down.lines.join('\n'));
    const again = await p.run('startup nomount', { cmd: true });
    assert.ok(again.lines.includes('ORACLE instance started.'), again.lines.join('\n'));
    await p.exec('alter database mount standby database');
    await sb.sql('alter system archive log current');
    shipNewLogs(sb);
    r = await p.run('recover automatic standby database\ncancel', { cmd: true });
    assert.equal(r.lines.at(-1), 'Media recovery cancelled.', r.lines.join('\n'));
    await p.run('shutdown immediate', { cmd: true });
    const mount = await p.run('startup mount', { cmd: true });
    assert.ok(mount.lines.includes('Database mounted.'), mount.lines.join('\n'));
    assert.deepEqual(await p.rows('select database_role from v$database'), ['PHYSICAL STANDBY']);
    // the end: production quiet, the last logs shipped and applied, then verify
    await sb.admin({ cmd: 'workload', stop: true });
    await sb.sql('alter system archive log current');
    shipNewLogs(sb);
    r = await p.run('recover automatic standby database\ncancel', { cmd: true });
    assert.equal(r.lines.at(-1), 'Media recovery cancelled.', r.lines.join('\n'));
    await p.run('shutdown immediate', { cmd: true });
    const v = verifyStandby({ home: st.home, sid: st.sid });
    assert.equal(v.ok, true, v.lines.join('\n'));
    assert.equal(await p.close(), 0);
  });

  it('refuses OPEN READ ONLY while the copies need more recovery (ORA-10458), and the prompt in manual mode', async () => {
    const sb = sandbox(['--tablespaces', '1', '--datafiles', '3', '--size', '48', '--seed', '6', '--log-size', '64K']);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'workload', rate: 500 });
    const { controlfile } = await manualBackup(sb);
    // ship none of the logs: the backup-mode copies stay fuzzy
    for (const f of fs.readdirSync(sb.drArch)) fs.rmSync(path.join(sb.drArch, f));
    const st = standbyInit(sb, controlfile);
    standbys.push(st);
    const p = st.sqlplus();
    await p.run('startup nomount', { cmd: true });
    await p.exec('alter database mount standby database');
    // manual mode: the prompt comes first, CANCEL stops before anything is applied
    let r = await p.run('recover standby database\ncancel', { cmd: true });
    assert.deepEqual(r.lines.slice(-2), [PROMPT, 'Media recovery cancelled.'], r.lines.join('\n'));
    assert.ok(r.lines[0]!.startsWith('ORA-00279: change '), r.lines.join('\n'));
    const e = await p.error('alter database open read only');
    assert.equal(e[0], 'ORA-10458: standby database requires recovery');
    assert.match(e[1]!, /^ORA-01195: online backup of file \d+ needs more recovery to be consistent$/);
    assert.match(e[2]!, /^ORA-01110: data file \d+: '/);
    assert.ok(Number((await p.rows('select count(*) from v$recover_file'))[0]) >= 1);
    assert.deepEqual(await p.rows("select distinct fuzzy from v$datafile_header where file# in (select file# from v$datafile where name like '%users%')"), ['YES']);
    // a file with the suggested name but another log's content
    const want = /suggestion : (.*)$/.exec(r.lines.find((l) => l.startsWith('ORA-00289'))!)![1]!;
    const wantSeq = Number(/sequence #(\d+)$/.exec(r.lines.find((l) => l.startsWith('ORA-00280'))!)![1]);
    await sb.sql('alter system archive log current');
    const other = (await sb.rows(`select name from v$archived_log where dest_id = 1 and sequence# <> ${wantSeq} order by sequence# desc`))[0]![0];
    fs.copyFileSync(String(other), want);
    r = await p.run('recover automatic standby database\ncancel', { cmd: true });
    assert.ok(r.lines.some((l) => /^ORA-00310: archived log contains sequence \d+; sequence \d+ required$/.test(l)), r.lines.join('\n'));
    assert.ok(r.lines.includes(`ORA-00334: archived log: '${want}'`), r.lines.join('\n'));
    assert.equal(await p.close(), 0);
  });
});
