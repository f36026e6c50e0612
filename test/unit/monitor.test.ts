process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import { humanBytes, monitorScreen, renderMonitor } from '../../lib/monitor.ts';
import { collectStatus } from '../../lib/status/snapshot.ts';
import { makeFixture, NOW } from './status-fixture.ts';

test('the monitor fits 80x24 and says what a DBA looks for', () => {
  const f = makeFixture('lagging');
  const s = collectStatus(f.config, NOW);
  s.backup.inBackupMode.push(...Array.from({ length: 30 }, (_, i) => ({ name: `VERY_LONG_TABLESPACE_NAME_${i}`, since: null, seconds: null })));
  s.lastErrors = Array.from({ length: 10 }, (_, i) => `2026-11-21 23:3${i}:00 [copy_archivelog] error ${i}`);
  const lines = renderMonitor(s, NOW, 80, 24);
  assert.ok(lines.length <= 24);
  for (const l of lines) assert.ok(l.length <= 80, `too wide: ${l}`);
  assert.deepEqual(lines.slice(0, 16), [
    'DR_DBPROD  DBPROD  2026-11-21 23:40:00  cutoff SCN 1000',
    'STATUS WARNING: transport lag 20 min, 6 sequence(s) (thread 1 archived 63, ship~',
    '',
    `HOT BACKUP  running (pid ${process.pid})`,
    '  tablespaces: 1 done, 2 in backup mode, 1 pending, 0 failed',
    '  copied 1.0 GiB of 3.0 GiB (33%)  50.0 MiB/s  ETA 00:00:41',
    `  [${'#'.repeat(25)}${'.'.repeat(51)}]`,
    '  in backup mode: APP, USERS, VERY_LONG_TABLESPACE_NAME_0 (+29 more)',
    '',
    `ARCHIVED LOGS  shipping (pid ${process.pid}), last pass 2 s ago`,
    '  thread 1: production at sequence 64, shipped through 57  (6 behind, 20 min)',
    '  gaps: none',
    'STANDBY  apply not configured (no report from apply_standby)',
    '',
    'LAST ERRORS (log/errors.DBPROD.log)',
    '  2026-11-21 23:31:00 [copy_archivelog] error 1',
  ]);
  assert.equal(lines.length, 24);
  assert.equal(lines[lines.length - 1], '  2026-11-21 23:39:00 [copy_archivelog] error 9');
});

test('gaps, a dead shipper and a failed backup are shown, not hidden', () => {
  const f = makeFixture('dead');
  const s = collectStatus(f.config, NOW);
  s.backup.lastRun = { exitCode: 6, finishedAt: '2026-11-21T23:39:59.000Z', message: '1 tablespace(s) not backed up:' };
  s.transport.gaps = [{ thread: 1, sequence: 56, reason: 'missing' }, { thread: 1, sequence: 58, reason: 'missing', where: 'rman_backup', location: 'backup set 1/1' }];
  const lines = renderMonitor(s, NOW, 80, 24);
  assert.equal(lines[1], 'STATUS CRITICAL (2 problems): copy_archivelog died (pid 4206649) without ending~');
  assert.equal(lines[3], 'HOT BACKUP  FAILED (exit 6) 23:39:59: 1 tablespace(s) not backed up:');
  assert.equal(lines[9], 'ARCHIVED LOGS  shipper DIED (pid 4206649), last pass 10 min ago');
  assert.ok(lines.includes('  GAP: thread 1 seq 56, thread 1 seq 58 (only in an RMAN backup)'), lines.join('\n'));
});

test('a state file that cannot be read is shown in the window, which stays up', () => {
  const f = makeFixture('healthy');
  fs.writeFileSync(f.state.progress('copy_archivelog'), '{ half a fil');
  const lines = monitorScreen(f.config, NOW);
  assert.equal(lines[2], 'STATUS UNKNOWN: the state files cannot be read');
  const text = lines.slice(3).join('');
  assert.ok(text.startsWith(`unable to read state file ${f.state.progress('copy_archivelog')}: `), text);
  assert.match(text, /HINT: the file is corrupt; move it aside/);
  for (const l of lines) assert.ok(l.length <= 80);
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

test('a refresh says so, with the bytes sent against the file bytes of finished batches', () => {
  const f = makeFixture('lagging');
  const s = collectStatus(f.config, NOW);
  s.backup.transfer = { kind: 'refresh', fileBytes: 600 * 1024 ** 2, sentBytes: 12.5 * 1024 ** 2 };
  const lines = renderMonitor(s, NOW, 80, 24);
  assert.ok(lines.length <= 24);
  assert.equal(lines[7], '  refresh of the DR copy: 12.5 MiB sent for 600.0 MiB of files so far (2.1 %)');
  assert.match(lines[8]!, /^  in backup mode: /);
  s.backup.transfer = { kind: 'full copy', fileBytes: 0, sentBytes: 0 };
  assert.equal(renderMonitor(s, NOW, 80, 24)[7], '  full copy');
});

test('the status reads the transfer figures hot_backup_ts writes in its progress file', () => {
  const f = makeFixture('lagging');
  const file = f.state.progress('hot_backup_ts');
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(collectStatus(f.config, NOW).backup.transfer, undefined);
  fs.writeFileSync(file, JSON.stringify({ ...p, transfer: { kind: 'refresh', fileBytes: 100, sentBytes: 3 } }));
  assert.deepEqual(collectStatus(f.config, NOW).backup.transfer, { kind: 'refresh', fileBytes: 100, sentBytes: 3 });
});

test("status counts this database's markers and shows its errors, not those of another database sharing the directories", () => {
  const f = makeFixture('healthy');
  try {
    const marker = JSON.stringify({ tablespace: 'USERS', cutoffScn: '1000', files: [] });
    fs.writeFileSync(`${f.config.dirs.state}/ts_DBTEST.USERS.done`, marker); // another database's
    fs.writeFileSync(`${f.config.dirs.state}/ts_DATA.done`, marker); // an unkeyed marker of an earlier version
    fs.writeFileSync(`${f.config.dirs.log}/errors.DBPROD.log`, '2026-11-21 23:39:00 [copy_archivelog] mine\n');
    fs.writeFileSync(`${f.config.dirs.log}/errors.DBTEST.log`, '2026-11-21 23:39:30 [copy_archivelog] theirs\n');
    const s = collectStatus(f.config, NOW);
    assert.equal(s.backup.tablespaces.done, 3);
    assert.deepEqual(s.lastErrors, ['2026-11-21 23:39:00 [copy_archivelog] mine']);
    assert.ok(renderMonitor(s, NOW).includes('LAST ERRORS (log/errors.DBPROD.log)'));
  } finally {
    fs.rmSync(f.dir, { recursive: true, force: true });
  }
});

test('the monitor and status --check say the same about the same files (one source): severity and first problem', async () => {
  const { renderCheck } = await import('../../lib/status/check.ts');
  for (const scenario of ['healthy', 'lagging', 'gap', 'dead'] as const) {
    const f = makeFixture(scenario);
    const line = renderCheck([{ status: collectStatus(f.config, NOW), thresholds: f.config.thresholds }]).line;
    const check = /^DR DBPROD (\w+) - (.*)$/.exec(line.slice(0, line.indexOf(' | ')))!;
    const mon = /^STATUS (\w+)(?: \(\d+ problems\))?(?:: (.*))?$/.exec(monitorScreen(f.config, NOW, 400, 40)[1])!;
    assert.equal(mon[1], check[1], scenario);
    // the check lists every problem, the monitor's STATUS line the first one: the same words
    if (mon[1] !== 'OK') assert.ok(check[2].startsWith(`${mon[2]}`), `${scenario}: ${mon[2]} / ${check[2]}`);
    else assert.equal(mon[2], undefined);
    assert.equal(mon[1], { healthy: 'OK', lagging: 'WARNING', gap: 'CRITICAL', dead: 'CRITICAL' }[scenario]);
  }
});

test('the STANDBY block names the log the standby waits for when it is not on DR', () => {
  const f = makeFixture('healthy');
  const s = collectStatus(f.config, NOW);
  s.standby = {
    configured: true, observedAt: NOW.toISOString(), lastPassAgeSeconds: 1, lagSequences: 2, lagSeconds: 90, consistent: true, lastError: null,
    threads: [{ thread: 1, appliedSequence: 55, appliedScn: '1', appliedTime: null, nextNeeded: 56, lagSequences: 2 }],
    gaps: [{ thread: 1, sequence: 56, state: 'missing_on_dr', detail: 'x' }],
  };
  const lines = renderMonitor(s, NOW, 80, 30);
  const i = lines.indexOf('STANDBY  applied thread 1 seq 55 (2 behind, 90 s), consistent yes');
  assert.ok(i > 0, lines.join('\n'));
  assert.equal(lines[i + 1], '  NOT ON DR: thread 1 seq 56 (lost on DR, shipping again)');
});
