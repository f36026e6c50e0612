import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failedInBatch } from '../../lib/backup/copy.ts';
import type { Batch, FilePlan } from '../../lib/backup/plan.ts';

const f = (id: number, ts: string, rel: string): FilePlan => ({ fileId: id, tablespace: ts, source: `/u05/${rel}`, dest: `/u15/${rel}`, bytes: 100, rule: { from: '/u05', to: '/u15' } });
const a = f(1, 'APP', 'd/app01.dbf');
const b = f(2, 'USERS', 'd/users 01.dbf');
const batch: Batch = { id: 1, srcRoot: '/u05', destRoot: '/u15', files: [a, b], tablespaces: ['APP', 'USERS'], bytes: 200 };
const sentBoth = new Map([['d/app01.dbf', 100], ['d/users 01.dbf', 100]]);
const ids = (s: Set<FilePlan>) => [...s].map((x) => x.fileId).sort();

test('exit 0: only a file rsync did not report fails', () => {
  assert.deepEqual(ids(failedInBatch(batch, { code: 0, sent: sentBoth, errors: [] })), []);
  assert.deepEqual(ids(failedInBatch(batch, { code: 0, sent: new Map([['d/app01.dbf', 100]]), errors: [] })), [2]);
});

test('exit 23 with every error naming a file: only the named file fails', () => {
  const errors = ['rsync: [receiver] open "/u15/d/app01.dbf" failed: Operation not permitted (1)', 'rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1394) [sender=3.5.0]'];
  assert.deepEqual(ids(failedInBatch(batch, { code: 23, sent: sentBoth, errors })), [1]);
});

test('exit 23 with an error that names no file of the batch: the whole batch fails', () => {
  const errors = ['rsync: [receiver] open "/u15/d/app01.dbf" failed: Operation not permitted (1)', 'rsync: [generator] failed to set times on "/u15/d": Operation not permitted (1)'];
  assert.deepEqual(ids(failedInBatch(batch, { code: 23, sent: sentBoth, errors })), [1, 2]);
});

test('any other exit code fails the whole batch, even when files were reported sent', () => {
  assert.deepEqual(ids(failedInBatch(batch, { code: 255, sent: sentBoth, errors: ['ssh: connect to host x port 22: Connection refused'] })), [1, 2]);
  assert.deepEqual(ids(failedInBatch(batch, { code: 12, sent: sentBoth, errors: [] })), [1, 2]);
});
