// The DR housekeeping planner (lib/standby/housekeepingPlan.ts): which shipped logs in the DR
// archive directory may be deleted. Only logs the standby has applied (sequence below its next
// needed one, per thread, by a fresh and error-free apply pass of the current cycle) and older
// than the retention; never a file whose name is not a shipped log's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archiveNamePattern, formatHousekeeping, parseDrListing, planHousekeeping, type HousekeepingInput } from '../../lib/standby/housekeepingPlan.ts';
import type { ApplyProgress } from '../../lib/status/standby.ts';

const NOW = new Date('2026-11-28T12:00:00Z');
const H = 3600_000;
const CYCLE = '2026-11-27T08:00:00.000Z';

function progress(threads: [number, number | null][], over: Partial<ApplyProgress> = {}): ApplyProgress {
  return {
    updatedAt: new Date(NOW.getTime() - 5_000).toISOString(),
    threads: threads.map(([thread, next]) => ({ thread, appliedSequence: next === null ? null : next - 1, appliedScn: '100', appliedTime: null, nextNeeded: next })),
    lagSeconds: 3,
    consistent: true,
    lastError: null,
    cycle: CYCLE,
    ...over,
  };
}

/** Files named by the default format, `hoursOld` hours old. */
const f = (name: string, hoursOld: number) => ({ name, mtimeMs: NOW.getTime() - hoursOld * H, bytes: 1024 });

function input(over: Partial<HousekeepingInput> = {}): HousekeepingInput {
  return {
    files: [f('1_10_777.dbf', 30), f('1_11_777.dbf', 30), f('1_12_777.dbf', 2), f('1_13_777.dbf', 30), f('1_14_777.dbf', 30)],
    format: '%t_%s_%r.dbf',
    progress: progress([[1, 13]]),
    cycle: CYCLE,
    retentionHours: 24,
    now: NOW,
    ...over,
  };
}

const names = (p: ReturnType<typeof planHousekeeping>) => p.delete.map((x) => x.name);

test('only applied logs older than the retention are deleted; the next needed one and later ones are kept, however old', () => {
  const p = planHousekeeping(input());
  assert.equal(p.skipped, undefined);
  assert.deepEqual(names(p), ['1_10_777.dbf', '1_11_777.dbf']);
  assert.equal(p.kept, 3);
  assert.deepEqual(p.delete.map((x) => [x.thread, x.sequence]), [[1, 10], [1, 11]]);
});

test('a retention of 0 deletes every applied log; a retention longer than every age deletes none', () => {
  assert.deepEqual(names(planHousekeeping(input({ retentionHours: 0 }))), ['1_10_777.dbf', '1_11_777.dbf', '1_12_777.dbf']);
  const p = planHousekeeping(input({ retentionHours: 48 }));
  assert.deepEqual(names(p), []);
  assert.equal(p.kept, 5);
});

test('nothing is deleted without a trustworthy apply report: none, an error, another cycle, a stale one', () => {
  const cases: [Partial<HousekeepingInput>, string][] = [
    [{ progress: undefined }, 'no apply progress yet (state/apply_standby.<sid>.progress.json)'],
    [{ progress: progress([[1, 13]], { lastError: 'ORA-00353: log corruption near block 7 change 99 time 11/28/2026 10:00:00' }) }, 'the last apply pass reported an error (ORA-00353: log corruption near block 7 change 99 time 11/28/2026 10:00:00)'],
    [{ progress: progress([[1, 13]], { cycle: '2026-11-20T08:00:00.000Z' }) }, 'the apply progress is of another hot backup cycle (2026-11-20T08:00:00.000Z; the current one finished 2026-11-27T08:00:00.000Z)'],
    [{ progress: progress([[1, 13]], { cycle: undefined }) }, 'the apply progress is of another hot backup cycle (none; the current one finished 2026-11-27T08:00:00.000Z)'],
    [{ progress: progress([[1, 13]], { updatedAt: new Date(NOW.getTime() - 3_600_000).toISOString() }) }, 'the apply progress is 3600 s old (more than 600 s): it may not say what the standby has applied'],
  ];
  for (const [over, why] of cases) {
    const p = planHousekeeping(input(over));
    assert.deepEqual(names(p), [], why);
    assert.equal(p.skipped, why);
    assert.equal(p.kept, 5);
  }
});

test('without a finished cycle (run_on: local) the progress must have none either', () => {
  assert.deepEqual(names(planHousekeeping(input({ cycle: undefined, progress: progress([[1, 13]], { cycle: undefined }) }))), ['1_10_777.dbf', '1_11_777.dbf']);
  assert.equal(planHousekeeping(input({ cycle: undefined })).skipped, `the apply progress is of another hot backup cycle (${CYCLE}; the current one finished none)`);
});

test('files that are not shipped logs are never deleted: other names, temporary rsync names, other formats', () => {
  const files = [f('1_5_777.dbf', 99), f('.1_6_777.dbf.Xy12ab', 99), f('1_7_777.dbf.tmp', 99), f('alert.log', 99), f('1_x_777.dbf', 99), f('o1_mf_1_8_abc_.arc', 99), f('1_9_777.DBF', 99), f('1 _9_777.dbf', 99)];
  const p = planHousekeeping(input({ files }));
  assert.deepEqual(names(p), ['1_5_777.dbf']);
  assert.equal(p.kept, 0, 'kept counts shipped logs only');
});

test('several threads: each by its own next needed sequence; a thread the standby has not reported is kept whole', () => {
  const files = [f('1_10_777.dbf', 30), f('1_11_777.dbf', 30), f('2_10_777.dbf', 30), f('2_11_777.dbf', 30), f('2_12_777.dbf', 30), f('3_1_777.dbf', 30)];
  const p = planHousekeeping(input({ files, progress: progress([[1, 11], [2, 13]]) }));
  assert.deepEqual(names(p), ['1_10_777.dbf', '2_10_777.dbf', '2_11_777.dbf', '2_12_777.dbf']);
  assert.equal(p.kept, 2);
  const q = planHousekeeping(input({ files, progress: progress([[1, 11], [2, null]]) }));
  assert.deepEqual(names(q), ['1_10_777.dbf']);
});

test('logs of another incarnation (another %r) stop housekeeping: sequences start again at 1 after RESETLOGS', () => {
  const p = planHousekeeping(input({ files: [f('1_10_777.dbf', 30), f('1_3_888.dbf', 30)] }));
  assert.deepEqual(names(p), []);
  assert.equal(p.skipped, 'the DR archive directory holds logs of more than one incarnation (resetlogs ids 777, 888): delete the old incarnation\'s logs by hand');
});

test('LOG_ARCHIVE_FORMAT: padded and other variables, literal text; formats that cannot be read back are refused', () => {
  const re = archiveNamePattern('arch_%T_%S_%r_%d.arc');
  assert.ok(re);
  assert.deepEqual(re!.parse('arch_0001_0000000012_777_1a2b.arc'), { thread: 1, sequence: 12, resetlogs: '777' });
  assert.equal(re!.parse('arch_0001_0000000012_777_1a2b.dbf'), undefined);
  assert.deepEqual(archiveNamePattern('log.%s+%t(%r).x')!.parse('log.5+2(9).x'), { thread: 2, sequence: 5, resetlogs: '9' });
  assert.equal(archiveNamePattern('%t%s%r.dbf'), undefined, 'two numbers next to each other cannot be told apart');
  assert.equal(archiveNamePattern('%t_%r.dbf'), undefined, 'no sequence');
  assert.equal(archiveNamePattern('%s_%r.dbf'), undefined, 'no thread');
  const p = planHousekeeping(input({ format: '%t%s%r.dbf' }));
  assert.equal(p.skipped, 'LOG_ARCHIVE_FORMAT %t%s%r.dbf of the standby does not let a file name say its thread and sequence (it needs %t and %s separated by other text)');
});

test('the listing of the DR archive directory (df, then find -printf "%T@ %s %f\\0") is read back, names with spaces and newlines included', () => {
  const df = 'Filesystem     1024-blocks      Used Available Capacity Mounted on\n/dev/sdb1  1000000 420000 580000      42% /u12 arch\n';
  const text = `${df}==files==\n1764331200.1234567890 4096 1_10_777.dbf\u00001764331260.0000000000 10 a b\nc\u0000`;
  const l = parseDrListing(text);
  assert.deepEqual(l.df, { totalBytes: 1000000, usedBytes: 420000, availBytes: 580000, usedPercent: 42, mount: '/u12 arch' });
  assert.deepEqual(l.files, [
    { name: '1_10_777.dbf', mtimeMs: 1764331200123, bytes: 4096 },
    { name: 'a b\nc', mtimeMs: 1764331260000, bytes: 10 },
  ]);
});

test('the log line names what was deleted, by thread and runs of sequences, and the DR archive directory space', () => {
  const files = [10, 11, 12, 15, 17, 18].map((s) => f(`1_${s}_777.dbf`, 30)).concat([f('2_4_777.dbf', 30), f('1_40_777.dbf', 30)]);
  const p = planHousekeeping(input({ files, progress: progress([[1, 20], [2, 5]]) }));
  const space = { totalBytes: 100 * 2 ** 30, usedBytes: 42 * 2 ** 30, availBytes: 58 * 2 ** 30, usedPercent: 42, mount: '/u12' };
  assert.equal(
    formatHousekeeping(p, 24, '/u12/arch', space),
    'housekeeping: deleted 7 applied log(s) older than 24h (thread 1 sequences 10-12, 15, 17-18; thread 2 sequence 4), kept 1; DR archive dir /u12/arch: used 42% (58.0 GiB free)',
  );
  assert.equal(formatHousekeeping(planHousekeeping(input({ retentionHours: 0.0003, files: [] })), 0.0003, '/u12/arch', space), 'housekeeping: deleted 0 applied log(s) older than 0.0003h, kept 0; DR archive dir /u12/arch: used 42% (58.0 GiB free)');
  assert.equal(
    formatHousekeeping(planHousekeeping(input({ progress: undefined })), 24, '/u12/arch', space),
    'housekeeping: no log deleted: no apply progress yet (state/apply_standby.<sid>.progress.json); kept 5; DR archive dir /u12/arch: used 42% (58.0 GiB free)',
  );
});
