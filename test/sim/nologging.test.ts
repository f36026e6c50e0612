// NOLOGGING as Oracle does it: a direct-path load into a NOLOGGING object writes only an
// invalidation record unless the database or the tablespace is in FORCE LOGGING mode;
// UNRECOVERABLE_CHANGE# moves only in ARCHIVELOG mode; the standby marks the blocks
// (FIRST_NONLOGGED_SCN, V$NONLOGGED_BLOCK) and reading one gives ORA-01578 + ORA-26040.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { request } from './instance/socket.ts';
import { stateDir } from './instance/control.ts';
import { manualBackup, sandbox, type Sandbox } from './instance/testkit.ts';
import { shipNewLogs, standbyInit, type Standby } from './standby/testkit.ts';
import { verifyStandby } from './verify.ts';

const boxes: Sandbox[] = [];
const standbys: Standby[] = [];
after(() => {
  standbys.forEach((s) => s.cleanup());
  boxes.forEach((b) => b.cleanup());
});

const unrecoverable = async (sb: Sandbox) => Number((await sb.rows("select max(unrecoverable_change#) from v$datafile d, v$tablespace t where d.ts# = t.ts# and t.name = 'USERS'"))[0]![0]);

describe('NOLOGGING', () => {
  it('UNRECOVERABLE_CHANGE# moves only in ARCHIVELOG mode', async () => {
    const sb = sandbox(['--tablespaces', '1', '--datafiles', '2', '--size', '32', '--noarchivelog']);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    const r = sb.sim('load', '--tablespace', 'USERS', '--blocks', '3', '--nologging');
    assert.equal(r.code, 0, r.err + r.out);
    assert.equal(await unrecoverable(sb), 0);
  });

  it('tablespace NOLOGGING, FORCE LOGGING of the tablespace and of the database; the standby reads ORA-01578/ORA-26040', async () => {
    const sb = sandbox(['--tablespaces', '1', '--datafiles', '2', '--size', '32', '--log-size', '64K']);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.sql('alter tablespace users nologging');
    assert.deepEqual(await sb.rows("select logging, force_logging from dba_tablespaces where tablespace_name = 'USERS'"), [['NOLOGGING', 'NO']]);
    // FORCE LOGGING of the tablespace wins over the NOLOGGING attribute
    await sb.sql('alter tablespace users force logging');
    assert.deepEqual(await sb.rows("select force_logging from dba_tablespaces where tablespace_name = 'USERS'"), [['YES']]);
    assert.deepEqual(await sb.sqlError('alter tablespace users force logging'), ['ORA-12916: cannot force logging of tablespace USERS: it is already in force logging mode']);
    assert.equal(sb.sim('load', '--tablespace', 'USERS', '--blocks', '3').code, 0);
    assert.equal(await unrecoverable(sb), 0);
    await sb.sql('alter tablespace users no force logging');
    // and the database's
    await sb.sql('alter database force logging');
    assert.deepEqual(await sb.rows('select force_logging from v$database'), [['YES']]);
    assert.equal(sb.sim('load', '--tablespace', 'USERS', '--blocks', '3').code, 0);
    assert.equal(await unrecoverable(sb), 0);
    await sb.sql('alter database no force logging');
    // the standby copy, then a direct-path load into the NOLOGGING tablespace
    const { controlfile } = await manualBackup(sb);
    const st = standbyInit(sb, controlfile);
    standbys.push(st);
    const load = JSON.parse(sb.sim('load', '--tablespace', 'USERS', '--blocks', '4').out);
    assert.ok(await unrecoverable(sb) > 0);
    assert.ok((await sb.rows("select unrecoverable_time from v$datafile where unrecoverable_change# > 0"))[0]![0] !== null);
    assert.deepEqual(await sb.rows('select max(first_nonlogged_scn) from v$datafile'), [[0]]);
    await sb.sql('alter system archive log current');
    shipNewLogs(sb);
    const p = st.sqlplus();
    await p.run('startup mount', { cmd: true });
    const r = await p.run('recover automatic standby database\ncancel', { cmd: true });
    assert.equal(r.lines.at(-1), 'Media recovery cancelled.', r.lines.join('\n'));
    const file = Number(load.file);
    const [first] = await p.rows(`select to_char(first_nonlogged_scn) from v$datafile where file# = ${file}`);
    assert.ok(Number(first) > 0, `FIRST_NONLOGGED_SCN on the standby: ${first}`);
    const ranges = await p.rows(`select file# || ':' || block# || ':' || blocks from v$nonlogged_block order by block#`);
    assert.ok(ranges.length >= 1 && ranges.every((x) => x.startsWith(`${file}:`)), ranges.join(' '));
    const block = Number(ranges[0]!.split(':')[1]);
    await p.exec('alter database open read only');
    const dir = stateDir(st.home, st.sid);
    const read = await request(dir, { op: 'admin', cmd: 'read-block', file, block });
    assert.equal(read.ok, false);
    assert.deepEqual(read.error.lines.slice(0, 3), [
      `ORA-01578: ORACLE data block corrupted (file # ${file}, block # ${block})`,
      `ORA-01110: data file ${file}: '${sb.dr}${String((await sb.rows(`select name from v$datafile where file# = ${file}`))[0]![0]).slice(sb.root.length)}'`,
      'ORA-26040: Data block was loaded using the NOLOGGING option',
    ]);
    await p.run('shutdown immediate', { cmd: true });
    const v = verifyStandby({ home: st.home, sid: st.sid });
    assert.equal(v.ok, false);
    assert.ok(v.lines.includes(`verify: file ${file} block ${block}: ORA-01578: ORACLE data block corrupted (file # ${file}, block # ${block}); ORA-26040: Data block was loaded using the NOLOGGING option`), v.lines.join('\n'));
  });
});
