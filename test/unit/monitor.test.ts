import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTimestamp } from '../../lib/log.ts';
import { humanBytes, renderMonitor, type Snapshot } from '../../lib/monitor.ts';

const base: Snapshot = {
  session: 'DR_DBPROD',
  sid: 'dbprod',
  now: new Date('2026-11-21T23:40:00Z'),
  cutoff: '12345678901234',
  backupPid: 4242,
  backup: {
    pid: 4242,
    startedAt: '2026-11-21T23:30:00Z',
    updatedAt: '2026-11-21T23:40:00Z',
    totalBytes: 4 * 1024 ** 3,
    doneBytes: 1024 ** 3,
    rateBytesPerSec: 50 * 1024 ** 2,
    etaSeconds: 61,
    tablespaces: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`TS_${i}`, i < 30 ? 'done' : 'pending'])) as Record<string, 'done' | 'pending'>,
    finished: false,
  },
  doneCount: 30,
  inBackupMode: ['USERS', 'my ts', ...Array.from({ length: 30 }, (_, i) => `VERY_LONG_TABLESPACE_NAME_${i}`)],
  archPid: 4243,
  arch: { updatedAt: 'x', cutoffScn: '1', shippedTotal: 9, threads: [{ thread: 1, productionSequence: 57, lastShipped: 55 }], gaps: [] },
  lastErrors: Array.from({ length: 10 }, (_, i) => `2026-11-21 23:3${i}:00 [copy_archivelog] error ${i}`),
};

test('the monitor fits 80x24 and says what a DBA looks for', () => {
  const lines = renderMonitor(base, 80, 24);
  assert.ok(lines.length <= 24);
  for (const l of lines) assert.ok(l.length <= 80, `too wide: ${l}`);
  assert.equal(lines[0], `DR_DBPROD  dbprod  ${formatTimestamp(base.now)}  cutoff SCN 12345678901234`); // local time, like the logs
  assert.equal(lines[2], 'HOT BACKUP  running (pid 4242)');
  assert.equal(lines[3], '  tablespaces: 30 done, 32 in backup mode, 38 pending, 0 failed');
  assert.equal(lines[4], '  copied 1.0 GiB of 4.0 GiB (25%)  50.0 MiB/s  ETA 00:01:01');
  assert.match(lines[6], /^  in backup mode: USERS, my ts, .*\(\+\d+ more\)$/);
  assert.equal(lines[9], '  thread 1: production at sequence 57, shipped through 55  (1 behind)');
  assert.equal(lines[10], '  gaps: none');
  assert.equal(lines[lines.length - 1], '  2026-11-21 23:39:00 [copy_archivelog] error 9');
});

test('gaps and a failed backup are shown, not hidden', () => {
  const s: Snapshot = {
    ...base,
    backupPid: undefined,
    backupResult: { pid: 1, exitCode: 6, finishedAt: '2026-11-21T23:39:59.000Z', message: '1 tablespace(s) not backed up:' },
    arch: { ...base.arch!, gaps: [{ thread: 1, sequence: 56, reason: 'missing' }] },
  };
  const lines = renderMonitor(s, 80, 24);
  const at = formatTimestamp(new Date('2026-11-21T23:39:59.000Z')).slice(11);
  assert.equal(lines[2], `HOT BACKUP  FAILED (exit 6) ${at}: 1 tablespace(s) not backed up:`);
  assert.ok(lines.includes('  GAP: thread 1 seq 56'));
});

test('byte sizes read naturally', () => {
  assert.equal(humanBytes(512), '512 B');
  assert.equal(humanBytes(1536), '1.5 KiB');
  assert.equal(humanBytes(3 * 1024 ** 4), '3.0 TiB');
});

test('a pane process that is gone counts as dead (tmux 3.3a may not reap it)', async () => {
  const { processGone } = await import('../../lib/tmux.ts');
  assert.equal(processGone(process.pid), false);
  assert.equal(processGone(2 ** 22 + 12345), true);
});
