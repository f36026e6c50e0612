import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IncarnationChangedError } from '../../lib/archivelog/cutoff.ts';
import { chooseLocalDests } from '../../lib/archivelog/dest.ts';
import { isFatal } from '../../lib/archivelog/loop.ts';
import { OracleError, PreconditionError, TransferError } from '../../lib/errors.ts';

const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};

test('the shipping loop ends only on what no later pass can cure', () => {
  assert.equal(isFatal(new IncarnationChangedError('production was opened with RESETLOGS ...', 'start a new backup cycle')), true);
  assert.equal(isFatal(caught(() => chooseLocalDests([{ destId: 1, status: 'VALID', destination: '+FRA', error: '' }], 'auto'))), true, 'ASM only');
  assert.equal(isFatal(caught(() => chooseLocalDests([{ destId: 1, status: 'VALID', destination: '/u12/arch', error: '' }], 3))), true, 'a DEST_ID that is not local');
  // an archiver stuck on a full destination recovers: the loop waits for it
  const stuck = caught(() => chooseLocalDests([{ destId: 1, status: 'ERROR', destination: '/u12/arch', error: 'ORA-19502: write error' }], 'auto'));
  assert.ok(stuck instanceof PreconditionError);
  assert.equal(isFatal(stuck), false);
  assert.equal(isFatal(new OracleError('instance DBPROD is not available', ['ORA-01034: ORACLE not available'])), false);
  assert.equal(isFatal(new TransferError('shipping 1 archived log(s) failed', 'the next pass retries them')), false);
});
