import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOracleTime, parseRecoverOutput } from '../../lib/standby/recoverOutput.ts';

test('a pass that ends at the first log not shipped: what it finished, where it stopped, no error', () => {
  const text = [
    'ORA-00279: change 1234 generated at 11/28/2026 13:36:19 needed for thread 1',
    'ORA-00289: suggestion : /dr/arch/1_10_1172074314.dbf',
    'ORA-00280: change 1234 for thread 1 is in sequence #10',
    'ORA-00279: change 1300 generated at 11/28/2026 13:36:25 needed for thread 1',
    'ORA-00289: suggestion : /dr/arch/1_11_1172074314.dbf',
    'ORA-00280: change 1300 for thread 1 is in sequence #11',
    "ORA-00278: log file '/dr/arch/1_10_1172074314.dbf' no longer needed for this recovery",
    "ORA-00308: cannot open archived log '/dr/arch/1_11_1172074314.dbf'",
    'ORA-27037: unable to obtain file status',
    'Linux-x86_64 Error: 2: No such file or directory',
    'Additional information: 7',
    '',
    '',
    'Specify log: {<RET>=suggested | filename | AUTO | CANCEL}',
    'Media recovery cancelled.',
  ].join('\n');
  assert.deepEqual(parseRecoverOutput(text), {
    needed: [{ thread: 1, sequence: 11, scn: '1300', time: '11/28/2026 13:36:25', suggestion: '/dr/arch/1_11_1172074314.dbf' }],
    finished: ['/dr/arch/1_10_1172074314.dbf'],
    missing: '/dr/arch/1_11_1172074314.dbf',
    errors: [],
    complete: false,
  });
});

test('a recovery stopped by errors keeps them (ORA-00283 and its reason); the CANCEL line after it is not one', () => {
  const text = [
    'ORA-00279: change 1300 generated at 11/28/2026 13:36:25 needed for thread 1',
    'ORA-00289: suggestion : /dr/arch/1_11_1.dbf',
    'ORA-00280: change 1300 for thread 1 is in sequence #11',
    'ORA-00283: recovery session canceled due to errors',
    "ORA-01274: cannot add data file that was originally created as '/u05/oradata/new01.dbf'",
    '',
    'SP2-0042: unknown command "CANCEL" - rest of line ignored.',
  ].join('\n');
  const r = parseRecoverOutput(text);
  assert.deepEqual(r.errors, ['ORA-00283: recovery session canceled due to errors', "ORA-01274: cannot add data file that was originally created as '/u05/oradata/new01.dbf'"]);
  assert.equal(r.missing, undefined);
  assert.deepEqual(r.needed.map((n) => n.sequence), [11]);
});

test('an instance that cannot recover at all: its errors, nothing needed', () => {
  const r = parseRecoverOutput('ORA-01507: database not mounted\n');
  assert.deepEqual(r, { needed: [], finished: [], errors: ['ORA-01507: database not mounted'], complete: false });
});

test('database times are read as local times; anything else is unknown', () => {
  assert.deepEqual(parseOracleTime('11/28/2026 13:36:25'), new Date(2026, 10, 28, 13, 36, 25));
  assert.equal(parseOracleTime('2026-11-28 13:36:25'), undefined);
});
