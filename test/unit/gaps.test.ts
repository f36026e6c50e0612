// Where a log that cannot be shipped still exists (lib/archivelog/gaps.ts), logs shipped again
// when lost on DR (the planner's `again`), and the standby's view of logs not on DR (status).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gapHint, gapText, locateGaps } from '../../lib/archivelog/gaps.ts';
import { planShipping, type Gap } from '../../lib/archivelog/plan.ts';
import { readReshipRequests, reshipKey, updateReshipRequests } from '../../lib/archivelog/reship.ts';
import { StateFiles } from '../../lib/state.ts';
import type { ArchivedLogRow } from '../../lib/db/database.ts';
import { standbyStatus, type ApplyProgress } from '../../lib/status/standby.ts';

function log(sequence: number, over: Partial<ArchivedLogRow> = {}): ArchivedLogRow {
  return { destId: 1, thread: 1, sequence, resetlogsId: '7', firstScn: BigInt(sequence * 100), nextScn: BigInt(sequence * 100 + 100), name: `/arch/1_${sequence}.dbf`, status: 'A', deleted: 'NO', blocks: 10, blockSize: 512, ...over };
}
const gone = { status: 'D', deleted: 'YES', name: '' };

test('a gap is located: a copy in ASM, an RMAN backup set (the newest), or nowhere', () => {
  const gaps: Gap[] = [5, 6, 7].map((sequence) => ({ thread: 1, sequence, reason: 'r' }));
  const rows = [log(5, gone), log(5, { destId: 2, name: '+FRA/DB/ARCHIVELOG/1_5.dbf' }), log(6, gone), log(7, gone)];
  const backups = [
    { thread: 1, sequence: 6, setStamp: '100', setCount: '1' },
    { thread: 1, sequence: 6, setStamp: '200', setCount: '2' },
    { thread: 2, sequence: 7, setStamp: '300', setCount: '3' },
  ];
  assert.deepEqual(locateGaps(gaps, rows, backups), [
    { thread: 1, sequence: 5, reason: 'r', where: 'production', location: '+FRA/DB/ARCHIVELOG/1_5.dbf' },
    { thread: 1, sequence: 6, reason: 'r', where: 'rman_backup', location: 'backup set 200/2' },
    { thread: 1, sequence: 7, reason: 'r', where: 'nowhere' },
  ]);
});

test('gap text and hint: what is wrong, where it still exists, what closes it (most serious first)', () => {
  const rman: Gap = { thread: 1, sequence: 6, reason: 'file /a/1_6.dbf is missing on production', where: 'rman_backup', location: 'backup set 200/2' };
  const nowhere: Gap = { thread: 1, sequence: 9, reason: 'not in V$ARCHIVED_LOG', where: 'nowhere' };
  assert.equal(gapText(rman), 'thread 1 sequence 6 (file /a/1_6.dbf is missing on production; it exists only in an RMAN backup (backup set 200/2))');
  assert.equal(gapText(nowhere), 'thread 1 sequence 9 (not in V$ARCHIVED_LOG; it is in no RMAN backup either: it exists nowhere)');
  assert.equal(gapText({ thread: 2, sequence: 3, reason: 'x' }), 'thread 2 sequence 3 (x)');
  assert.equal(
    gapHint([rman, nowhere]),
    'thread 1 sequence 9 cannot be shipped from anywhere: the standby cannot recover past it; take a new hot backup cycle (bin/orquestra_dr --new-cycle: on an existing DR copy it is a refresh that sends only the changed blocks); ' +
      'restore from RMAN: RESTORE ARCHIVELOG SEQUENCE 6 THREAD 1; copy_archivelog ships it on its next pass',
  );
});

test('a log lost on DR is planned again before the rest; one with no readable copy left is a gap', () => {
  const rows = [log(4), log(5, gone), log(6), log(7)];
  const files = new Map(rows.filter((r) => r.name).map((r) => [r.name, 11 * 512]));
  const [p] = planShipping(rows, new Map([[1, 6]]), 350n, files, 1, new Map([[1, new Set([4, 5])]]));
  assert.deepEqual(p!.toShip.map((r) => r.sequence), [4, 7]);
  assert.deepEqual(p!.gaps.map((g) => g.sequence), [5]);
  assert.equal(p!.start, 7, 'the shipped state is not moved back');
});

test("status: the log the standby waits for, when it is not on DR: lost there, or its transfer failed; production's own gap is not repeated", () => {
  const apply = (next: number, drGaps?: ApplyProgress['drGaps']): ApplyProgress => ({ updatedAt: '2026-11-28T10:00:00.000Z', threads: [{ thread: 1, appliedSequence: next - 1, appliedScn: '1', appliedTime: null, nextNeeded: next }], lagSeconds: 1, consistent: true, lastError: null, ...(drGaps && { drGaps }) });
  const now = new Date('2026-11-28T10:00:05.000Z');
  const failed = [{ thread: 1, sequence: 8, error: 'rsync: x 1_8.dbf failed', at: '2026-11-28T09:59:00.000Z' }];
  const gapsOf = (s: ReturnType<typeof standbyStatus>) => (s.configured ? s.gaps : undefined);
  assert.deepEqual(gapsOf(standbyStatus(apply(8), [], now, { failed, productionGaps: [] })), [
    { thread: 1, sequence: 8, state: 'shipping_failed', detail: "not on DR: copy_archivelog's last transfer of it failed (rsync: x 1_8.dbf failed); it is retried every pass" },
  ]);
  assert.deepEqual(gapsOf(standbyStatus(apply(8, [{ thread: 1, sequence: 8, path: '/dr/arch/1_8.dbf' }]), [], now, { failed, productionGaps: [] })), [
    { thread: 1, sequence: 8, state: 'missing_on_dr', detail: 'shipped, but not on DR (/dr/arch/1_8.dbf): copy_archivelog ships it again' },
  ]);
  assert.deepEqual(gapsOf(standbyStatus(apply(8), [], now, { failed, productionGaps: [{ thread: 1, sequence: 8, reason: 'r' }] })), []);
  assert.deepEqual(gapsOf(standbyStatus(apply(9), [], now, { failed, productionGaps: [] })), [], 'a failure of a log the standby has passed is not its gap');
});

test('reship requests: kept while the standby needs them, dropped once applied past, asked anew when still missing a minute later', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reship-'));
  try {
    const state = new StateFiles(dir, 'DBPROD');
    const t0 = new Date('2026-11-28T10:00:00.000Z');
    const miss = { thread: 1, sequence: 8, path: '/dr/arch/1_8.dbf' };
    assert.deepEqual(updateReshipRequests(state, new Map([[1, 8]]), [miss], t0), [{ ...miss, requestedAt: t0.toISOString() }]);
    assert.equal(fs.statSync(state.reship()).mode & 0o777, 0o600);
    const t1 = new Date(t0.getTime() + 30_000);
    assert.deepEqual(updateReshipRequests(state, new Map([[1, 8]]), [miss], t1), [{ ...miss, requestedAt: t0.toISOString() }], 'the same request within a minute');
    const t2 = new Date(t0.getTime() + 61_000);
    assert.deepEqual(readReshipRequests(state).map(reshipKey), [`1/8/${t0.toISOString()}`]);
    assert.deepEqual(updateReshipRequests(state, new Map([[1, 8]]), [miss], t2), [{ ...miss, requestedAt: t2.toISOString() }], 'asked anew');
    assert.deepEqual(updateReshipRequests(state, new Map([[1, 8]]), [], t2), [{ ...miss, requestedAt: t2.toISOString() }], 'kept while needed');
    assert.deepEqual(updateReshipRequests(state, new Map([[1, 9]]), [], t2), [], 'applied past');
    assert.deepEqual(readReshipRequests(state), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
