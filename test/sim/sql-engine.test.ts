// The simulator's SQL engine evaluates SQL over views (no string matching): answers are
// computed here independently from the fixture rows.
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

test('a V$ARCHIVED_LOG filter nobody in the product uses returns exactly the matching rows', async () => {
  const t = new FixtureTarget();
  // columns: NAME, DEST_ID, THREAD#, SEQUENCE#, FIRST_CHANGE#, NEXT_CHANGE#, FIRST_TIME, STATUS, STANDBY_DEST, DELETED
  const expected = t.archived
    .filter((r) => r[1] === 2 && (r[4] as number) <= 1350 && (r[5] as number) > 1150 && r[7] === 'A')
    .sort((a, b) => (b[3] as number) - (a[3] as number))
    .map((r) => [r[3], r[0]]);
  const got = await rows(`select sequence#, name from v$archived_log
    where dest_id = 2 and first_change# <= 1350 and next_change# > 1150 and status = 'A' order by sequence# desc`, t);
  assert.deepEqual(got, expected);
  assert.equal(got.length, 3);
  // the log holding SCN 1234 on destination 1: FIRST_CHANGE# <= scn < NEXT_CHANGE#
  assert.deepEqual(await rows(`select sequence# from v$archived_log where dest_id=1 and 1234 between first_change# and next_change# - 1`, t), [[12]]);
  // a wrong filter returns the wrong rows, as Oracle would: both destinations
  assert.deepEqual(await rows(`select sequence# from v$archived_log where first_change# <= 1234 and next_change# > 1234`, t), [[12], [12]]);
});

test('GROUP BY, HAVING, aggregates and DISTINCT agree with a computation over the fixture', async () => {
  const t = new FixtureTarget();
  const live = t.archived.filter((r) => r[9] === 'NO');
  const expected = [1, 2].map((d) => {
    const g = live.filter((r) => r[1] === d);
    return [d, g.length, Math.min(...g.map((r) => r[3] as number)), Math.max(...g.map((r) => r[5] as number))];
  });
  assert.deepEqual(await rows(`select dest_id, count(*), min(sequence#), max(next_change#) from v$archived_log
    where deleted = 'NO' group by dest_id having count(*) > 0 order by dest_id`, t), expected);
  assert.deepEqual(await rows(`select count(distinct sequence#), count(*), sum(dest_id) from v$archived_log`, t), [[8, 16, 24]]);
  assert.deepEqual(await rows(`select distinct ts# from v$datafile order by 1 desc`, t), [[3], [2], [1], [0]]);
  assert.deepEqual(await rows(`select max(file#) from v$datafile where 1 = 0`, t), [[null]]);
  assert.deepEqual(await rows(`select count(checkpoint_change#), count(*) from v$datafile`, t), [[4, 5]]);
});

test('joins: comma join, ANSI JOIN, LEFT OUTER JOIN null-extends, quoted names keep case', async () => {
  const t = new FixtureTarget();
  assert.deepEqual(await rows(`select t.name, d.file# from v$datafile d, v$tablespace t where d.ts# = t.ts# and t.name = 'USERS' order by d.file#`, t), [['USERS', 3], ['USERS', 4]]);
  assert.deepEqual(await rows(`select d.name from v$datafile d join v$tablespace t on t.ts# = d.ts# where t.name = 'my data'`, t), [['/r/u06/oradata/DBPROD/my data01.dbf']]);
  assert.deepEqual(await rows(`select t.name, count(d.file#) from v$tablespace t left outer join v$datafile d on d.ts# = t.ts# group by t.name order by 2, 1`, t),
    [['TEMP', 0], ['SYSAUX', 1], ['SYSTEM', 1], ['my data', 1], ['USERS', 2]]);
  assert.deepEqual(await rows(`select name from v$tablespace where ts# not in (select ts# from v$datafile)`, t), [['TEMP']]);
  assert.deepEqual(await rows(`select t.name from v$tablespace t where exists (select 1 from v$datafile d where d.ts# = t.ts# and d.checkpoint_change# is null)`, t), [['my data']]);
  assert.deepEqual(await rows(`select "NAME" from v$tablespace where ts# = 3`, t), [['my data']]);
  assert.equal((await oraError(`select "name" from v$tablespace`)).lines[0], 'ORA-00904: "name": invalid identifier');
});

test('NULL semantics: unknown comparisons, NOT IN with NULL, empty string is NULL, NVL/NVL2/DECODE/CASE', async () => {
  assert.deepEqual(await rows(`select file# from v$datafile where checkpoint_change# <> 12345678901234 order by 1`), [[3], [4]]);
  assert.deepEqual(await rows(`select file# from v$datafile where file# not in (1, 2, null)`), []);
  assert.deepEqual(await rows(`select count(*) from dual where '' is null`), [[1]]);
  assert.deepEqual(await rows(`select nvl(to_char(checkpoint_change#), 'none'), nvl2(checkpoint_change#, 'y', 'n'), decode(ts#, 3, 'odd', 'std'),
    case when checkpoint_change# is null then 'fuzzy' else 'ok' end from v$datafile where file# = 5`), [['none', 'n', 'odd', 'fuzzy']]);
  assert.deepEqual(await rows(`select 'a' || null || 'b', null || null from dual`), [['ab', null]]);
});

test('functions and formats: TO_CHAR numbers and dates, string functions, arithmetic', async () => {
  const d = T0;
  const pad = (n: number) => String(n).padStart(2, '0');
  const ymd = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  assert.deepEqual(await rows(`select to_char(resetlogs_time, 'YYYY-MM-DD HH24:MI:SS'), to_char(current_scn), to_char(current_scn, 'FM99999999999999999999'),
    to_char(5, '000'), to_char(1234.5, 'FM9,999.00'), to_char(dbid) from v$database`),
    [[ymd, '12345678901234', '12345678901234', ' 005', '1,234.50', '1122334455']]);
  assert.deepEqual(await rows(`select upper('ab'), lower('AB'), substr('abcdef', 2, 3), instr('a/b/c', '/', -1), length('hello'), replace('a b', ' ', '_'),
    ltrim('xxab', 'x'), rtrim('ab  '), trim('  ab  '), chr(65), round(2.567, 2), trunc(2.567, 1), greatest(3, 7, 5), least('b', 'a') from dual`),
    [['AB', 'ab', 'bcd', 4, 5, 'a_b', 'ab', 'ab', 'ab', 'A', 2.57, 2.5, 7, 'a']]);
  assert.deepEqual(await rows(`select 7/2, 2*3+1, -(4-6), 0.1+0.2, to_number('42') + 1 from dual`), [[3.5, 7, 2, 0.3, 43]]);
  assert.deepEqual(await rows(`select 'It''s' from dual`), [["It's"]]);
  assert.deepEqual(await rows(`select round((resetlogs_time + 1 - resetlogs_time) * 24) from v$database`), [[24]]);
});

test('LIKE, BETWEEN, IN, ROWNUM, ORDER BY alias/position/NULLS FIRST, implicit string→number', async () => {
  assert.deepEqual(await rows(`select file# from v$datafile where name like '%users_0%' order by file#`), [[4]]); // '_' matches the blank of 'users 02'
  assert.deepEqual(await rows(`select file# from v$datafile where name like '%users%' and file# between 3 and 4 order by 1`), [[3], [4]]);
  assert.deepEqual(await rows(`select file# from v$datafile where rownum <= 2`), [[1], [2]]);
  assert.deepEqual(await rows(`select file# from v$datafile where rownum = 2`), []);
  assert.deepEqual(await rows(`select file# f, checkpoint_change# c from v$datafile order by c nulls first, f desc`),
    [[5, null], [4, 12345678901100], [3, 12345678901100], [2, 12345678901234], [1, 12345678901234]]);
  assert.deepEqual(await rows(`select file# from v$datafile where file# = '3'`), [[3]]);
  assert.deepEqual(await rows(`select file# from v$datafile where file# in ('1', 5) order by 1`), [[1], [5]]);
  const r = await executeSql(`select file# as "Fno", name, 1+1, count(*) over_ from v$datafile group by file#, name`, new FixtureTarget()).catch((e) => e);
  assert.ok(r instanceof OraError || r.type === 'rows');
});

test('result columns: names as Oracle derives them, types', async () => {
  const r = await executeSql(`select file# "Fno", d.name, 1 + 1, to_char(file#), resetlogs_time from v$datafile d, v$database where rownum = 1`, new FixtureTarget());
  assert.equal(r.type, 'rows');
  if (r.type !== 'rows') return;
  assert.deepEqual(r.columns.map((c) => [c.name, c.type]), [['Fno', 'NUMBER'], ['NAME', 'VARCHAR2'], ['1+1', 'NUMBER'], ['TO_CHAR(FILE#)', 'VARCHAR2'], ['RESETLOGS_TIME', 'DATE']]);
  const star = await executeSql(`select * from v$tablespace where ts# = 0`, new FixtureTarget());
  assert.deepEqual(star.type === 'rows' && star.columns.map((c) => c.name), ['TS#', 'NAME', 'BIGFILE']);
});

test('Oracle errors for bad SQL, with the position SQL*Plus marks', async () => {
  const cases: [string, string, number?][] = [
    ['select * from v$nosuch', 'ORA-00942: table or view does not exist', 14],
    ['select nosuch from dual', 'ORA-00904: "NOSUCH": invalid identifier', 7],
    ['select d.nosuch from v$datafile d', 'ORA-00904: "D"."NOSUCH": invalid identifier', 7],
    ['select name from v$datafile, v$tablespace', 'ORA-00918: column ambiguously defined', 7],
    ['select 1 from dual dual2 extra', 'ORA-00933: SQL command not properly ended', 25],
    ['select 1', 'ORA-00923: FROM keyword not found where expected', 8],
    ['select from dual', 'ORA-00936: missing expression', 7],
    ['select file#, count(*) from v$datafile', 'ORA-00937: not a single-group group function', 7],
    ['select name, count(*) from v$datafile group by ts#', 'ORA-00979: not a GROUP BY expression', 7],
    ['select 1 from v$datafile where name = 5', 'ORA-01722: invalid number'],
    ['frobnicate the database', 'ORA-00900: invalid SQL statement', 0],
    ['select 1 from dual where count(*) > 1', 'ORA-00934: group function is not allowed here'],
    ["select 'abc from dual", 'ORA-01756: quoted string not properly terminated'],
    ['select 1 from dual; select 2 from dual', 'ORA-00911: invalid character', 18],
    ['delete from v$datafile', 'ORA-02030: can only select from fixed tables/views'],
    ['alter tablespace users frob', 'ORA-02142: missing or invalid ALTER TABLESPACE option'],
    ['alter database frob', 'ORA-02231: missing or invalid option to ALTER DATABASE'],
    ['alter system frob', 'ORA-02065: illegal option for ALTER SYSTEM'],
    ['alter nothing x', 'ORA-00940: invalid ALTER command'],
    ['alter tablespace nothere begin backup', "ORA-00959: tablespace 'NOTHERE' does not exist"],
    ['select (select file# from v$datafile) from dual', 'ORA-01427: single-row subquery returns more than one row'],
  ];
  for (const [sql, line0, pos] of cases) {
    const e = await oraError(sql);
    assert.equal(e.lines[0], line0, sql);
    if (pos !== undefined) assert.equal(e.position, pos, sql);
  }
  assert.equal((await oraError('alter tablespace nothere begin backup')).code, 959);
});

test('ALTER statements become instance commands; the target message and errors come back', async () => {
  const t = new FixtureTarget();
  const run = (s: string) => executeSql(s, t);
  assert.deepEqual(await run('alter tablespace users begin backup'), { type: 'done', message: 'Tablespace altered.' });
  const e = await oraError('ALTER TABLESPACE USERS BEGIN BACKUP', t);
  assert.deepEqual(e.lines, ['ORA-01146: cannot start online backup - file 3 is already in backup', "ORA-01110: data file 3: '/r/u05/oradata/DBPROD/users01.dbf'"]);
  await run('alter tablespace "my data" begin backup');
  await run(`alter tablespace users add datafile '/r/u05/oradata/DBPROD/users 03.dbf' size 10M autoextend on next 1m maxsize unlimited`);
  await run('alter tablespace users read only');
  await run('alter tablespace users offline normal');
  await run('alter database begin backup');
  await run('alter database end backup');
  await run('alter database datafile 4 end backup');
  await run(`alter database datafile '/r/x.dbf' end backup`);
  await run('alter database force logging');
  await run('alter database no force logging');
  await run(`alter database create standby controlfile as '/tmp/stby ctl' reuse`);
  await run('alter database open');
  assert.deepEqual(await run('alter system switch logfile'), { type: 'done', message: 'System altered.' });
  await run('alter system archive log current');
  await run('alter system checkpoint');
  assert.deepEqual(t.commands.slice(2), [
    { kind: 'tablespaceBackup', tablespace: 'my data', action: 'BEGIN' },
    { kind: 'addDatafile', tablespace: 'USERS', path: '/r/u05/oradata/DBPROD/users 03.dbf', bytes: 10485760 },
    { kind: 'tablespaceReadOnly', tablespace: 'USERS', readOnly: true },
    { kind: 'tablespaceOnline', tablespace: 'USERS', online: false },
    { kind: 'databaseBackup', action: 'BEGIN' },
    { kind: 'databaseBackup', action: 'END' },
    { kind: 'datafileEndBackup', file: 4 },
    { kind: 'datafileEndBackup', file: '/r/x.dbf' },
    { kind: 'forceLogging', on: true },
    { kind: 'forceLogging', on: false },
    { kind: 'createStandbyControlfile', path: '/tmp/stby ctl', reuse: true },
    { kind: 'databaseOpen' },
    { kind: 'switchLogfile' },
    { kind: 'archiveLogCurrent' },
    { kind: 'checkpoint' },
  ]);
});

test('scale: a three-way join over 750 datafiles and 100 tablespaces answers quickly', async () => {
  const t = new FixtureTarget();
  t.tablespaces = Array.from({ length: 100 }, (_, i) => ({ ts: i, name: `TS${i}`, backup: false }));
  t.datafiles = Array.from({ length: 750 }, (_, i) => [i + 1, i % 100, `/r/u05/f${i + 1}.dbf`, 1000 + i, 8192]);
  const base = t.view.bind(t);
  t.view = (n: string) => (n === 'DBA_DATA_FILES'
    ? { columns: [{ name: 'FILE_ID', type: 'NUMBER' }, { name: 'FILE_NAME', type: 'VARCHAR2' }], rows: t.datafiles.map((f) => [f[0], f[2]]) }
    : base(n));
  const start = Date.now();
  const r = await rows(`select t.name, d.file#, f.file_name from v$datafile d, v$tablespace t, dba_data_files f
    where d.ts# = t.ts# and f.file_id = d.file# and t.name like 'TS1%' order by d.file#`, t);
  assert.equal(r.length, t.datafiles.filter((f) => String(`TS${f[1]}`).startsWith('TS1')).length);
  assert.ok(Date.now() - start < 1500, `took ${Date.now() - start} ms`);
});

test('WITH queries, inline views, set operations and FETCH FIRST', async () => {
  assert.deepEqual(await rows(`with logs (seq, d) as (select sequence#, dest_id from v$archived_log where deleted = 'NO')
    select d, count(*) from logs group by d order by d`), [[1, 7], [2, 8]]);
  assert.deepEqual(await rows(`select x.n from (select file# n from v$datafile where ts# = 2) x order by x.n desc`), [[4], [3]]);
  assert.deepEqual(await rows(`select ts# from v$tablespace minus select ts# from v$datafile`), [[4]]);
  assert.deepEqual(await rows(`select name from v$tablespace where ts# < 2 union all select 'extra' from dual order by 1`), [['SYSAUX'], ['SYSTEM'], ['extra']]);
  assert.deepEqual(await rows(`select file# from v$datafile order by file# desc offset 1 rows fetch first 2 rows only`), [[4], [3]]);
});
