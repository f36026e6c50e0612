// Housekeeping of the DR archive directory by apply_standby (issue 8 item 7), against the
// simulator's standby instance over the harness sshd, with a DR root whose path holds a space:
// after a pass, shipped logs the standby has applied and that are older than
// standby.housekeeping.retention_hours are deleted on DR, nothing else (a log shipped but not
// applied, a recent applied one, a file of another name); the DR archive directory's space is
// in the apply progress, bin/status and the monitor; the standby still recovers and verifies.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ok, shipAll } from './steps.ts';
import { makeWorld } from './world.ts';


const GiB = 2 ** 30;
/** What lib/status/format.ts humanBytes prints (written out again here: the test must not trust the product's formatting). */
function human(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

const seqOf = (name: string) => Number(/^1_(\d+)_\d+\.dbf$/.exec(name)?.[1] ?? NaN);

test('apply_standby deletes on DR only applied shipped logs older than the retention, reports the DR archive dir space, and the standby still verifies identical', async () => {
  const w = await makeWorld({ tablespaces: 2, datafiles: 4, blocks: 64, seed: 41, drName: 'dr site' });
  const drHome = path.join(w.dr, 'oh');
  const arch = path.join(w.dr, 'arch');
  const log = () => w.readLog('apply_standby.DBPROD.log');
  const lines = (re: RegExp) => log().split('\n').filter((l) => re.test(l));
  try {
    assert.equal((await w.sim(['workload', '--rate', '100'])).code, 0);
    await ok(w, 'copy_archivelog', ['--once']);
    await ok(w, 'hot_backup_ts');
    for (let i = 0; i < 3; i++) await w.archiveCurrent();
    await shipAll(w);
    const init = await w.sim(['standby-init', '--home', drHome, '--sid', 'DBPROD', '--controlfile', path.join(w.dr, 'ctl', 'standby.ctl'), '--archive-dest', arch]);
    assert.equal(init.code, 0, init.stdout + init.stderr);
    w.updateConfig({ standby: { apply: true, oracle_home: drHome, housekeeping: { retention_hours: 24 } } });

    // first pass: everything applied, nothing old enough
    await ok(w, 'apply_standby', ['--once']);
    const first = fs.readdirSync(arch).filter((n) => /^1_\d+_\d+\.dbf$/.test(n)).sort((x, y) => seqOf(x) - seqOf(y));
    assert.ok(first.length >= 3, first.join(' '));
    const hk1 = lines(/housekeeping: /);
    assert.equal(hk1.length, 1, log());
    assert.match(hk1[0]!, new RegExp(`\\[INFO\\] housekeeping: deleted 0 applied log\\(s\\) older than 24h, kept ${first.length}; DR archive dir ${arch.replace(/[.]/g, '\\.')}: used \\d+% \\(\\d+(\\.\\d)? [KMGT]?i?B free\\)$`));

    // production goes on; its newest logs reach DR after that pass (copied there by hand here,
    // as a shipment that lands while the pass runs): on DR and NOT applied
    const p1 = JSON.parse(w.readState('apply_standby.DBPROD.progress.json')!) as { threads: { nextNeeded: number }[] };
    const next = p1.threads[0]!.nextNeeded;
    for (let i = 0; i < 3; i++) await w.archiveCurrent();
    const newer = await w.query(`SELECT name FROM v$archived_log WHERE thread# = 1 AND dest_id = 1 AND sequence# >= ${next} ORDER BY sequence#`);
    assert.equal(newer.length, 3, newer.join(' '));
    for (const n of newer) fs.copyFileSync(n, path.join(arch, path.basename(n)));
    // every file two days old, but one applied log (recent: within the retention)
    const old = new Date(Date.now() - 48 * 3600_000);
    fs.writeFileSync(path.join(arch, 'notes 1_1_1.dbf.txt'), 'not a log\n');
    for (const n of fs.readdirSync(arch)) fs.utimesSync(path.join(arch, n), old, old);
    const recent = first.at(-1)!;
    fs.utimesSync(path.join(arch, recent), new Date(), new Date());
    const before = fs.readdirSync(arch).sort();
    const applied = before.filter((n) => seqOf(n) < next);
    const unapplied = before.filter((n) => seqOf(n) >= next);
    assert.ok(unapplied.length === 3 && applied.length >= 3, before.join(' '));
    const expectDeleted = applied.filter((n) => n !== recent);

    await ok(w, 'apply_standby', ['--once']);
    const after = fs.readdirSync(arch).sort();
    assert.deepEqual(after, before.filter((n) => !expectDeleted.includes(n)));
    for (const n of unapplied) assert.ok(after.includes(n), `${n} (shipped, not applied) must stay`);
    const seqs = expectDeleted.map(seqOf).sort((a, b) => a - b);
    const contiguous = seqs.every((s, i) => i === 0 || s === seqs[i - 1]! + 1);
    assert.ok(contiguous, seqs.join(' '));
    const hk2 = lines(/housekeeping: /).at(-1)!;
    const m = new RegExp(
      `\\[INFO\\] housekeeping: deleted ${expectDeleted.length} applied log\\(s\\) older than 24h \\(thread 1 sequences ${seqs[0]}-${seqs.at(-1)}\\), kept ${1 + unapplied.length}; DR archive dir ${arch.replace(/[.]/g, '\\.')}: used (\\d+)% \\((\\S+ \\S+) free\\)$`,
    ).exec(hk2);
    assert.ok(m, hk2);

    // the space in the progress file, bin/status --json and the monitor say the same as the log
    const df = execFileSync('df', ['-P', '-B1', '--', arch], { encoding: 'utf8' }).split('\n')[1]!.trim().split(/\s+/);
    const doc = JSON.parse((await ok(w, 'status', ['--json'])).stdout) as { databases: { standby: { drArchive?: { dir: string; usedPercent: number; availBytes: number; totalBytes: number; mount: string; observedAt: string } } }[] };
    const a = doc.databases[0]!.standby.drArchive!;
    assert.equal(a.dir, arch);
    assert.equal(a.totalBytes, Number(df[1]));
    assert.equal(a.mount, df.slice(5).join(' '));
    assert.equal(`${a.usedPercent}`, m[1]);
    assert.equal(human(a.availBytes), m[2]);
    assert.ok(Math.abs(a.availBytes - Number(df[3])) < 1 * GiB, `${a.availBytes} vs df ${df[3]}`);
    const mon = (await ok(w, 'monitor', ['--once'])).stdout;
    const want = `  DR archive dir: used ${a.usedPercent}% (${human(a.availBytes)} free) in ${arch}`;
    assert.ok(mon.split('\n').includes(want.length > 80 ? `${want.slice(0, 79)}~` : want), mon);

    // the shipper ships them (and more): apply goes on through every log
    assert.equal((await w.sim(['workload', '--stop'])).code, 0);
    const end = await shipAll(w);
    await ok(w, 'apply_standby', ['--once']);
    assert.match(log(), new RegExp(`applied thread 1 through sequence ${end} `));
    assert.ok(fs.existsSync(path.join(arch, 'notes 1_1_1.dbf.txt')), 'a file of another name is never deleted');
    assert.equal((await w.sim(['stop', '--home', drHome, '--sid', 'DBPROD'])).code, 0);
    const v = await w.sim(['verify', '--home', drHome, '--sid', 'DBPROD']);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /^verify: \d+ files, \d+ blocks identical at SCN \d+$/m);
  } finally {
    await w.sim(['crash', '--home', drHome, '--sid', 'DBPROD']).catch(() => undefined);
    await w.dispose();
  }
});

test('housekeeping.enabled: false deletes nothing, however old; with a local DR path (no ssh) the same commands run here', async () => {
  const w = await makeWorld({ tablespaces: 2, datafiles: 3, blocks: 64, seed: 42, ssh: false });
  const drHome = path.join(w.dr, 'oh');
  const arch = path.join(w.dr, 'arch');
  try {
    await ok(w, 'copy_archivelog', ['--once']);
    await ok(w, 'hot_backup_ts');
    await shipAll(w);
    const init = await w.sim(['standby-init', '--home', drHome, '--sid', 'DBPROD', '--controlfile', path.join(w.dr, 'ctl', 'standby.ctl'), '--archive-dest', arch]);
    assert.equal(init.code, 0, init.stdout + init.stderr);
    w.updateConfig({ standby: { apply: true, oracle_home: drHome, housekeeping: { enabled: false, retention_hours: 0 } } });
    const old = new Date(Date.now() - 48 * 3600_000);
    for (const n of fs.readdirSync(arch)) fs.utimesSync(path.join(arch, n), old, old);
    const before = fs.readdirSync(arch).sort();
    await ok(w, 'apply_standby', ['--once']);
    assert.deepEqual(fs.readdirSync(arch).sort(), before);
    assert.doesNotMatch(w.readLog('apply_standby.DBPROD.log'), /housekeeping/);
    // retention 0 once enabled: every applied log goes, the one the standby needs next stays
    w.updateConfig({ standby: { housekeeping: { enabled: true, retention_hours: 0 } } });
    const last = await shipAll(w);
    await ok(w, 'apply_standby', ['--once']);
    assert.deepEqual(fs.readdirSync(arch).filter((n) => /^1_\d+_\d+\.dbf$/.test(n)), []);
    assert.match(w.readLog('apply_standby.DBPROD.log'), new RegExp(`housekeeping: deleted \\d+ applied log\\(s\\) older than 0h \\(thread 1 sequences \\d+-${last}\\), kept 0; `));
  } finally {
    await w.sim(['crash', '--home', drHome, '--sid', 'DBPROD']).catch(() => undefined);
    await w.dispose();
  }
});
