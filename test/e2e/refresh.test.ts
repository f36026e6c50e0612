// Refresh as a first-class operation: a new cycle on the DR copy of an older one sends only
// what changed (rsync delta, 8 KiB blocks), while production keeps changing blocks; a file
// missing on DR or of another size there is copied whole; the standby then recovers and
// verifies identical. The DR host sits behind a shaped 200 Mbit link (the link speed is
// measured, so `delta: auto` is what decides).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { monitorScreen } from '../../lib/monitor.ts';
import { loadConfig } from '../../lib/config/index.ts';
import { makeWorld, waitFor } from './world.ts';

const root = process.getuid?.() === 0;

test('a refresh under load after 2 % of blocks changed sends a few % of the bytes, copies odd files whole, and recovers', { skip: !root && 'needs root (network namespace)' }, async () => {
  const w = await makeWorld({ tablespaces: 6, datafiles: 16, blocks: 640, seed: 9, fill: 0.5, link: { rateMbit: 200 }, logSize: '512K' });
  try {
    const tool = async (bin: 'hot_backup_ts' | 'copy_archivelog', args: string[] = []) => {
      const r = await w.tool(bin, args);
      assert.equal(r.code, 0, `${bin} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    };
    // cycle 1: a full copy, while production changes blocks
    assert.equal((await w.sim(['workload', '--rate', '200'])).code, 0);
    await tool('copy_archivelog', ['--once']);
    await tool('hot_backup_ts');
    const first = w.readLog('hot_backup_ts.DBPROD.out');
    assert.match(first, /\[INFO\] full copy: no file has a DR copy of its size\n/);
    const full = /\[INFO\] full copy: ([\d.]+) MiB sent for ([\d.]+) MiB of files/.exec(first)!;
    assert.ok(full, first);
    assert.equal((await w.sim(['workload', '--stop'])).code, 0);

    // 2 % of every file's blocks change; a new cycle starts on the old DR copy
    const changes = await w.changeBlocks(0.02);
    assert.ok(changes > 100, `${changes} changes`);
    await tool('copy_archivelog', ['--once', '--new-cutoff']);
    const rows = (await w.query(`SELECT file_name FROM dba_data_files ORDER BY file_id`)).map((f) => ({ src: f, dr: w.dr + '/u' + (Number(f.slice(w.prod.length + 2, w.prod.length + 4)) + 10) + f.slice(w.prod.length + 4) }));
    assert.ok(rows.every((r) => fs.existsSync(r.dr)), 'every file has a DR copy after cycle 1');
    const [gone, grown] = [rows[3]!, rows[5]!];
    fs.rmSync(gone.dr);
    fs.appendFileSync(grown.dr, Buffer.alloc(8192, 1));

    // cycle 2, under load: a refresh
    const rsyncLogBefore = w.readLog('hot_backup_ts.DBPROD.rsync.log').length;
    assert.equal((await w.sim(['workload', '--rate', '100'])).code, 0);
    await tool('hot_backup_ts');
    const out = w.readLog('hot_backup_ts.DBPROD.out').slice(first.length);
    assert.match(
      out,
      /\[INFO\] refresh of an existing DR copy: 14 of 16 file\(s\) there with the same size \([\d.]+ MiB\): delta transfer \(auto: link [\d.]+ MB\/s < [\d.]+ MB\/s \(scan [\d.]+ MB\/s \(default\), 10\.0 % changed \(assumed\)\)\), rsync blocks of 8 KiB; 1 file\(s\) with no DR copy \([\d.]+ MiB\): copied whole; 1 file\(s\) of another size on DR \([\d.]+ MiB\): copied whole/,
    );
    assert.match(out, /\[INFO\] link to root@\S+ \(port \d+\): measured [\d.]+ MB\/s/);
    // the two odd files went in whole-file batches, the others by delta with 8 KiB blocks
    const argv = w.readLog('hot_backup_ts.DBPROD.rsync.log').slice(rsyncLogBefore).split('\n').filter((l) => / rsync .*--out-format/.test(l));
    const logOfBatch = (id: string) => argv.find((a) => a.includes(` batch ${id}: `));
    const wholeBatches = [...out.matchAll(/\[INFO\] batch (\d+) \(whole files\): /g)].map((m) => m[1]!);
    const deltaBatches = [...out.matchAll(/\[INFO\] batch (\d+) \(delta, 8 KiB blocks\): /g)].map((m) => m[1]!);
    assert.ok(wholeBatches.length >= 1 && deltaBatches.length >= 1, out);
    for (const id of wholeBatches) assert.match(logOfBatch(id) ?? `no argv for batch ${id}`, / --whole-file --stats /);
    for (const id of deltaBatches) assert.match(logOfBatch(id) ?? `no argv for batch ${id}`, / --no-whole-file --block-size=8192 --stats /);
    // what the refresh sent, against the full copy: a few percent (2 % of blocks changed, plus
    // the blocks the workload changed meanwhile and the two files copied whole)
    const totals = /\[INFO\] refresh: ([\d.]+) MiB sent for ([\d.]+) MiB of files \([\d.]+ %\): ([\d.]+) MiB changed or new, ([\d.]+) MiB matched on DR/.exec(out)!;
    assert.ok(totals, out);
    const [sentMiB, fileMiB, literalMiB, matchedMiB] = totals.slice(1).map(Number) as [number, number, number, number];
    // (how much the workload changes meanwhile depends on how long the refresh takes on a busy
    // machine: 77 % matched was seen with other test runs sharing the two cores)
    assert.ok(matchedMiB > 0.6 * fileMiB, `most of the data matched on DR: ${totals[0]}`);
    assert.ok(literalMiB < 0.4 * fileMiB, totals[0]);
    assert.ok(sentMiB < 0.25 * Number(full[1]), `refresh sent ${sentMiB} MiB, the full copy ${full[1]} MiB`);
    // the monitor says it was a refresh, with bytes sent against file bytes
    const screen = monitorScreen(loadConfig({ configPath: w.configFile, projectRoot: w.sb.dir }), new Date());
    assert.ok(screen.some((l) => /^ {2}refresh of the DR copy: [\d.]+ MiB sent for [\d.]+ MiB of files so far \([\d.]+ %\)$/.test(l)), screen.join('\n'));

    // the standby recovers and verifies identical
    assert.equal((await w.sim(['workload', '--stop'])).code, 0);
    const last = await w.archiveCurrent();
    await tool('copy_archivelog', ['--once']);
    await waitFor(`sequence ${last} shipped`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= last || undefined, 30_000);
    assert.equal(fs.statSync(grown.dr).size, fs.statSync(grown.src).size, 'the DR copy of another size was rewritten to the production size');
    const { recover, verify } = await w.recoverAndVerify();
    assert.equal(recover.code, 0, recover.stdout + recover.stderr);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /^verify: 16 files, \d+ blocks identical at SCN \d+$/m);
  } finally {
    await w.dispose();
  }
});
