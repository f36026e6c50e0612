import assert from 'node:assert/strict';
import { test } from 'node:test';
import { advance, filesToCheck, planShipping, type FileSizes } from '../../lib/archivelog/plan.ts';
import type { ArchivedLogRow } from '../../lib/db/database.ts';

function log(thread: number, sequence: number, first: number, next: number, over: Partial<ArchivedLogRow> = {}): ArchivedLogRow {
  return {
    destId: 1,
    thread,
    sequence,
    resetlogsId: '1122334455',
    firstScn: BigInt(first),
    nextScn: BigInt(next),
    name: `/arch/${thread}_${sequence}.dbf`,
    status: 'A',
    deleted: 'NO',
    blocks: 100,
    blockSize: 512,
    ...over,
  };
}

/** Every listed file exists and is complete ((BLOCKS + 1) × BLOCK_SIZE: the header block is not counted). */
const present = (rows: ArchivedLogRow[], except: string[] = []): FileSizes =>
  new Map(rows.filter((r) => r.name && !except.includes(r.name)).map((r) => [r.name, (r.blocks + 1) * r.blockSize]));

test('the log containing the cutoff is shipped first (no off-by-one, no FIRST_CHANGE# >= cutoff)', () => {
  // cutoff 150 lies inside sequence 10 (100..200)
  const rows = [log(1, 10, 100, 200), log(1, 11, 200, 300), log(1, 12, 300, 400)];
  const [p] = planShipping(rows, new Map(), 150n, present(rows));
  assert.equal(p.start, 10);
  assert.deepEqual(p.toShip.map((r) => r.sequence), [10, 11, 12]);
  assert.deepEqual(p.gaps, []);
});

test('every thread is planned on its own', () => {
  const rows = [log(1, 10, 100, 200), log(2, 7, 120, 260), log(2, 8, 260, 300), log(1, 11, 200, 300)];
  const plans = planShipping(rows, new Map([[1, 10]]), 150n, present(rows));
  assert.deepEqual(
    plans.map((p) => [p.thread, p.start, p.toShip.map((r) => r.sequence)]),
    [
      [1, 11, [11]],
      [2, 7, [7, 8]],
    ],
  );
});

test('a sequence missing from the view, deleted on production, or whose file is gone, is a gap, and later logs are still shipped', () => {
  const rows = [
    log(1, 10, 100, 200),
    log(1, 12, 300, 400, { status: 'D', deleted: 'YES' }),
    log(1, 13, 400, 500),
    log(1, 14, 500, 600, { name: '' }),
    log(1, 15, 600, 700),
  ];
  const [p] = planShipping(rows, new Map(), 150n, present(rows, ['/arch/1_15.dbf']));
  assert.deepEqual(p.toShip.map((r) => r.sequence), [10, 13]);
  assert.deepEqual(p.gaps, [
    { thread: 1, sequence: 11, reason: 'not in V$ARCHIVED_LOG' },
    { thread: 1, sequence: 12, reason: 'not available on production (STATUS D, DELETED YES)' },
    { thread: 1, sequence: 14, reason: 'not available on production (STATUS A, DELETED NO, NAME is NULL)' },
    { thread: 1, sequence: 15, reason: 'file /arch/1_15.dbf is missing on production (deleted before it was shipped?)' },
  ]);
});

test('a log destination 1 lost is shipped from destination 2; one RMAN restored (DEST_ID 0) is shipped from there', () => {
  const rows = [
    log(1, 10, 100, 200),
    log(1, 10, 100, 200, { destId: 2, name: '/arch2/1_10.dbf' }),
    log(1, 11, 200, 300, { status: 'D', deleted: 'YES' }), // the FRA deleted it under space pressure
    log(1, 11, 200, 300, { destId: 2, name: '/arch2/1_11.dbf' }),
    log(1, 12, 300, 400),
    log(1, 12, 300, 400, { destId: 2, name: '/arch2/1_12.dbf', status: 'D', deleted: 'YES' }),
    log(1, 12, 300, 400, { destId: 0, name: '/restore/1_12.dbf' }),
  ];
  const files = present(rows, ['/arch/1_12.dbf']);
  const [p] = planShipping(rows, new Map(), 150n, files, 1);
  assert.deepEqual(p.gaps, []);
  assert.deepEqual(
    p.toShip.map((r) => [r.sequence, r.destId, r.name]),
    [
      [10, 1, '/arch/1_10.dbf'], // one copy per sequence: the preferred destination's
      [11, 2, '/arch2/1_11.dbf'],
      [12, 0, '/restore/1_12.dbf'],
    ],
  );
  // the preferred destination wins when both copies are readable
  const [q] = planShipping(rows.filter((r) => r.sequence === 10), new Map(), 150n, files, 2);
  assert.deepEqual(q.toShip.map((r) => r.destId), [2]);
});

test('a copy whose file is shorter than V$ARCHIVED_LOG says is not shipped while a complete one exists', () => {
  const rows = [log(1, 10, 100, 200), log(1, 10, 100, 200, { destId: 2, name: '/arch2/1_10.dbf' })];
  const files = new Map([
    ['/arch/1_10.dbf', 4096],
    ['/arch2/1_10.dbf', 101 * 512],
  ]);
  const [p] = planShipping(rows, new Map(), 150n, files, 1);
  assert.deepEqual(p.toShip.map((r) => r.name), ['/arch2/1_10.dbf']);
  const [alone] = planShipping(rows.slice(0, 1), new Map(), 150n, files, 1);
  assert.deepEqual(alone.gaps, [{ thread: 1, sequence: 10, reason: 'file /arch/1_10.dbf is incomplete on production (4096 of at least 51200 bytes)' }]);
});

test('an ASM copy is never a missing file; when no copy can be read the gap says what is wrong with each', () => {
  const rows = [
    log(1, 10, 100, 200),
    log(1, 10, 100, 200, { destId: 2, name: '+FRA/DBPROD/ARCHIVELOG/1_10.dbf' }),
    log(1, 11, 200, 300, { destId: 2, name: '+FRA/DBPROD/ARCHIVELOG/1_11.dbf' }),
  ];
  assert.deepEqual(filesToCheck(rows, new Map()), ['/arch/1_10.dbf'], 'nothing in ASM is looked for on the filesystem');
  const [p] = planShipping(rows, new Map(), 150n, new Map(), 1);
  assert.deepEqual(p.gaps, [
    {
      thread: 1,
      sequence: 10,
      reason: 'destination 1: file /arch/1_10.dbf is missing on production (deleted before it was shipped?); destination 2: +FRA/DBPROD/ARCHIVELOG/1_10.dbf is in ASM, which copy_archivelog cannot read',
    },
    { thread: 1, sequence: 11, reason: '+FRA/DBPROD/ARCHIVELOG/1_11.dbf is in ASM, which copy_archivelog cannot read' },
  ]);
});

test('rows are grouped by thread, sequence and resetlogs id: the same sequence of another incarnation is a log of its own', () => {
  const rows = [log(1, 10, 100, 200), log(1, 10, 900, 1000, { resetlogsId: '99', name: '/arch/other_1_10.dbf' })];
  const [p] = planShipping(rows, new Map(), 150n, present(rows));
  assert.deepEqual(p.toShip.map((r) => r.name), ['/arch/1_10.dbf', '/arch/other_1_10.dbf']);
});

test('when no listed log contains the cutoff, the missing one is a gap rather than a silent later start', () => {
  const rows = [log(1, 11, 200, 300)];
  const [p] = planShipping(rows, new Map(), 150n, present(rows));
  assert.deepEqual(p.gaps, [{ thread: 1, sequence: 10, reason: 'no archived log contains the cutoff SCN 150: the first one listed (sequence 11) starts at SCN 200' }]);
  // Once sequence 10 was shipped, 11 starting after the cutoff is normal.
  const [q] = planShipping(rows, new Map([[1, 10]]), 150n, present(rows));
  assert.deepEqual(q.gaps, []);
  assert.equal(q.start, 11);
});

test('state from an older cycle does not drag shipping back before the cutoff', () => {
  const rows = [log(1, 50, 1000, 1100)];
  const [p] = planShipping(rows, new Map([[1, 3]]), 1050n, present(rows));
  assert.equal(p.start, 50);
  assert.deepEqual(p.gaps, []);
});

test('only the files of sequences still needed are looked at', () => {
  const rows = [log(1, 10, 100, 200), log(1, 11, 200, 300), log(1, 12, 300, 400)];
  assert.deepEqual(filesToCheck(rows, new Map([[1, 11]])), ['/arch/1_12.dbf']);
});

test('state advances only over a contiguous run of verified sequences', () => {
  assert.equal(advance(10, new Set([10, 11, 13]), undefined), 11);
  assert.equal(advance(10, new Set([11, 12]), undefined), undefined);
  assert.equal(advance(10, new Set([11, 12]), 9), 9);
  assert.equal(advance(12, new Set([12]), 11), 12);
});
