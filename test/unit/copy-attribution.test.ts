import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failedInBatch, type BatchResult } from '../../lib/backup/attribution.ts';
import type { Batch, FilePlan } from '../../lib/backup/plan.ts';

// BYTES as the database gives it; the files on disk are one (8 KiB) block longer.
const f = (id: number, ts: string, rel: string): FilePlan => ({ fileId: id, tablespace: ts, source: `/u05/${rel}`, dest: `/u15/${rel}`, bytes: 81920, rule: { from: '/u05', to: '/u15' } });
const a = f(1, 'APP', 'd/app01.dbf');
const b = f(2, 'USERS', 'd/users 01.dbf');
const batch: Batch = { id: 1, srcRoot: '/u05', destRoot: '/u15', files: [a, b], tablespaces: ['APP', 'USERS'], bytes: 163840 };
const sentBoth = new Map([['d/app01.dbf', 90112], ['d/users 01.dbf', 90112]]);
const res = (r: Partial<BatchResult>): BatchResult => ({ code: 0, sent: sentBoth, resent: new Set(), errors: [], ...r });
const ids = (m: Map<FilePlan, unknown>) => [...m.keys()].map((x) => x.fileId).sort();

test('exit 0: only a file rsync did not report fails', () => {
  assert.deepEqual(ids(failedInBatch(batch, res({}))), []);
  assert.deepEqual([...failedInBatch(batch, res({ sent: new Map([['d/app01.dbf', 90112]]) })).entries()].map(([k, v]) => [k.fileId, v]), [
    [2, { why: 'rsync exited 0 but did not report the file', retry: false }],
  ]);
});

test('exit 0: a file rsync sent a second time (its checksum failed on DR) fails and is retried', () => {
  const m = failedInBatch(batch, res({ resent: new Set(['d/users 01.dbf']) }));
  assert.deepEqual([...m.entries()].map(([k, v]) => [k.fileId, v]), [
    [2, { why: "rsync's whole-file checksum failed on DR and rsync sent the file a second time, possibly after END BACKUP: it must be copied again inside a backup window", retry: true }],
  ]);
});

test('exit 0: a file sent shorter than its size in the database plus a header block fails (a symbolic link sent as a link)', () => {
  const m = failedInBatch(batch, res({ sent: new Map([['d/app01.dbf', 41], ['d/users 01.dbf', 83968]]) }));
  assert.deepEqual([...m.entries()].map(([k, v]) => [k.fileId, v]), [
    [1, { why: 'rsync sent 41 bytes, less than the 81920 bytes the database gives it plus its header block: not a complete datafile', retry: false }],
  ]);
  // 2 KiB blocks: BYTES + 2048 is complete.
  assert.deepEqual(ids(failedInBatch(batch, res({ sent: new Map([['d/app01.dbf', 83968], ['d/users 01.dbf', 83968]]) }))), []);
  // BYTES unknown (0): no minimum.
  assert.deepEqual(ids(failedInBatch({ ...batch, files: [{ ...a, bytes: 0 }] }, res({ sent: new Map([['d/app01.dbf', 0]]) }))), []);
});

test('exit 23 with every error naming a file: only the named file fails', () => {
  const errors = ['rsync: [receiver] open "/u15/d/app01.dbf" failed: Operation not permitted (1)', 'rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1394) [sender=3.5.0]'];
  assert.deepEqual(ids(failedInBatch(batch, res({ code: 23, errors }))), [1]);
  assert.equal(failedInBatch(batch, res({ code: 23, errors })).get(a)?.why, `rsync exit code 23 (partial transfer due to error): ${errors.join(' | ')}`);
});

test('exit 23 after a second failed verification: the file the message names fails, not its neighbours', () => {
  const errors = ['ERROR: d/users 01.dbf failed verification -- update retained.', 'rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [sender=3.1.3]'];
  assert.deepEqual(ids(failedInBatch(batch, res({ code: 23, errors, resent: new Set(['d/users 01.dbf']) }))), [2]);
});

test('exit 23 with an error that names no file of the batch: the whole batch fails', () => {
  const errors = ['rsync: [receiver] open "/u15/d/app01.dbf" failed: Operation not permitted (1)', 'rsync: [generator] failed to set times on "/u15/d": Operation not permitted (1)'];
  assert.deepEqual(ids(failedInBatch(batch, res({ code: 23, errors }))), [1, 2]);
});

test('any other exit code fails the whole batch, even when files were reported sent', () => {
  assert.deepEqual(ids(failedInBatch(batch, res({ code: 255, errors: ['ssh: connect to host x port 22: Connection refused'] }))), [1, 2]);
  assert.deepEqual(ids(failedInBatch(batch, res({ code: 12 }))), [1, 2]);
  assert.equal(failedInBatch(batch, res({ code: 1 })).get(a)?.retry, false);
});
