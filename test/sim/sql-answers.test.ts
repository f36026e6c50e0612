// SQL the engine must answer right or refuse loudly (issue 6, items 6–9): name resolution,
// exact NUMBERs, whole-second DATEs, and valid SQL it does not support. Engine level, over
// the in-memory fixture; the same rules through the real instance are in sql-instance-answers.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSql, OraError, type Cell, type SqlResult } from './sql/index.ts';
import { FixtureTarget, T0 } from './sql/testing/fixture.ts';

async function rows(sql: string, t = new FixtureTarget()): Promise<Cell[][]> {
  const r = await executeSql(sql, t);
  assert.equal(r.type, 'rows');
  return (r as SqlResult & { type: 'rows' }).rows;
}

async function oraError(sql: string, t = new FixtureTarget()): Promise<OraError> {
  try {
    await executeSql(sql, t);
  } catch (e) {
    assert.ok(e instanceof OraError, String(e));
    return e;
  }
  assert.fail(`no error for: ${sql}`);
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymdhms = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

// ---- item 6: names -------------------------------------------------------------------------

test('dictionary views are SYS objects: a wrong owner or a wrongly-cased quoted name is ORA-00942', async () => {
  for (const [sql, pos] of [
    ['select count(*) from scott.v$database', 21],
    ['select count(*) from "sys".v$database', 21],
    ['select count(*) from system.dual', 21],
    ['select count(*) from sys."v$database"', 21],
  ] as const) {
    const e = await oraError(sql);
    assert.equal(e.lines[0], 'ORA-00942: table or view does not exist', sql);
    assert.equal(e.position, pos, sql);
  }
  for (const sql of ['select count(*) from v$database', 'select count(*) from "V$DATABASE"', 'select count(*) from sys.v$database',
    'select count(*) from SYS.V_$DATABASE', 'select count(*) from v_$database', 'select count(*) from "SYS"."V$DATABASE"',
    'select count(*) from "DUAL"', 'select count(*) from sys.dual', 'select count(*) from sys.dba_tablespaces']) {
    assert.deepEqual(await rows(sql), [[sql.endsWith('dba_tablespaces') ? 5 : 1]], sql);
  }
  // a schema-qualified name never reaches a WITH query of the same name
  assert.equal((await oraError('with x as (select 1 n from dual) select n from sys.x')).lines[0], 'ORA-00942: table or view does not exist');
  assert.deepEqual(await rows('with x as (select 1 n from dual) select n from x'), [[1]]);
  // PUBLIC is a reserved word, not a schema one can name
  assert.equal((await oraError('select count(*) from public.v$database')).lines[0], 'ORA-00903: invalid table name');
  // DML against a view that does not exist is ORA-00942, against a fixed view ORA-02030
  assert.equal((await oraError('delete from "v$datafile"')).lines[0], 'ORA-00942: table or view does not exist');
  assert.equal((await oraError('delete from sys.v$datafile')).lines[0], 'ORA-02030: can only select from fixed tables/views');
});

// ---- item 7: exact numbers ----------------------------------------------------------------

test('NUMBERs stay exact: SCNs above 2^53 through TO_CHAR, arithmetic and the result cells', async () => {
  assert.deepEqual(await rows(`select to_char(next_change#), next_change#, next_change# - 1, to_char(next_change# + 0) from v$log where status = 'CURRENT'`),
    [['18446744073709551615', 18446744073709551615n, 18446744073709551614n, '18446744073709551615']]);
  assert.deepEqual(await rows(`select to_char(next_change#, 'FM99999999999999999999'), to_char(next_change#, '99999999999999999999'),
    to_char(next_change#, 'XXXXXXXXXXXXXXXX'), to_char(first_change#, 'FM999,999,999,999,999,999') from v$log where status = 'CURRENT'`),
  [['18446744073709551615', ' 18446744073709551615', ' FFFFFFFFFFFFFFFF', '9,007,199,254,740,993']]);
  assert.deepEqual(await rows(`select to_char(18446744073709551615 / 2), to_char(1/4), to_char(0.1 + 0.2), to_char(-7/2),
    to_char(12345678901234567890123456789012345678 + 1), to_char(99999999999999999999999999999999999999 + 1), to_char(to_number('18446744073709551615') * 10) from dual`),
  [['9223372036854775807.5', '.25', '.3', '-3.5', '12345678901234567890123456789012345679', '100000000000000000000000000000000000000', '184467440737095516150']]);
  assert.deepEqual(await rows(`select 7/2, 0.1 + 0.2, 9007199254740993 from dual`), [[3.5, 0.3, 9007199254740993n]]);
  assert.deepEqual(await rows(`select mod(next_change#, 1000), trunc(next_change# / 1000), round(next_change#, -3), abs(-next_change#) from v$log where status = 'CURRENT'`),
    [[615, 18446744073709551n, 18446744073709552000n, 18446744073709551615n]]);
});

test('NUMBERs stay exact in predicates, sorting, DISTINCT, joins and aggregates', async () => {
  assert.deepEqual(await rows(`select sequence# from v$log where next_change# > 9007199254740992 order by 1`), [[17], [18]]);
  assert.deepEqual(await rows(`select sequence# from v$log where next_change# > 9007199254740993 order by 1`), [[18]]);
  assert.deepEqual(await rows(`select sequence# from v$log where next_change# = 9007199254740993`), [[17]]);
  assert.deepEqual(await rows(`select sequence# from v$log where next_change# = 9007199254740992`), [[16]]);
  assert.deepEqual(await rows(`select sequence# from v$log where next_change# between 9007199254740993 and 9007199254740993`), [[17]]);
  assert.deepEqual(await rows(`select sequence# from v$log where next_change# in ('9007199254740993', 1)`), [[17]]);
  assert.deepEqual(await rows(`select sequence# from v$log where next_change# - first_change# = 1`), [[17]]);
  assert.deepEqual(await rows(`select sequence# from v$log order by first_change# desc`), [[18], [17], [16]]);
  assert.deepEqual(await rows(`select count(distinct first_change#), count(distinct next_change# - 1) from v$log`), [[3, 3]]);
  assert.deepEqual(await rows(`select a.sequence#, b.sequence# from v$log a, v$log b where b.first_change# = a.next_change# order by 1`), [[16, 17], [17, 18]]);
  assert.deepEqual(await rows(`select max(next_change#), min(first_change#), to_char(sum(next_change#)), count(next_change#) from v$log`),
    [[18446744073709551615n, 9007199254740990, '18464758472219033600', 3]]);
  assert.deepEqual(await rows(`select to_char(round(avg(first_change#), 2)), to_char(avg(sequence#)), max(to_char(next_change#)) from v$log`),
    [['9007199254740991.67', '17', '9007199254740993']]);
  assert.deepEqual(await rows(`select greatest(next_change#, 1), least(first_change#, 9007199254740994) from v$log where sequence# = 17`),
    [[9007199254740993n, 9007199254740992n]]);
});

test("NUMBER arithmetic rounds to Oracle's 20 base-100 digits, so Oracle's well-known surprises happen here too", async () => {
  // 1/3*3 is .9999999999999999999999999999999999999999 (DUMP: 20 bytes of 99), shown as 1 by SQL*Plus
  assert.deepEqual(await rows(`select to_char(1/3*3), ceil(1/3*3), trunc(1/3*3) from dual where 1/3*3 <> 1`), [['.9999999999999999999999999999999999999999', 1, 0]]);
  // a whole number of minutes between two DATEs, times 1440, can land just above it (CEIL adds a minute)
  assert.deepEqual(await rows(`select ceil((to_date('05-SEP-2020 00:08:00', 'DD-MON-YYYY HH24:MI:SS') - to_date('04-SEP-2020 00:00:00', 'DD-MON-YYYY HH24:MI:SS')) * 1440),
    round((to_date('2025-05-07 22:46', 'YYYY-MM-DD HH24:MI') - to_date('2025-05-07 22:07', 'YYYY-MM-DD HH24:MI')) * 24, 1) from dual`), [[1449, 0.6]]);
  assert.equal((await oraError(`select 1e125 * 10 from dual`)).lines[0], 'ORA-01426: numeric overflow');
});

// ---- item 8: whole-second DATEs ------------------------------------------------------------

test('DATEs have whole seconds: differences of view times and comparisons with a DATE of the same second', async () => {
  // FIRST_TIME is T0+1.250 s and NEXT_TIME T0+286.778 s in the view: as DATEs, T0+1 and T0+286
  assert.deepEqual(await rows(`select (next_time - first_time) * 86400, to_char((next_time - first_time) * 86400), round((next_time - first_time) * 24 * 60 * 60)
    from v$log where sequence# = 17`), [[285, '285', 285]]);
  const t286 = ymdhms(new Date(T0.getTime() + 286000));
  assert.deepEqual(await rows(`select sequence# from v$log where next_time <= to_date('${t286}', 'YYYY-MM-DD HH24:MI:SS') order by 1`), [[16], [17]]);
  assert.deepEqual(await rows(`select sequence# from v$log where first_time = to_date('${ymdhms(new Date(T0.getTime() + 1000))}', 'YYYY-MM-DD HH24:MI:SS')`), [[17]]);
  assert.deepEqual(await rows(`select count(*) from v$log a, v$log b where a.next_time = b.first_time`), [[2]]);
  // the DATE cells handed back are whole seconds too
  const [[first, next, plus]] = await rows(`select first_time, next_time, first_time + 1/24 from v$log where sequence# = 17`) as Date[][];
  assert.deepEqual([first.getTime() - T0.getTime(), next.getTime() - T0.getTime(), plus.getTime() - T0.getTime()], [1000, 286000, 3601000]);
  // SYSDATE (the target's clock, to the second) is not earlier than a view time of the same second
  const t = new FixtureTarget();
  t.now = () => new Date(T0.getTime() + 286400);
  assert.deepEqual(await rows(`select sequence#, to_char(sysdate, 'HH24:MI:SS') from v$log where next_time <= sysdate order by 1`, t),
    [[16, ymdhms(new Date(T0.getTime() + 286000)).slice(11)], [17, ymdhms(new Date(T0.getTime() + 286000)).slice(11)]]);
  assert.deepEqual(await rows(`select count(*) from v$log where sysdate - next_time = 0`, t), [[1]]);
  // DATE + 1/3 is 8 hours to the second, though 1/3 day in NUMBER is 28799.99999... seconds
  assert.deepEqual(await rows(`select to_char(current_date, 'HH24:MI:SS'), to_char(sysdate + 1/3, 'HH24:MI:SS'), to_char(add_months(date '2026-01-31', 1), 'YYYY-MM-DD') from dual`, t),
    [[ymdhms(new Date(T0.getTime() + 286000)).slice(11), ymdhms(new Date(T0.getTime() + 286000 + 8 * 3600000)).slice(11), '2026-02-28']]);
});

// ---- item 9: valid SQL the engine does not support -----------------------------------------

const SIM = (what: string) => `SIM-00001: not supported by the simulator: ${what}`;

test("q-quoted literals are supported; an unterminated one is Oracle's ORA-01756", async () => {
  assert.deepEqual(await rows(`select q'[it's]', Q'{a]b}', q'(x)', q'<y>', q'!don't!', nq'#z#' from dual`), [["it's", 'a]b', 'x', 'y', "don't", 'z']]);
  assert.deepEqual(await rows(`select name from v$tablespace where name = q'[my data]'`), [['my data']]);
  assert.equal((await oraError(`select q'[abc' from dual`)).lines[0], 'ORA-01756: quoted string not properly terminated');
  assert.equal((await oraError(`select q'[abc]x' from dual`)).lines[0], 'ORA-01756: quoted string not properly terminated');
});

test('CAST to NUMBER, VARCHAR2(n), CHAR(n) and DATE is supported; other types are refused by name; bad types are ORA-00902', async () => {
  assert.deepEqual(await rows(`select cast('42' as number), cast(next_change# as varchar2(20)), cast(1.25 as number(3,1)), cast(2.5 as integer),
    to_char(cast('21-NOV-26' as date), 'YYYY-MM-DD'), cast(7 as char(3)) from v$log where status = 'CURRENT'`),
  [[42, '18446744073709551615', 1.3, 3, '2026-11-21', '7  ']]);
  const r = await executeSql(`select cast(name as varchar2(12)) short_name from v$tablespace where ts# = 0`, new FixtureTarget());
  assert.deepEqual(r.type === 'rows' && r.columns, [{ name: 'SHORT_NAME', type: 'VARCHAR2', width: 12 }]);
  assert.equal((await oraError(`select cast(name as varchar2(3)) from v$tablespace`)).lines[0], 'ORA-25137: Data value out of range');
  assert.equal((await oraError(`select cast(123.4 as number(2)) from dual`)).lines[0], 'ORA-01438: value larger than specified precision allowed for this column');
  assert.equal((await oraError(`select cast('x' as number) from dual`)).lines[0], 'ORA-01722: invalid number');
  const ts = await oraError(`select cast(sysdate as timestamp) from dual`);
  assert.deepEqual([ts.lines[0], ts.position], [SIM('CAST AS TIMESTAMP'), 23]);
  assert.equal((await oraError(`select cast(1 as frob) from dual`)).lines[0], 'ORA-00902: invalid datatype');
  assert.equal((await oraError(`select cast(1 number) from dual`)).lines[0], 'ORA-00905: missing keyword');
});

test('REGEXP_SUBSTR and other Oracle functions the engine lacks are refused by name; unknown names stay ORA-00904', async () => {
  const e = await oraError(`select regexp_substr(name, '[0-9]+') from v$datafile`);
  assert.deepEqual([e.lines, e.position], [[SIM('REGEXP_SUBSTR')], 7]);
  assert.equal((await oraError(`select count(*) from v$datafile where regexp_like(name, 'dbf$')`)).lines[0], SIM('REGEXP_LIKE'));
  assert.equal((await oraError(`select file#, row_number() over (order by file#) from v$datafile`)).lines[0], SIM('ROW_NUMBER'));
  assert.equal((await oraError(`select count(*) over (partition by ts#) from v$datafile`)).lines[0], SIM('analytic function (OVER)'));
  assert.equal((await oraError(`select systimestamp from dual`)).lines[0], SIM('SYSTIMESTAMP (TIMESTAMP data type)'));
  assert.equal((await oraError(`select 1 from v$datafile d, v$tablespace t where d.ts# = t.ts#(+)`)).lines[0], SIM('outer join operator (+)'));
  assert.equal((await oraError(`select 1 from v$datafile where file# > all (1, 2)`)).lines[0], SIM('ALL comparison'));
  assert.equal((await oraError(`select 1 from v$datafile d full outer join v$tablespace t on d.ts# = t.ts#`)).lines[0], SIM('FULL OUTER JOIN'));
  assert.equal((await oraError(`select level from dual connect by level <= 3`)).lines[0], SIM('CONNECT BY'));
  assert.equal((await oraError(`select to_char(sysdate, 'IYYY-IW') from dual`)).lines[0], SIM("date format element 'IYYY'"));
  assert.equal((await oraError(`select to_char(12345, '9.99EEEE') from dual`)).lines[0], SIM("number format element 'EEEE'"));
  // genuinely wrong SQL keeps Oracle's errors
  assert.equal((await oraError(`select regexp_substr(name '[0-9]+') from v$datafile`)).lines[0], 'ORA-00907: missing right parenthesis');
  assert.equal((await oraError(`select frobnicate(name) from v$datafile`)).lines[0], 'ORA-00904: "FROBNICATE": invalid identifier');
  assert.equal((await oraError(`select to_char(sysdate, 'YYYY-ZZ') from dual`)).lines[0], 'ORA-01821: date format not recognized');
  assert.equal((await oraError(`select to_char(1, '9Z9') from dual`)).lines[0], 'ORA-01481: invalid number format model');
});

test('LISTAGG ... WITHIN GROUP (ORDER BY ...) is supported; without WITHIN GROUP it is ORA-02000', async () => {
  assert.deepEqual(await rows(`select listagg(name, ',') within group (order by ts#) from v$tablespace`), [['SYSTEM,SYSAUX,USERS,my data,TEMP']]);
  assert.deepEqual(await rows(`select ts#, listagg(file#, '+') within group (order by file# desc) files from v$datafile group by ts# order by ts#`),
    [[0, '1'], [1, '2'], [2, '4+3'], [3, '5']]);
  assert.deepEqual(await rows(`select listagg(distinct ts#, ';') within group (order by ts#), listagg(name) within group (order by name) from v$datafile where ts# = 2`),
    [['2', '/r/u05/oradata/DBPROD/users 02.dbf/r/u05/oradata/DBPROD/users01.dbf']]);
  assert.deepEqual(await rows(`select listagg(name, ',') within group (order by name) from v$tablespace where 1 = 0`), [[null]]);
  assert.equal((await oraError(`select listagg(name, ',') from v$tablespace`)).lines[0], 'ORA-02000: missing WITHIN keyword');
  assert.equal((await oraError(`select listagg(name, ',' on overflow truncate) within group (order by name) from v$tablespace`)).lines[0], SIM('LISTAGG ON OVERFLOW'));
});

test('INTERVAL DAY TO SECOND literals work in DATE arithmetic; YEAR TO MONTH and interval results are refused; bad literals are Oracle errors', async () => {
  const fmt = `'YYYY-MM-DD HH24:MI:SS'`;
  assert.deepEqual(await rows(`select to_char(date '2026-01-01' + interval '90' minute, ${fmt}), to_char(date '2026-01-01' - interval '1' day, ${fmt}),
    to_char(date '2026-01-01' + interval '1 02:03:04' day to second, ${fmt}), to_char(interval '30' second + date '2026-01-01', ${fmt}),
    to_char(date '2026-01-01' + interval '2:30' hour to minute, ${fmt}), to_char(date '2026-01-01' - interval '-12' hour, ${fmt}) from dual`),
  [['2026-01-01 01:30:00', '2025-12-31 00:00:00', '2026-01-02 02:03:04', '2026-01-01 00:00:30', '2026-01-01 02:30:00', '2026-01-01 12:00:00']]);
  assert.deepEqual(await rows(`select sequence# from v$log where next_time > to_date('${ymdhms(T0)}', ${fmt}) + interval '4' minute`), [[17]]);
  assert.deepEqual(await rows(`select count(*) from dual where interval '1' hour > interval '59' minute`), [[1]]);
  assert.deepEqual(await rows(`select to_char(date '2026-01-01' + interval '1' hour * 2 + interval '30' second, ${fmt}) from dual`), [['2026-01-01 02:00:30']]);
  assert.equal((await oraError(`select interval '1' day from dual`)).lines[0], SIM('INTERVAL values in a select list'));
  assert.equal((await oraError(`select sysdate + interval '1' month from dual`)).lines[0], SIM('INTERVAL YEAR TO MONTH'));
  assert.equal((await oraError(`select sysdate + interval '100' day from dual`)).lines[0], 'ORA-01873: the leading precision of the interval is too small');
  assert.equal((await oraError(`select sysdate + interval 'abc' day from dual`)).lines[0], 'ORA-01867: the interval is invalid');
  assert.equal((await oraError(`select 1 from dual where sysdate - sysdate > interval '1' hour`)).lines[0], 'ORA-00932: inconsistent datatypes: expected NUMBER got INTERVAL DAY TO SECOND');
});
