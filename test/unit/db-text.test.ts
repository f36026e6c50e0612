import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsvLine } from '../../lib/db/csv.ts';
import { quoteIdent, quoteLiteral, SQL } from '../../lib/db/sql.ts';

test('CSV lines from SQL*Plus MARKUP CSV QUOTE ON', () => {
  assert.deepEqual(parseCsvLine('"USERS","PERMANENT","4","/u05/a b.dbf","5242880"'), ['USERS', 'PERMANENT', '4', '/u05/a b.dbf', '5242880']);
  assert.deepEqual(parseCsvLine('"say ""hi""",,"x,y",12', { allowUnquoted: true }), ['say "hi"', '', 'x,y', '12']);
  assert.equal(parseCsvLine('"say",12'), null, 'an unquoted value is not one of our TO_CHAR columns');
  assert.deepEqual(parseCsvLine('"a",'), ['a', '']);
  assert.equal(parseCsvLine('"unterminated'), null);
  assert.equal(parseCsvLine('Connected to an idle instance.'), null);
  assert.deepEqual(parseCsvLine(',"x"'), ['', 'x']);
});

test('identifiers keep case and spaces inside double quotes; unsafe names are refused', () => {
  assert.equal(SQL.beginBackup('my ts'), 'ALTER TABLESPACE "my ts" BEGIN BACKUP');
  assert.equal(SQL.endBackup('USERS'), 'ALTER TABLESPACE "USERS" END BACKUP');
  assert.throws(() => quoteIdent('a"b'), /tablespace name cannot be quoted safely: "a\\"b"/);
  assert.throws(() => quoteIdent(''), /cannot be quoted safely/);
});

test('string literals double their quotes', () => {
  assert.equal(quoteLiteral("/u01/o'brien/ctl"), "'/u01/o''brien/ctl'");
  assert.equal(SQL.createStandbyControlfile('/tmp/x y.ctl'), "ALTER DATABASE CREATE STANDBY CONTROLFILE AS '/tmp/x y.ctl' REUSE");
});

test('the archived-log query keeps the log containing the cutoff and reads every local destination and RMAN copies (DEST_ID 0)', () => {
  const q = SQL.archivedLogs(12345678901234n, [1, 2]);
  assert.match(q, /a\.next_change# > 12345678901234 /);
  assert.doesNotMatch(q, /first_change# >=/i);
  assert.match(q, /a\.dest_id IN \(0, 1, 2\) /);
  assert.match(q, /a\.resetlogs_change# = d\.resetlogs_change#/);
});
