// Refresh decisions (block size, whole-file or delta, per-file modes and batch splitting),
// the bandwidth planner, and rsync's --stats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Batch, FilePlan } from '../../lib/backup/plan.ts';
import { bwlimitArg, planBandwidth, StreamShares } from '../../lib/transfer/bandwidth.ts';
import { planRefresh } from '../../lib/transfer/batches.ts';
import { blockSizeFor, decideRunMode, fileMode, modeArgs } from '../../lib/transfer/delta.ts';
import { describeStats, StatsParser } from '../../lib/transfer/stats.ts';

const GiB = 1024 ** 3;

test('block size: Oracle\'s 8 KiB up to 2^20 blocks a file, then multiples of 8 KiB, at most rsync\'s 128 KiB', () => {
  assert.equal(blockSizeFor(100 * 2 ** 20), 8192);
  assert.equal(blockSizeFor(8 * GiB), 8192);
  assert.equal(blockSizeFor(8 * GiB + 1), 16384);
  assert.equal(blockSizeFor(32 * GiB), 32768);
  assert.equal(blockSizeFor(100 * GiB), 106496); // 13 x 8 KiB
  assert.equal(blockSizeFor(128 * GiB), 131072);
  assert.equal(blockSizeFor(2 * 1024 * GiB), 131072);
  assert.equal(blockSizeFor(0), 8192);
});

test('whole-file or delta per run: delta while the link is slower than scanning both copies', () => {
  assert.deepEqual(decideRunMode('always', { source: 'measured', bytesPerSec: 1e9 }), { mode: 'delta', reason: 'transfer.delta: always' });
  assert.deepEqual(decideRunMode('never', { source: 'measured', bytesPerSec: 1e6 }), { mode: 'whole', reason: 'transfer.delta: never' });
  assert.equal(decideRunMode('auto', { source: 'local' }).mode, 'whole');
  assert.equal(decideRunMode('auto', { source: 'unknown' }).mode, 'delta');
  assert.deepEqual(decideRunMode('auto', { source: 'measured', bytesPerSec: 25e6 }), {
    mode: 'delta',
    reason: 'auto: link 25.0 MB/s < 270.0 MB/s (scan 300.0 MB/s (default), 10.0 % changed (assumed))',
  });
  assert.deepEqual(decideRunMode('auto', { source: 'configured', bytesPerSec: 400e6 }, { scanBytesPerSec: 150e6, changedFraction: 0.02, at: '2026-01-01T00:00:00.000Z' }), {
    mode: 'whole',
    reason: 'auto: link 400.0 MB/s >= 147.0 MB/s (scan 150.0 MB/s (refresh of 2026-01-01T00:00:00.000Z), 2.0 % changed (last refresh)): sending whole files is faster than scanning both copies',
  });
});

test('a file with no DR copy or one of another size goes whole; same size goes by delta', () => {
  const delta = { mode: 'delta' as const, reason: '' };
  assert.deepEqual(fileMode(1000, undefined, delta), { mode: 'whole', why: 'no DR copy' });
  assert.deepEqual(fileMode(1000, 999, delta), { mode: 'whole', why: 'other size on DR' });
  assert.deepEqual(fileMode(1000, 1000, delta), { mode: 'delta', blockSize: 8192, why: 'same size on DR' });
  assert.deepEqual(fileMode(1000, 1000, { mode: 'whole', reason: '' }), { mode: 'whole', why: 'whole-file run' });
  assert.deepEqual(modeArgs({ mode: 'delta', blockSize: 16384, why: 'same size on DR' }), ['--no-whole-file', '--block-size=16384']);
  assert.deepEqual(modeArgs({ mode: 'whole', why: 'no DR copy' }), ['--whole-file']);
});

const file = (fileId: number, bytes: number, ts = 'USERS'): FilePlan => ({ fileId, tablespace: ts, source: `/u01/f${fileId}.dbf`, dest: `/u11/f${fileId}.dbf`, bytes, rule: null });
const batch = (id: number, files: FilePlan[]): Batch => ({ id, srcRoot: '/u01', destRoot: '/u11', files, tablespaces: [...new Set(files.map((f) => f.tablespace))], bytes: files.reduce((a, f) => a + f.bytes, 0) });

test('batches are split, in order, so each rsync has one mode and one block size', () => {
  const batches = [
    batch(1, [file(1, 100), file(2, 200, 'APP'), file(3, 300), file(4, 20 * GiB, 'BIG')]),
    batch(2, [file(5, 500), file(6, 600)]),
  ];
  const source = new Map(batches.flatMap((b) => b.files).map((f) => [f.source, f.bytes]));
  const dr = new Map([
    ['/u11/f1.dbf', 100],
    ['/u11/f3.dbf', 299],
    ['/u11/f4.dbf', 20 * GiB],
    ['/u11/f5.dbf', 500],
    ['/u11/f6.dbf', 600],
  ]);
  const r = planRefresh(batches, { source, dr }, { mode: 'delta', reason: 'auto: link 25.0 MB/s < 270.0 MB/s' });
  assert.deepEqual(
    r.batches.map((b) => [b.id, b.files.map((f) => f.fileId), b.tablespaces, b.bytes]),
    [
      [1, [1], ['USERS'], 100],
      [3, [2, 3], ['APP', 'USERS'], 500],
      [4, [4], ['BIG'], 20 * GiB],
      [2, [5, 6], ['USERS'], 1100],
    ],
  );
  assert.deepEqual([...r.modes.entries()].map(([id, m]) => [id, m.mode, m.blockSize, m.why]), [
    [1, 'delta', 8192, 'same size on DR'],
    [2, 'whole', undefined, 'no DR copy'],
    [3, 'whole', undefined, 'other size on DR'],
    [4, 'delta', 24576, 'same size on DR'],
    [5, 'delta', 8192, 'same size on DR'],
    [6, 'delta', 8192, 'same size on DR'],
  ]);
  assert.equal(r.refresh, true);
  assert.equal(
    r.summary,
    'refresh of an existing DR copy: 4 of 6 file(s) there with the same size (20480.0 MiB): delta transfer (auto: link 25.0 MB/s < 270.0 MB/s), rsync blocks of 8 KiB/24 KiB; ' +
      '1 file(s) with no DR copy (0.0 MiB): copied whole; 1 file(s) of another size on DR (0.0 MiB): copied whole; 2 batch(es) split into 4 by transfer mode',
  );
  const full = planRefresh(batches, { source, dr: new Map() }, { mode: 'whole', reason: 'nothing to refresh' });
  // the size compared is the file's on disk (Oracle's BYTES leaves out the OS header block)
  const onDisk = planRefresh([batch(9, [file(9, 8192)])], { source: new Map([['/u01/f9.dbf', 16384]]), dr: new Map([['/u11/f9.dbf', 16384]]) }, { mode: 'delta', reason: '' });
  assert.deepEqual(onDisk.modes.get(9), { mode: 'delta', blockSize: 8192, why: 'same size on DR' });
  assert.equal(full.refresh, false);
  assert.deepEqual(full.batches, batches);
  assert.equal(full.summary, 'full copy: no file has a DR copy of its size');
});

test('bandwidth: a total, a reserved share for archived logs, the rest shared by the streams', () => {
  assert.deepEqual(planBandwidth(undefined, 0.25), {});
  assert.deepEqual(planBandwidth(12_500_000, 0.25), { totalBytesPerSec: 12_500_000, archivelogBytesPerSec: 3_125_000, datafileBytesPerSec: 9_375_000 });
  assert.equal(bwlimitArg(3_125_000), '--bwlimit=3051');
  assert.equal(bwlimitArg(10), '--bwlimit=1');

  const s = new StreamShares(8_000_000, 4);
  // a run of 6 batches on 4 workers: the first four get a quarter each
  const g = [s.grant(5), s.grant(4), s.grant(3), s.grant(2)];
  assert.deepEqual(g.map((x) => x.bytesPerSec), [2_000_000, 2_000_000, 2_000_000, 2_000_000]);
  assert.equal(s.inUse, 8_000_000);
  // one finishes: one slot is idle, so one stream can start now, and it gets what was freed
  s.release(g[0]!.token);
  const e = s.grant(1);
  assert.equal(e.bytesPerSec, 2_000_000);
  // two finish while the last batch waits: it gets everything free (the tail of the run)
  s.release(g[1]!.token);
  s.release(g[2]!.token);
  const f = s.grant(0);
  assert.equal(f.bytesPerSec, 4_000_000);
  assert.equal(s.inUse, 8_000_000);
  // the tail: every other stream ends, a retry starts alone and gets the whole budget back
  for (const x of [g[3]!, e, f]) s.release(x.token);
  assert.equal(s.grant(0).bytesPerSec, 8_000_000);
});

test('the sum of the limits of running streams never exceeds the budget (but for the 1 KiB/s a stream gets when nothing is free)', () => {
  const s = new StreamShares(10_000_000, 3);
  const held: number[] = [];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 500; i++) {
    if (held.length < 3 && (held.length === 0 || rnd() < 0.6)) held.push(s.grant(Math.floor(rnd() * 5)).token);
    else s.release(held.splice(Math.floor(rnd() * held.length), 1)[0]!);
    assert.ok(s.inUse <= 10_000_000 + 1024 * held.length, `step ${i}: ${s.inUse}`);
  }
});

test('--stats of rsync 3.1 and later (thousands separators) are read; the line for the log', () => {
  const p = new StatsParser();
  const text = `
Number of files: 3 (reg: 2, dir: 1)
Number of created files: 0
Number of deleted files: 0
Number of regular files transferred: 2
Total file size: 629,145,600 bytes
Total transferred file size: 629,145,600 bytes
Literal data: 12,648,448 bytes
Matched data: 616,497,152 bytes
File list size: 0
File list generation time: 0.001 seconds
File list transfer time: 0.000 seconds
Total bytes sent: 12,992,311
Total bytes received: 1,544,061

sent 12,992,311 bytes  received 1,544,061 bytes  1,211,364.33 bytes/sec
total size is 629,145,600  speedup is 43.28`;
  for (const l of text.split('\n')) p.line(l);
  assert.equal(p.complete, true);
  assert.deepEqual(p.stats, { fileBytes: 629_145_600, literalBytes: 12_648_448, matchedBytes: 616_497_152, sentBytes: 12_992_311, receivedBytes: 1_544_061 });
  assert.equal(describeStats(p.stats), '12.4 MiB sent for 600.0 MiB of files (2.1 %): 12.1 MiB changed or new, 587.9 MiB matched on DR, 1.5 MiB of checksums back');
  const partial = new StatsParser();
  partial.line('Literal data: 5 bytes');
  assert.equal(partial.complete, false);
});
