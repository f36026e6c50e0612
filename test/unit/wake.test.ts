import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { waitForNextPass } from '../../lib/archivelog/wake.ts';

test('a new file in the archive directory wakes the shipper before the poll interval', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wake'));
  try {
    const t0 = Date.now();
    const p = waitForNextPass(10_000, dir, new AbortController().signal);
    setTimeout(() => fs.writeFileSync(path.join(dir, '1_5_1.dbf'), 'x'), 50);
    assert.equal(await p, 'file');
    assert.ok(Date.now() - t0 < 5_000);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('without a watchable directory it waits for the poll; an abort ends the wait', async () => {
  assert.equal(await waitForNextPass(50, 'USE_DB_RECOVERY_FILE_DEST', new AbortController().signal), 'poll');
  assert.equal(await waitForNextPass(50, '/nonexistent/dir', new AbortController().signal), 'poll');
  const ac = new AbortController();
  const p = waitForNextPass(10_000, undefined, ac.signal);
  ac.abort();
  assert.equal(await p, 'abort');
});
