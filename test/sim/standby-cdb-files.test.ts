// The standby of a CDB and a datafile added on production inside a PDB (STANDBY_FILE_MANAGEMENT
// MANUAL): recovery stops with ORA-01274, the UNNAMED file belongs to that PDB (CON_ID from the
// redo, not from a tablespace of the same name in another container), and CREATE DATAFILE / RENAME
// FILE act on the current container only (SQL Language Reference 19c, ALTER DATABASE, "Notes on
// Using ALTER DATABASE in a CDB": database_file_clauses with the root current modify the root
// only): from the root the PDB's file is ORA-01516 "... in the current container"; after ALTER
// SESSION SET CONTAINER = <pdb> (the PDB is MOUNTED, as on a mounted standby) it is created and
// recovery goes on.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { manualBackupCdb } from './instance/testkit-cdb.ts';
import { sandbox, type Sandbox } from './instance/testkit.ts';
import { shipNewLogs, standbyInit, type Standby } from './standby/testkit.ts';
import { verifyStandby } from './verify.ts';

const boxes: Sandbox[] = [];
const standbys: Standby[] = [];
after(() => {
  standbys.forEach((s) => s.cleanup());
  boxes.forEach((b) => b.cleanup());
});

const recoverCancel = async (p: ReturnType<Standby['sqlplus']>) => (await p.run('recover automatic standby database\ncancel', { cmd: true })).lines;

describe('standby of a CDB: a datafile added in a PDB', () => {
  it('stops recovery with ORA-01274; the UNNAMED file is the PDB\'s; CREATE DATAFILE from the root is ORA-01516, from the PDB it works and recovery goes on', async () => {
    const sb = sandbox(['--cdb', '--pdbs', '2', '--tablespaces', '1', '--size', '32', '--log-size', '64K']);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'workload', rate: 400 });
    const { controlfile } = await manualBackupCdb(sb);
    const st = standbyInit(sb, controlfile);
    standbys.push(st);
    const p = st.sqlplus();
    await p.run('startup nomount', { cmd: true });
    await p.exec('alter database mount standby database');
    assert.equal((await recoverCancel(p)).at(-1), 'Media recovery cancelled.');

    // USERS is TS# 4 in the root and in every PDB: the file goes to PDB1's
    const users = String((await sb.rows("select file_name from dba_data_files where tablespace_name = 'USERS'", 'PDB1'))[0]![0]);
    const added = path.join(path.dirname(users), 'users_pdb1_02.dbf');
    await sb.sql(`alter tablespace users add datafile '${added}' size 256K`, 'PDB1');
    const [fileNo] = (await sb.rows(`select to_char(file#) from v$datafile where name = '${added}'`))[0]!;
    await new Promise((r) => setTimeout(r, 300));
    await sb.sql('alter system archive log current');
    shipNewLogs(sb);
    let lines = await recoverCancel(p);
    assert.ok(lines.includes(`ORA-01274: cannot add data file that was originally created as '${added}'`), lines.join('\n'));
    const unnamed = path.join(st.home, 'dbs', `UNNAMED${String(fileNo).padStart(5, '0')}`);
    assert.deepEqual(await p.rows(`select file# || ' ' || con_id || ' ' || name from v$datafile where name like '%UNNAMED%'`), [`${fileNo} 3 ${unnamed}`]);

    // from the root (a new sqlplus session starts there): the PDB's file does not exist in the current container
    const drName = sb.dr + added.slice(sb.root.length);
    assert.deepEqual(await p.error(`alter database create datafile '${unnamed}' as '${drName}'`), [`ORA-01516: nonexistent log file, data file, or temporary file "${unnamed}" in the current container`]);
    assert.deepEqual(await p.error(`alter database rename file '${unnamed}' to '${drName}'`), [`ORA-01516: nonexistent log file, data file, or temporary file "${unnamed}" in the current container`]);
    assert.deepEqual(await p.error('alter session set container = NOPDB'), ['ORA-65011: Pluggable database NOPDB does not exist.']);
    lines = await recoverCancel(p);
    assert.ok(lines.includes(`ORA-01111: name for data file ${fileNo} is unknown - rename to correct file`), lines.join('\n'));

    // in PDB1 (MOUNTED): created; back in the root, recovery goes on
    await p.exec('alter session set container = PDB1');
    assert.deepEqual(await p.rows("select sys_context('USERENV', 'CON_NAME') from dual"), ['PDB1']);
    await p.exec(`alter database create datafile '${unnamed}' as '${drName}'`);
    await p.exec('alter session set container = CDB$ROOT');
    lines = await recoverCancel(p);
    assert.equal(lines.at(-1), 'Media recovery cancelled.', lines.join('\n'));
    assert.deepEqual(await p.rows(`select name from v$datafile where file# = ${fileNo}`), [drName]);

    await sb.admin({ cmd: 'workload', stop: true });
    await sb.sql('alter system archive log current');
    shipNewLogs(sb);
    assert.equal((await recoverCancel(p)).at(-1), 'Media recovery cancelled.');
    assert.equal(st.sim('stop').code, 0);
    const v = verifyStandby({ home: st.home, sid: st.sid });
    assert.equal(v.ok, true, v.lines.join('\n'));
  });
});
