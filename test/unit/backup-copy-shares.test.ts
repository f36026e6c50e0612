// copyPlan hands out each batch's flags (its bandwidth share among them) when a worker takes the
// batch off the queue. Taken after BEGIN BACKUP instead, the worker whose BEGIN BACKUP answered
// first counted no batch still queued and took the whole budget, leaving the other stream
// 1 KiB/s for its whole copy (seen in test/e2e/link.test.ts: a 7 MB batch at --bwlimit=1).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { copyPlan } from '../../lib/backup/copy.ts';
import type { BackupPlan, Batch, FilePlan, TablespacePlan } from '../../lib/backup/plan.ts';
import type { Windows } from '../../lib/backup/windows.ts';
import type { Logger } from '../../lib/log.ts';
import { StreamShares } from '../../lib/transfer/bandwidth.ts';

const file = (fileId: number, tablespace: string): FilePlan => ({ fileId, tablespace, source: `/nowhere/f${fileId}.dbf`, dest: `/dr/f${fileId}.dbf`, bytes: 1000, rule: null });
const tsPlan = (name: string, f: FilePlan): TablespacePlan => ({ name, core: false, window: 'begin', files: [f], bytes: f.bytes, keptFiles: [] });
const batch = (id: number, f: FilePlan): Batch => ({ id, srcRoot: '/', destRoot: '/', files: [f], tablespaces: [f.tablespace], bytes: f.bytes });

// An "rsync" that copies nothing for 0.3 s: both streams run at the same time.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shares-'));
const slowRsync = path.join(dir, 'rsync');
fs.writeFileSync(slowRsync, '#!/bin/sh\ncat >/dev/null\nsleep 0.3\n', { mode: 0o700 });
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('two streams starting together get half the budget each, whichever BEGIN BACKUP answers first', async () => {
  for (const slow of ['A', 'B']) {
    const [fa, fb] = [file(1, 'A'), file(2, 'B')];
    const plan: BackupPlan = { tablespaces: [tsPlan('A', fa), tsPlan('B', fb)], skipped: [], batches: [batch(1, fa), batch(2, fb)], totalBytes: 2000, strayBackupMode: [], foreignWindows: [] };
    const windows = {
      windowScn: new Map<number, bigint>(),
      isOpen: () => false,
      ensure: (p: TablespacePlan) => sleep(p.name === slow ? 100 : 0),
      close: async () => undefined,
      openedDuringCopy: async () => undefined,
    } as unknown as Windows;
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Logger;
    const shares = new StreamShares(24_000_000, 2);
    const granted = new Map<number, { bytesPerSec: number; token: number }>();
    const outcome = await copyPlan(
      plan,
      {
        windows,
        log: quiet,
        tsLog: () => quiet,
        rsyncLog: () => undefined,
        rsync: { program: slowRsync, args: [], rsh: () => undefined, destSpec: (d) => d, retries: 0 },
        writeDone: () => undefined,
        cutoff: 1n,
        parallel: 2,
        batchRsync: {
          args: (b, queuedAfter) => {
            granted.set(b.id, shares.grant(queuedAfter));
            return [];
          },
          output: () => undefined,
          done: (b) => shares.release(granted.get(b.id)!.token),
        },
      },
      new AbortController().signal,
    );
    assert.deepEqual(
      [...granted.entries()].map(([id, g]) => [id, g.bytesPerSec]).sort(),
      [
        [1, 12_000_000],
        [2, 12_000_000],
      ],
      `slow BEGIN BACKUP for ${slow}`,
    );
    assert.equal(shares.inUse, 0, 'every share went back');
    assert.equal(outcome.failed.length, 2); // nothing was copied: no file is certified
  }
});
