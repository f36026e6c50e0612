// The standby instance and its files and logs: a datafile added on production (ORA-01274,
// UNNAMEDnnnnn, CREATE DATAFILE AS), STANDBY_FILE_MANAGEMENT=AUTO, logs shipped under other
// names (REGISTER LOGFILE, RECOVER ... FROM), UNTIL CHANGE, and the standby of a CDB.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { manualBackupCdb } from './instance/testkit-cdb.ts';
import { manualBackup, sandbox, type Sandbox } from './instance/testkit.ts';
import { shipNewLogs, standbyInit, type Standby } from './standby/testkit.ts';
import { verifyStandby } from './verify.ts';

const boxes: Sandbox[] = [];
const standbys: Standby[] = [];
after(() => {
  standbys.forEach((s) => s.cleanup());
  boxes.forEach((b) => b.cleanup());
});

async function setup(createArgs: string[], initArgs: string[] = [], cdb = false) {
  const sb = sandbox(createArgs);
  boxes.push(sb);
  assert.equal(sb.sim('start').code, 0);
  await sb.admin({ cmd: 'workload', rate: 400 });
  const { controlfile } = cdb ? await manualBackupCdb(sb) : await manualBackup(sb);
  await sb.admin({ cmd: 'workload', stop: true });
  const st = standbyInit(sb, controlfile, initArgs);
  standbys.push(st);
  const p = st.sqlplus();
  await p.run('startup nomount', { cmd: true });
  await p.exec('alter database mount standby database');
  return { sb, st, p };
}

const recoverCancel = async (p: ReturnType<Standby['sqlplus']>, what = 'recover automatic standby database') => (await p.run(`${what}\ncancel`, { cmd: true })).lines;

describe('standby instance: files and logs', () => {
  it('a datafile added on production stops recovery with ORA-01274 and UNNAMEDnnnnn; CREATE DATAFILE AS lets it go on', async () => {
    const { sb, st, p } = await setup(['--tablespaces', '1', '--datafiles', '2', '--size', '32', '--log-size', '64K']);
    assert.equal((await recoverCancel(p)).at(-1), 'Media recovery cancelled.');
    const users = String((await sb.rows("select file_name from dba_data_files where tablespace_name = 'USERS'"))[0]![0]);
    const added = path.join(path.dirname(users), 'users_added01.dbf');
    await sb.sql(`alter tablespace users add datafile '${added}' size 256K`);
    await sb.admin({ cmd: 'workload', rate: 400 });
    await new Promise((r) => setTimeout(r, 300));
    await sb.sql('alter system archive log current');
    shipNewLogs(sb);
    let lines = await recoverCancel(p);
    // the error ends RECOVER: the script's next line (cancel) is then an unknown command, as in SQL*Plus
    const e = lines.indexOf('ORA-00283: recovery session canceled due to errors');
    assert.deepEqual(lines.slice(e, e + 2), ['ORA-00283: recovery session canceled due to errors', `ORA-01274: cannot add data file that was originally created as '${added}'`], lines.join('\n'));
    assert.equal(lines.at(-1), 'SP2-0042: unknown command "cancel" - rest of line ignored.');
    const [fileNo, unnamed] = (await p.rows(`select file# || ' ' || name from v$datafile where name like '%UNNAMED%'`))[0]!.split(' ');
    assert.equal(unnamed, path.join(st.home, 'dbs', `UNNAMED${fileNo!.padStart(5, '0')}`));
    // recovering again without creating the file: ORA-01111
    lines = await recoverCancel(p);
    assert.ok(lines.includes(`ORA-01111: name for data file ${fileNo} is unknown - rename to correct file`), lines.join('\n'));
    assert.equal((await p.error('alter database open read only'))[1], `ORA-01111: name for data file ${fileNo} is unknown - rename to correct file`);
    const drName = sb.dr + added.slice(sb.root.length);
    await p.exec(`alter database create datafile '${unnamed}' as '${drName}'`);
    lines = await recoverCancel(p);
    assert.equal(lines.at(-1), 'Media recovery cancelled.', lines.join('\n'));
    await sb.admin({ cmd: 'workload', stop: true });
    await sb.sql('alter system archive log current');
    shipNewLogs(sb);
    assert.equal((await recoverCancel(p)).at(-1), 'Media recovery cancelled.');
    await p.exec('alter database open read only');
    await p.run('shutdown immediate', { cmd: true });
    const v = verifyStandby({ home: st.home, sid: st.sid });
    assert.equal(v.ok, true, v.lines.join('\n'));
  });

  it('STANDBY_FILE_MANAGEMENT=AUTO creates the added file under its converted name and recovery goes on; RENAME FILE is refused', async () => {
    const { sb, st, p } = await setup(['--tablespaces', '1', '--datafiles', '2', '--size', '32', '--log-size', '64K'], ['--standby-file-management', 'AUTO']);
    const users = String((await sb.rows("select file_name from dba_data_files where tablespace_name = 'USERS'"))[0]![0]);
    const added = path.join(path.dirname(users), 'users_auto01.dbf');
    const drName = sb.dr + added.slice(sb.root.length);
    await sb.sql(`alter tablespace users add datafile '${added}' size 256K`);
    await sb.sql('alter system archive log current');
    shipNewLogs(sb);
    assert.equal((await recoverCancel(p)).at(-1), 'Media recovery cancelled.');
    assert.ok(fs.existsSync(drName));
    assert.deepEqual(await p.error(`alter database rename file '${drName}' to '/x'`), ['ORA-01275: Operation RENAME is not allowed if standby file management is automatic.']);
    await p.run('shutdown immediate', { cmd: true });
    assert.equal(verifyStandby({ home: st.home, sid: st.sid }).ok, true);
  });

  it('logs shipped under other names: RECOVER AUTOMATIC does not find them; REGISTER LOGFILE or FROM makes it apply them', async () => {
    const { sb, p } = await setup(['--tablespaces', '1', '--datafiles', '2', '--size', '32', '--log-size', '64K']);
    // rename every shipped log: the suggested names are gone
    const other = path.join(sb.base, 'elsewhere');
    fs.mkdirSync(other);
    const renamed: string[] = [];
    for (const f of fs.readdirSync(sb.drArch).sort()) {
      const to = path.join(sb.drArch, `shipped_${f.split('_')[1]}.arc`);
      fs.renameSync(path.join(sb.drArch, f), to);
      fs.copyFileSync(to, path.join(other, f));
      renamed.push(to);
    }
    let lines = await recoverCancel(p);
    assert.equal(lines.filter((l) => l.startsWith('ORA-00308')).length, 1);
    assert.equal(lines.some((l) => l.startsWith('ORA-00278')), false, 'nothing applied: ' + lines.join('\n'));
    assert.deepEqual(await p.rows("select to_char(count(*)) from v$archived_log where applied = 'YES'"), ['0']);
    // RECOVER AUTOMATIC FROM 'dir' finds them under their format names there
    lines = await recoverCancel(p, `recover automatic from '${other}' standby database`);
    assert.ok(lines.some((l) => l.startsWith(`ORA-00278: log file '${other}/`)), lines.join('\n'));
    // more logs, shipped renamed, registered: the suggestion is the registered name
    await sb.sql('alter system archive log current');
    for (const seq of shipNewLogs(sb)) {
      const f = fs.readdirSync(sb.drArch).find((n) => n.startsWith(`1_${seq}_`))!;
      const to = path.join(sb.drArch, `late_${seq}.arc`);
      fs.renameSync(path.join(sb.drArch, f), to);
      await p.exec(`alter database register logfile '${to}'`);
      assert.deepEqual(await p.error(`alter database register logfile '${to}'`), ['ORA-16089: archive log has already been registered']);
    }
    lines = await recoverCancel(p);
    assert.ok(lines.some((l) => /^ORA-00289: suggestion : .*late_\d+\.arc$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^ORA-00278: log file '.*late_\d+\.arc' no longer needed for this recovery$/.test(l)), lines.join('\n'));
    assert.deepEqual(await p.error(`alter database register logfile '${path.join(sb.base, 'nothing.arc')}'`), [`ORA-00308: cannot open archived log '${path.join(sb.base, 'nothing.arc')}'`, 'ORA-27037: unable to obtain file status']);
  });

  it('RECOVER STANDBY DATABASE UNTIL CHANGE stops there: Media recovery complete., CURRENT_SCN is that change', async () => {
    const { sb, p } = await setup(['--tablespaces', '1', '--datafiles', '2', '--size', '32', '--log-size', '64K']);
    const [[first, next]] = await sb.rows('select first_change#, next_change# from v$archived_log where dest_id = 1 and sequence# = (select max(sequence#) from v$archived_log)');
    const scn = Math.floor((Number(first) + Number(next)) / 2);
    const r = await p.run(`recover automatic standby database until change ${scn}`, { cmd: true });
    assert.equal(r.lines.at(-1), 'Media recovery complete.', r.lines.join('\n'));
    assert.equal(r.lines.some((l) => l.startsWith('ORA-00308')), false);
    assert.deepEqual(await p.rows('select to_char(current_scn) from v$database'), [String(scn)]);
    // the rest of the log is applied by the next RECOVER
    const lines = await recoverCancel(p);
    assert.equal(lines.at(-1), 'Media recovery cancelled.', lines.join('\n'));
    assert.ok(Number((await p.rows('select to_char(current_scn) from v$database'))[0]) >= Number(next));
  });

  it('manual RECOVER: <RET> applies the suggestion, a file name applies that file, a wrong one ends with ORA-00310', async () => {
    const { sb, p } = await setup(['--tablespaces', '1', '--datafiles', '2', '--size', '32', '--log-size', '64K']);
    await sb.sql('alter system archive log current');
    await sb.sql('alter system archive log current');
    shipNewLogs(sb);
    const suggestions = (lines: string[]) => lines.filter((l) => l.startsWith('ORA-00289: suggestion : ')).map((l) => l.slice('ORA-00289: suggestion : '.length));
    // the first log by <RET>
    let r = await p.run('recover standby database\n\ncancel', { cmd: true });
    assert.equal(r.lines.filter((l) => l === 'Specify log: {<RET>=suggested | filename | AUTO | CANCEL}').length, 2, r.lines.join('\n'));
    assert.equal(r.lines.filter((l) => l.startsWith('ORA-00278')).length, 1, r.lines.join('\n'));
    assert.equal(r.lines.includes('Log applied.'), false);
    assert.equal(r.lines.at(-1), 'Media recovery cancelled.');
    const [first, second] = suggestions(r.lines);
    const pass1 = r.lines.join('\n');
    // the next one by its name
    r = await p.run(`recover standby database\n${second}\ncancel`, { cmd: true });
    assert.ok(r.lines.includes(`ORA-00278: log file '${second}' no longer needed for this recovery`), `${pass1}\n----\n${r.lines.join('\n')}`);
    assert.equal(r.lines.at(-1), 'Media recovery cancelled.');
    // the next log asked for, answered with an older one: ORA-00310, the RECOVER ends
    r = await p.run(`recover standby database\n${first}`, { cmd: true });
    assert.ok(r.lines.some((l) => /^ORA-00310: archived log contains sequence \d+; sequence \d+ required$/.test(l)), r.lines.join('\n'));
    assert.ok(r.lines.includes(`ORA-00334: archived log: '${first}'`), r.lines.join('\n'));
  });

  it('the standby of a CDB: V$DATAFILE with CON_ID for every container, recovered and verified', async () => {
    const { st, p } = await setup(['--cdb', '--pdbs', '2', '--tablespaces', '1', '--size', '32', '--log-size', '64K'], [], true);
    assert.deepEqual(await p.rows('select distinct to_char(con_id) from v$datafile order by 1'), ['1', '2', '3', '4']);
    assert.equal((await recoverCancel(p)).at(-1), 'Media recovery cancelled.');
    assert.deepEqual(await p.rows("select cdb || ' ' || database_role from v$database"), ['YES PHYSICAL STANDBY']);
    await p.exec('alter database open read only');
    assert.deepEqual(await p.rows("select open_mode from v$pdbs where name = 'PDB1'"), ['READ ONLY']);
    // sim stop: SHUTDOWN IMMEDIATE and the instance process ends
    const stop = st.sim('stop');
    assert.equal(stop.code, 0, stop.err);
    assert.match(st.sim('status').err, /not running/);
    const v = verifyStandby({ home: st.home, sid: st.sid });
    assert.equal(v.ok, true, v.lines.join('\n'));
  });
});
