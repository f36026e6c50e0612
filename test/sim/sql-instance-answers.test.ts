// The real instance's views through the SQL engine (issue 6, items 6–8): names resolve as
// Oracle resolves them, SCNs stay exact, DATEs have whole seconds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sandbox, type Sandbox } from './instance/testkit.ts';
import { viewNames } from './instance/views.ts';

describe('SQL answers of the simulated instance', () => {
  let sb: Sandbox;
  before(async () => {
    sb = sandbox(['--tablespaces', '1', '--datafiles', '3', '--size', '16', '--log-size', '64K']);
    assert.equal(sb.sim('start').code, 0);
  });
  after(() => sb.cleanup());

  it('a quoted lower-case name or another owner is ORA-00942; SYS, V_$ and quoted upper-case names reach the view', async () => {
    assert.deepEqual(await sb.sqlError('select count(*) from "v$database"'), ['ORA-00942: table or view does not exist']);
    assert.deepEqual(await sb.sqlError('select count(*) from scott.v$database'), ['ORA-00942: table or view does not exist']);
    assert.deepEqual(await sb.sqlError('select count(*) from "sys".v$database'), ['ORA-00942: table or view does not exist']);
    assert.deepEqual(await sb.sqlError('select count(*) from "dba_tablespaces"'), ['ORA-00942: table or view does not exist']);
    for (const name of ['v$database', '"V$DATABASE"', 'SYS.V$DATABASE', 'sys.v_$database', 'V_$DATABASE', '"SYS"."V$DATABASE"']) {
      assert.deepEqual(await sb.rows(`select count(*) from ${name}`), [[1]], name);
    }
  });

  it('the CURRENT log NEXT_CHANGE# is exactly 2^64-1 in TO_CHAR, arithmetic and predicates', async () => {
    assert.deepEqual(await sb.rows(`select to_char(next_change#), to_char(next_change# - first_change#  + first_change#) from v$log where status = 'CURRENT'`),
      [['18446744073709551615', '18446744073709551615']]);
    assert.deepEqual(await sb.rows(`select count(*) from v$log where status = 'CURRENT' and next_change# > 18446744073709551614 and next_change# > 9007199254740993`), [[1]]);
    assert.deepEqual(await sb.rows(`select count(*) from v$log where next_change# = 18446744073709551614`), [[0]]);
  });

  it('every DATE a view gives has whole seconds: lags are whole seconds and COMPLETION_TIME is never after SYSDATE', async () => {
    await sb.sql('alter system archive log current');
    assert.deepEqual(await sb.rows('select count(*) from v$archived_log where completion_time > sysdate'), [[0]]);
    await sb.sql('alter system archive log current');
    assert.deepEqual(await sb.rows('select count(*) from v$archived_log where completion_time > sysdate or next_time > sysdate'), [[0]]);
    for (const [lag] of await sb.rows('select to_char(round((next_time - first_time) * 86400, 6)) from v$archived_log')) assert.match(String(lag), /^\d+$/);
    let dates = 0;
    for (const name of viewNames()) {
      const r = await sb.admin({ cmd: 'view', name }); // the view's own cells, not the engine's
      r.columns.forEach((c: { name: string; type?: string }, i: number) => {
        if (c.type !== 'DATE') return;
        for (const row of r.rows) {
          if (row[i] === null) continue;
          dates++;
          assert.match(String(row[i]), /T\d\d:\d\d:\d\d\.000Z$/, `${name}.${c.name}`);
        }
      });
    }
    assert.ok(dates >= 10, `only ${dates} DATE values seen`);
  });
});
