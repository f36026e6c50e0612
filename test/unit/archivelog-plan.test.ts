import assert from 'node:assert/strict';
import { test } from 'node:test';
import { advance, planShipping } from '../../lib/archivelog/plan.ts';
import type { ArchivedLogRow } from '../../lib/db/database.ts';

function log(thread: number, sequence: number, first: number, next: number, over: Partial<ArchivedLogRow> = {}): ArchivedLogRow {
  return { thread, sequence, firstScn: BigInt(first), nextScn: BigInt(next), name: `/arch/${thread}_${sequence}.dbf`, status: 'A', deleted: 'NO', bytes: 512, ...over };
}

test('the log containing the cutoff is shipped first (no off-by-one, no FIRST_CHANGE# >= cutoff)', () => {
  // cutoff 150 lies inside sequence 10 (100..200)
  const rows = [log(1, 10, 100, 200), log(1, 11, 200, 300), log(1, 12, 300, 400)];
  const [p] = planShipping(rows, new Map(), 150n);
  assert.equal(p.start, 10);
  assert.deepEqual(p.toShip.map((r) => r.sequence), [10, 11, 12]);
  assert.deepEqual(p.gaps, []);
});

test('every thread is planned on its own', () => {
  const rows = [log(1, 10, 100, 200), log(2, 7, 120, 260), log(2, 8, 260, 300), log(1, 11, 200, 300)];
  const plans = planShipping(rows, new Map([[1, 10]]), 150n);
  assert.deepEqual(
    plans.map((p) => [p.thread, p.start, p.toShip.map((r) => r.sequence)]),
    [
      [1, 11, [11]],
      [2, 7, [7, 8]],
    ],
  );
});

test('a sequence missing from the view, or deleted on production, is a gap, and later logs are still shipped', () => {
  const rows = [log(1, 10, 100, 200), log(1, 12, 300, 400, { status: 'D', deleted: 'YES' }), log(1, 13, 400, 500), log(1, 14, 500, 600, { name: '' })];
  const [p] = planShipping(rows, new Map(), 150n);
  assert.deepEqual(p.toShip.map((r) => r.sequence), [10, 13]);
  assert.deepEqual(p.gaps, [
    { thread: 1, sequence: 11, reason: 'not in V$ARCHIVED_LOG for this destination' },
    { thread: 1, sequence: 12, reason: 'not available on production (STATUS D, DELETED YES)' },
    { thread: 1, sequence: 14, reason: 'not available on production (STATUS A, DELETED NO, NAME is NULL)' },
  ]);
});

test('when no listed log contains the cutoff, the missing one is a gap rather than a silent later start', () => {
  const rows = [log(1, 11, 200, 300)];
  const [p] = planShipping(rows, new Map(), 150n);
  assert.deepEqual(p.gaps, [{ thread: 1, sequence: 10, reason: 'no archived log contains the cutoff SCN 150: the first one listed (sequence 11) starts at SCN 200' }]);
  // Once sequence 10 was shipped, 11 starting after the cutoff is normal.
  const [q] = planShipping(rows, new Map([[1, 10]]), 150n);
  assert.deepEqual(q.gaps, []);
  assert.equal(q.start, 11);
});

test('state from an older cycle does not drag shipping back before the cutoff', () => {
  const rows = [log(1, 50, 1000, 1100)];
  const [p] = planShipping(rows, new Map([[1, 3]]), 1050n);
  assert.equal(p.start, 50);
  assert.deepEqual(p.gaps, []);
});

test('state advances only over a contiguous run of verified sequences', () => {
  assert.equal(advance(10, new Set([10, 11, 13]), undefined), 11);
  assert.equal(advance(10, new Set([11, 12]), undefined), undefined);
  assert.equal(advance(10, new Set([11, 12]), 9), 9);
  assert.equal(advance(12, new Set([12]), 11), 12);
});
