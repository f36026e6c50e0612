import assert from 'node:assert/strict';
import { test } from 'node:test';
import { threadProgress } from '../../lib/archivelog/progress.ts';
import type { ArchivedLogRow } from '../../lib/db/database.ts';

const row = (thread: number, sequence: number, nextTime: string): ArchivedLogRow => ({
  thread, sequence, firstScn: BigInt(sequence * 100), nextScn: BigInt(sequence * 100 + 100), name: `/a/${thread}_${sequence}.arc`, status: 'A', deleted: 'NO', destId: 1, resetlogsId: '1', blocks: 1, blockSize: 512, nextTime,
});

test('the shipper records, per thread in numeric order, the newest archived and the newest shipped log with their NEXT_TIMEs', () => {
  const rows = [row(2, 7, '2026-11-21 23:00:00'), row(2, 8, '2026-11-21 23:05:00'), row(10, 3, '2026-11-21 23:01:00'), row(10, 4, '2026-11-21 23:09:00')];
  const p = threadProgress(rows, new Map([[2, 7], [10, 4]]), [{ thread: 10, sequence: 5 }, { thread: 2, sequence: 9 }]);
  assert.deepEqual(p, [
    { thread: 2, productionSequence: 9, archivedSequence: 8, archivedNextTime: '2026-11-21 23:05:00', firstNeeded: 7, lastShipped: 7, shippedNextTime: '2026-11-21 23:00:00' },
    { thread: 10, productionSequence: 5, archivedSequence: 4, archivedNextTime: '2026-11-21 23:09:00', firstNeeded: 3, lastShipped: 4, shippedNextTime: '2026-11-21 23:09:00' },
  ]);
  // nothing archived is needed yet: the cutoff is in the current log
  assert.deepEqual(threadProgress([], new Map(), [{ thread: 1, sequence: 2 }]), [
    { thread: 1, productionSequence: 2, archivedSequence: null, archivedNextTime: null, firstNeeded: null, lastShipped: null, shippedNextTime: null },
  ]);
});
