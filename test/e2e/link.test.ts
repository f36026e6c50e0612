// The suite over a WAN-like link: the DR host in its own network namespace behind a shaped
// veth pair (test/helpers/netns.ts), datafiles half filled with row data, compression chosen
// by capability, a total bandwidth budget shared by the datafile streams with a share kept for
// archived logs; the standby recovers and verifies identical. Short: a few seconds of transfer.
// Then incompressible datafiles over the loopback sshd: auto sends them uncompressed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { makeWorld, waitFor } from './world.ts';

const root = process.getuid?.() === 0;

test('over a shaped 40 Mbit link with a 32 Mbit budget: compressed, polite, and the standby recovers', { skip: !root && 'needs root (network namespace)' }, async () => {
  const w = await makeWorld({
    tablespaces: 4,
    datafiles: 8,
    blocks: 512,
    seed: 17,
    fill: 0.5,
    link: { rateMbit: 40 },
    parallel: 2,
    extraConfig: { transfer: { max_rate: '32Mbit', archivelog_share: 0.25 } },
  });
  const shipper = spawn(w.toolArgv('copy_archivelog')[0]!, w.toolArgv('copy_archivelog').slice(1), { env: w.env, stdio: 'ignore' });
  try {
    await waitFor('the cutoff SCN', () => w.readState('scn_cutoff.DBPROD'), 60_000);
    assert.equal((await w.sim(['workload', '--rate', '300'])).code, 0);
    const r = await w.tool('hot_backup_ts');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = w.readLog('hot_backup_ts.DBPROD.out');
    // both ends' rsync were asked; zstd is common to them, so auto takes it
    assert.match(out, /\[INFO\] rsync \S+ here \(protocol \d+\), \S+ on the DR host \(protocol \d+\): common compression zstd /);
    assert.match(out, /\[INFO\] compression: zstd level 1 \(auto: zstd \(both ends have it; /);
    // row data compresses: the sample of the datafiles keeps zstd for them
    assert.match(out, /\[INFO\] datafile compression: zstd level 1 \(auto: zstd \(both ends have it; link speed unknown; fast enough not to slow any link\); a sample of 2\.0 MiB from 8 datafile\(s\) deflates to \d+\.\d % at level 1\)\n/);
    assert.match(out, /\[INFO\] bandwidth: at most 32\.0 Mbit\/s in total: 8\.0 Mbit\/s kept for archived logs, 24\.0 Mbit\/s shared by the datafile streams/);
    assert.match(out, /\[INFO\] full copy: no file has a DR copy of its size/);
    // compression worked: far fewer bytes crossed the link than the files hold
    const totals = /\[INFO\] full copy: ([\d.]+) MiB sent for ([\d.]+) MiB of files/.exec(out);
    assert.ok(totals && Number(totals[1]) < 0.6 * Number(totals[2]), totals?.[0]);
    // every datafile rsync carries the compression, the checksum and its bandwidth share;
    // the shares of the streams running together never add up to more than the budget
    const argvs = w.readLog('hot_backup_ts.DBPROD.rsync.log').split('\n').filter((l) => / rsync .*--out-format/.test(l));
    assert.ok(argvs.length >= 2, `${argvs.length} rsync runs`);
    for (const a of argvs) {
      assert.match(a, / --compress --compress-choice=zstd --compress-level=1 --checksum-choice=\S+ /);
      assert.match(a, / --whole-file --stats --bwlimit=\d+ /);
    }
    const shares = [...out.matchAll(/batch (\d+): bandwidth share ([\d.]+) Mbit\/s of the datafile budget 24\.0 Mbit\/s \((none|[\d.]+ Mbit\/s) held by the other running streams\)/g)];
    assert.equal(shares.length, argvs.length);
    for (const [, , share, held] of shares) assert.ok(Number(share) + (held === 'none' ? 0 : parseFloat(held!)) <= 24.0 + 0.01, `${share} + ${held}`);
    assert.equal(Number(shares[0]![2]), 12.0, 'two workers, many batches: half of the budget each');

    // the shipper's own share: its log says what it keeps
    await waitFor('logs shipped', () => w.readLog('copy_archivelog.DBPROD.log').includes('shipped thread 1') || undefined, 60_000);
    assert.match(w.readLog('copy_archivelog.DBPROD.log'), /\[INFO\] bandwidth: at most 32\.0 Mbit\/s in total: 8\.0 Mbit\/s kept for archived logs/);

    assert.equal((await w.sim(['workload', '--stop'])).code, 0);
    const last = await w.archiveCurrent();
    await waitFor(`sequence ${last} shipped`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= last || undefined, 60_000);
    const { recover, verify } = await w.recoverAndVerify();
    assert.equal(recover.code, 0, recover.stdout + recover.stderr);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /^verify: \d+ files, \d+ blocks identical at SCN \d+$/m);
    assert.ok((await w.link!.shapedBytes()) > 0, 'the traffic crossed the shaped link');
  } finally {
    shipper.kill('SIGTERM');
    await new Promise((r) => (shipper.exitCode !== null ? r(null) : shipper.once('exit', r)));
    await w.dispose();
  }
});

test('incompressible datafiles: auto sends them uncompressed, says why, and the standby recovers', async () => {
  const w = await makeWorld({ tablespaces: 3, datafiles: 5, blocks: 256, seed: 23, fill: 1, fillStyle: 'random', parallel: 2 });
  try {
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    const r = await w.tool('hot_backup_ts');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = w.readLog('hot_backup_ts.DBPROD.out');
    // the run's choice (zstd: both ends have it) is logged, then the datafiles' own
    assert.match(out, /\[INFO\] compression: zstd level 1 \(auto: zstd \(both ends have it; /);
    const chose = /\[INFO\] datafile compression: none \(auto: none \(a sample of 2\.0 MiB from 7 datafile\(s\) deflates to (\d+\.\d) % at level 1: compressing would save less than 10 %, not worth the CPU of both ends\)\)\n/.exec(out);
    assert.ok(chose, out);
    assert.ok(Number(chose[1]) > 90, chose[0]); // random payload in every block, Oracle block headers
    const argvs = w.readLog('hot_backup_ts.DBPROD.rsync.log').split('\n').filter((l) => / rsync .*--out-format/.test(l));
    assert.ok(argvs.length >= 2, `${argvs.length} rsync runs`);
    for (const a of argvs) {
      assert.doesNotMatch(a, /--compress/);
      assert.match(a, / --checksum-choice=\S+ /);
    }
    const last = await w.archiveCurrent();
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    assert.ok(Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= last);
    const { recover, verify } = await w.recoverAndVerify();
    assert.equal(recover.code, 0, recover.stdout + recover.stderr);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /^verify: \d+ files, \d+ blocks identical at SCN \d+$/m);
  } finally {
    await w.dispose();
  }
});
