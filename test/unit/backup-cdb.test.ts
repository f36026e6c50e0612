// Container databases, without processes: the plan keys tablespaces by container, markers of
// same-named tablespaces of different containers never collide, the coverage check covers every
// container, container changes between runs are reported, a new cutoff goes back to a closed
// PDB's checkpoint, and a statement meant for a PDB runs inside it on the same session.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { closedCheckpoint } from '../../lib/archivelog/cutoff.ts';
import { containerChanges, refOf, tsKeyOf } from '../../lib/backup/containers.ts';
import { readMarkers, uncoveredDatafiles } from '../../lib/backup/markers.ts';
import { planBackup, type DatafileRow, type PlanInput } from '../../lib/backup/plan.ts';
import type { DbConnection } from '../../lib/db/connection.ts';
import { Database } from '../../lib/db/database.ts';
import { SessionLostError } from '../../lib/db/errors.ts';
import { formatError } from '../../lib/errors.ts';
import { createLogger } from '../../lib/log.ts';
import { StateFiles, writeJsonAtomic } from '../../lib/state.ts';

const MB = 1024 * 1024;
const MODES: Record<string, string> = { CDB$ROOT: 'READ WRITE', PDB$SEED: 'READ ONLY', PDB1: 'READ WRITE', hr_app: 'READ WRITE' };
let nextId = 1;
function row(container: string, tablespace: string, bytes = 10 * MB, extra: Partial<DatafileRow> = {}): DatafileRow {
  const id = nextId++;
  const dir = container.toLowerCase().replace(/\$/g, '');
  return { tablespace, contents: 'PERMANENT', tsStatus: 'ONLINE', fileId: id, path: `/u02/oradata/DB/${dir}/${tablespace.toLowerCase()}${id}.dbf`, bytes, container, containerMode: MODES[container], checkpointScn: 2000n, ...extra };
}
const cdbFiles = (): DatafileRow[] => {
  nextId = 1;
  return [
    ...['SYSTEM', 'SYSAUX', 'UNDOTBS1', 'USERS'].map((t) => row('CDB$ROOT', t)),
    ...['SYSTEM', 'SYSAUX', 'UNDOTBS1'].map((t) => row('PDB$SEED', t, 5 * MB)),
    ...['SYSTEM', 'SYSAUX', 'UNDOTBS1', 'USERS'].map((t) => row('PDB1', t)),
    row('PDB1', 'APP_001', 40 * MB),
    ...['SYSTEM', 'SYSAUX', 'UNDOTBS1', 'USERS'].map((t) => row('hr_app', t)),
    row('hr_app', 'APP_001', 30 * MB),
  ];
};
function input(datafiles: DatafileRow[], over: Partial<PlanInput> = {}): PlanInput {
  return {
    datafiles,
    tablespaces: [],
    backup: datafiles.map((d) => ({ fileId: d.fileId, active: false, changeScn: 0n })),
    done: new Map(),
    cutoffScn: 1000n,
    pathMap: [{ from: '/u02', to: '/u12' }],
    unmappedPaths: 'error',
    excludeTablespaces: [],
    coreTablespaces: ['SYSTEM', 'SYSAUX', 'UNDO*'],
    batchMaxFiles: 4,
    batchMaxBytes: 100 * MB,
    parallel: 2,
    inflight: [],
    ...over,
  };
}

test('keys: container/tablespace in a CDB, the name in a non-CDB; a key splits at its first slash', () => {
  assert.equal(tsKeyOf('USERS', 'hr_app'), 'hr_app/USERS');
  assert.equal(tsKeyOf('USERS'), 'USERS');
  assert.deepEqual(refOf('hr_app/A/B', true), { container: 'hr_app', tablespace: 'A/B' });
  assert.deepEqual(refOf('A/B', false), { tablespace: 'A/B' });
});

test('the same tablespace names in every container are planned apart; the core tablespaces of every container come last; the seed needs no window', () => {
  const p = planBackup(input(cdbFiles()));
  assert.deepEqual(
    p.tablespaces.map((t) => `${t.name} ${t.window}`),
    [
      'PDB1/APP_001 begin', 'hr_app/APP_001 begin', 'CDB$ROOT/USERS begin', 'PDB1/USERS begin', 'hr_app/USERS begin',
      'CDB$ROOT/SYSAUX begin', 'CDB$ROOT/SYSTEM begin', 'CDB$ROOT/UNDOTBS1 begin', 'PDB1/SYSAUX begin', 'PDB1/SYSTEM begin', 'PDB1/UNDOTBS1 begin',
      'hr_app/SYSAUX begin', 'hr_app/SYSTEM begin', 'hr_app/UNDOTBS1 begin', 'PDB$SEED/SYSAUX none', 'PDB$SEED/SYSTEM none', 'PDB$SEED/UNDOTBS1 none',
    ],
  );
  const users = p.tablespaces.find((t) => t.name === 'hr_app/USERS')!;
  assert.equal(users.container, 'hr_app');
  assert.equal(users.tablespace, 'USERS');
  assert.equal(users.files[0].tablespace, 'hr_app/USERS');
  assert.equal(p.tablespaces.find((t) => t.name === 'PDB$SEED/SYSTEM')!.noWindowReason, 'container PDB$SEED is READ ONLY: copied without backup mode (its files do not change)');
});

test('exclude_tablespaces matches the bare name in every container, or container/name', () => {
  const p = planBackup(input(cdbFiles(), { excludeTablespaces: ['USERS', 'hr_app/*'] }));
  assert.deepEqual(p.tablespaces.filter((t) => t.name.startsWith('hr_app/') || t.name.endsWith('/USERS')), []);
  assert.ok(p.skipped.some((s) => s.name === 'PDB1/USERS' && s.reason === 'excluded by backup.exclude_tablespaces'));
});

test('a MOUNTED PDB: copied without a window; closed before the cutoff, the run is refused with the SCNs and what to do', () => {
  const files = cdbFiles().map((r) => (r.container === 'hr_app' ? { ...r, containerMode: 'MOUNTED', checkpointScn: 1500n } : r));
  const p = planBackup(input(files));
  assert.equal(p.tablespaces.find((t) => t.name === 'hr_app/USERS')!.window, 'none');
  assert.equal(p.tablespaces.find((t) => t.name === 'hr_app/USERS')!.noWindowReason, 'container hr_app is MOUNTED: copied without backup mode (its files do not change while it is closed)');
  const early = files.map((r) => (r.container === 'hr_app' ? { ...r, checkpointScn: r.fileId === 15 ? 700n : 800n } : r));
  assert.throws(
    () => planBackup(input(early)),
    (err: Error) => {
      assert.equal(
        formatError(err),
        'container hr_app is closed (MOUNTED) since before the cutoff SCN 1000 of this backup cycle (hr_app: checkpoint SCN 700): the standby would need archived logs from before the cutoff, which this cycle does not ship\n' +
          'HINT: start a new backup cycle (orquestra_dr --new-cycle, or copy_archivelog --new-cutoff): its cutoff is taken back to the oldest checkpoint of the closed or read-only containers; or open it READ WRITE (ALTER PLUGGABLE DATABASE "hr_app" OPEN) and re-run hot_backup_ts',
      );
      return true;
    },
  );
  // Already certified in this cycle: nothing left to copy, nothing refused.
  const done = new Map([...new Set(early.filter((r) => r.container === 'hr_app').map((r) => tsKeyOf(r.tablespace, r.container)))].map((k) => {
    const rows = early.filter((r) => tsKeyOf(r.tablespace, r.container) === k);
    return [k, { tablespace: rows[0].tablespace, container: 'hr_app', cutoffScn: '1000', files: rows.map((r) => ({ fileId: r.fileId, source: r.path, dest: r.path.replace('/u02', '/u12'), bytes: r.bytes })), completedAt: '' }];
  }));
  assert.doesNotThrow(() => planBackup(input(early, { done })));
});

test('a PDB open in MIGRATE mode is refused', () => {
  const files = cdbFiles().map((r) => (r.container === 'PDB1' ? { ...r, containerMode: 'MIGRATE' } : r));
  assert.throws(() => planBackup(input(files)), /^PreconditionError: container PDB1 is open MIGRATE: its files change and it cannot be backed up tablespace by tablespace$/m);
});

test('markers of same-named tablespaces in different containers never collide; the coverage check covers every container', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdb-markers-'));
  const state = new StateFiles(dir, 'DBPROD');
  const files = cdbFiles();
  const log = createLogger({ file: path.join(dir, 'x.log'), errorsFile: path.join(dir, 'errors.log'), tool: 'test', console: false });
  const users = files.filter((r) => r.tablespace === 'USERS');
  for (const r of users.filter((x) => x.container !== 'hr_app')) {
    writeJsonAtomic(state.tsDone('USERS', r.container), { tablespace: 'USERS', container: r.container, cutoffScn: '1000', dbid: '42', files: [{ fileId: r.fileId, source: r.path, dest: r.path.replace('/u02', '/u12'), bytes: r.bytes }], completedAt: '' });
  }
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.done')).sort(), ['ts_DBPROD.CDB$ROOT.USERS.done', 'ts_DBPROD.PDB1.USERS.done']);
  // a non-CDB marker of the same name is not a container's
  writeJsonAtomic(state.tsDone('USERS'), { tablespace: 'USERS', cutoffScn: '1000', dbid: '42', files: [{ fileId: users[2].fileId, source: users[2].path, dest: users[2].path, bytes: 1 }], completedAt: '' });
  const markers = readMarkers({ state, sid: 'DBPROD', dbid: '42', cutoff: 1000n, log }, files);
  assert.deepEqual([...markers.keys()].sort(), ['CDB$ROOT/USERS', 'PDB1/USERS']);
  const uncovered = uncoveredDatafiles(users, markers, 1000n, [], '42');
  assert.deepEqual(uncovered.map((r) => `${r.container}/${r.tablespace}`), ['hr_app/USERS']);
  const plan = planBackup(input(users, { done: markers }));
  assert.deepEqual(plan.tablespaces.map((t) => t.name), ['hr_app/USERS']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('container changes between runs are reported, each with what it means', () => {
  const before = [
    { conId: 1, name: 'CDB$ROOT', openMode: 'READ WRITE' },
    { conId: 2, name: 'PDB$SEED', openMode: 'READ ONLY' },
    { conId: 3, name: 'PDB1', openMode: 'READ WRITE' },
    { conId: 4, name: 'hr_app', openMode: 'READ WRITE' },
    { conId: 5, name: 'OLD', openMode: 'MOUNTED' },
  ];
  const now = [
    { conId: 1, name: 'CDB$ROOT', openMode: 'READ WRITE' },
    { conId: 2, name: 'PDB$SEED', openMode: 'READ ONLY' },
    { conId: 3, name: 'PDB1', openMode: 'MOUNTED' },
    { conId: 4, name: 'hr_app', openMode: 'READ WRITE' },
    { conId: 6, name: 'PDB3', openMode: 'READ WRITE' },
  ];
  assert.deepEqual(containerChanges(before, before, 'x'), []);
  assert.deepEqual(containerChanges(before, now, 'the previous run of this backup cycle'), [
    'container PDB1 (CON_ID 3) was READ WRITE at the previous run of this backup cycle and is MOUNTED now: its tablespaces already copied stay valid (the archived logs carry its close); any other is copied as it is, without backup mode',
    'container PDB3 (CON_ID 6) appeared since the previous run of this backup cycle (created or plugged in): its files are copied in this run',
    'container OLD (CON_ID 5) is gone since the previous run of this backup cycle (dropped or unplugged): the standby controlfile of this run no longer lists its files, so their copies on DR are not used any more',
  ]);
  assert.deepEqual(containerChanges(now, before, 'the start of this run')[0], 'container PDB1 (CON_ID 3) was MOUNTED at the start of this run and is READ WRITE now: its tablespaces not yet copied are copied inside backup windows');
});

test('a new cutoff goes back to the oldest checkpoint of the files of closed PDBs', () => {
  const files = cdbFiles().map((r) => (r.container === 'hr_app' ? { ...r, containerMode: 'MOUNTED', checkpointScn: BigInt(900 + r.fileId) } : r));
  assert.deepEqual(closedCheckpoint(files, 5000n), { scn: 913n, containers: ['hr_app'], modes: ['MOUNTED'] });
  // a PDB open READ ONLY counts too (to be safe), PDB$SEED does not
  const ro = cdbFiles().map((r) => (r.container === 'PDB1' ? { ...r, containerMode: 'READ ONLY', checkpointScn: 700n } : r.container === 'PDB$SEED' ? { ...r, checkpointScn: 5n } : r));
  assert.deepEqual(closedCheckpoint(ro, 5000n), { scn: 700n, containers: ['PDB1'], modes: ['READ ONLY'] });
  assert.equal(closedCheckpoint(cdbFiles(), 5000n), undefined);
});

/** A fake session that records what it is sent, with the container it is in. */
class FakeSession implements DbConnection {
  readonly description = 'fake';
  usable = true;
  container = 'CDB$ROOT';
  constructor(readonly log: string[], private readonly loseOn?: string) {}
  async query(sql: string): Promise<string[][]> {
    await new Promise((r) => setTimeout(r, 1));
    this.log.push(`${this.container}: ${sql.slice(0, 40)}`);
    if (sql.includes('FROM v$database')) return [['DB', '42', 'ARCHIVELOG', 'READ WRITE', 'PRIMARY', 'CURRENT', 'YES', '5000', '1', 'YES']];
    return [];
  }
  async execute(sql: string): Promise<void> {
    await new Promise((r) => setTimeout(r, 1));
    if (this.loseOn && sql.includes(this.loseOn)) {
      this.usable = false;
      throw new SessionLostError('lost', ['ORA-03114: not connected to ORACLE'], '', true);
    }
    const m = /^ALTER SESSION SET CONTAINER = "(.*)"$/.exec(sql);
    if (m) this.container = m[1];
    this.log.push(`${this.container}: ${sql}`);
  }
  async close(): Promise<void> {}
}

test('a statement for a PDB runs inside it on the same session, never interleaved with root queries, also after a reconnect', async () => {
  const log: string[] = [];
  let n = 0;
  const db = await Database.open(async () => (n++ === 0 ? new FakeSession(log, 'BEGIN BACKUP') : new FakeSession(log)), { sid: 'DB' });
  assert.equal((await db.info()).cdb, true);
  log.length = 0;
  await Promise.all([db.beginBackup('USERS', 'hr_app'), db.backupStatus(), db.endBackup('USERS', 'PDB1'), db.backupStatus()]);
  assert.deepEqual(log, [
    // the first session is lost on BEGIN BACKUP (not sent): the new session switches again first
    'hr_app: ALTER SESSION SET CONTAINER = "hr_app"',
    'hr_app: ALTER SESSION SET CONTAINER = "hr_app"',
    'hr_app: ALTER TABLESPACE "USERS" BEGIN BACKUP',
    'CDB$ROOT: ALTER SESSION SET CONTAINER = "CDB$ROOT"',
    'CDB$ROOT: SELECT TO_CHAR(file#), status, TO_CHAR(c',
    'PDB1: ALTER SESSION SET CONTAINER = "PDB1"',
    'PDB1: ALTER TABLESPACE "USERS" END BACKUP',
    'CDB$ROOT: ALTER SESSION SET CONTAINER = "CDB$ROOT"',
    'CDB$ROOT: SELECT TO_CHAR(file#), status, TO_CHAR(c',
  ]);
  await db.close();
});

test('status counts the markers of every container of this cycle', async () => {
  const { makeFixture } = await import('./status-fixture.ts');
  const { readFacts } = await import('../../lib/status/facts.ts');
  const f = makeFixture('healthy');
  assert.equal(readFacts(f.config).doneCount, 3);
  for (const k of ['CDB$ROOT', 'hr_app']) writeJsonAtomic(f.state.tsDone('USERS', k), { tablespace: 'USERS', container: k, cutoffScn: '1000', files: [] });
  writeJsonAtomic(f.state.tsDone('SYSTEM', 'PDB1'), { tablespace: 'SYSTEM', container: 'PDB1', cutoffScn: '999', files: [] }); // another cycle's
  writeJsonAtomic(path.join(f.state.dir, 'ts_OTHERDB.PDB1.USERS.done'), { tablespace: 'USERS', container: 'PDB1', cutoffScn: '1000', files: [] }); // another database's
  assert.equal(readFacts(f.config).doneCount, 5);
  fs.rmSync(f.dir, { recursive: true, force: true });
});

test('files left in backup mode in a PDB that is closed now: refused, naming them, with the statement that ends them', () => {
  const files = cdbFiles().map((r) => (r.container === 'hr_app' ? { ...r, containerMode: 'MOUNTED', checkpointScn: 1500n } : r));
  const users = files.find((r) => r.container === 'hr_app' && r.tablespace === 'USERS')!;
  const backup = files.map((d) => ({ fileId: d.fileId, active: d === users, changeScn: d === users ? 1200n : 0n }));
  assert.throws(
    () => planBackup(input(files, { backup, inflight: ['hr_app/USERS'] })),
    (err: Error) => {
      assert.equal(
        formatError(err),
        `1 datafile(s) of container hr_app are in backup mode although it is not open READ WRITE (a crash or SHUTDOWN ABORT while a window was open?):\n` +
          `  hr_app MOUNTED: file ${users.fileId} ${users.path} (tablespace USERS, ACTIVE since SCN 1200)\n` +
          'HINT: END BACKUP cannot run inside a PDB that is not open READ WRITE (ORA-01109, ORA-16000): in CDB$ROOT, ALTER DATABASE END BACKUP ends every file in backup mode, the closed PDB\'s included (make sure no other backup is running), or open the PDB READ WRITE (ALTER PLUGGABLE DATABASE "hr_app" OPEN); then re-run hot_backup_ts',
      );
      return true;
    },
  );
});

test('a window a killed run left open in a PDB is ended inside that PDB; a foreign one is named with the statements for its container', async () => {
  const { Windows } = await import('../../lib/backup/windows.ts');
  const { foreignWindowError } = await import('../../lib/backup/plan.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdb-windows-'));
  const inflight = path.join(dir, 'hot_backup_ts.DBPROD.inflight.json');
  writeJsonAtomic(inflight, { tablespaces: ['hr_app/USERS', 'PDB1/USERS'], since: {} });
  const calls: string[] = [];
  const db = {
    endBackup: async (ts: string, container?: string) => void calls.push(`end ${container}/${ts}`),
  } as unknown as Database;
  const log = createLogger({ file: path.join(dir, 'x.log'), errorsFile: path.join(dir, 'errors.log'), tool: 'test', console: false });
  const w = new Windows(db, inflight, 1000n, log, () => log, true);
  await w.closeStray('hr_app/USERS');
  assert.deepEqual(calls, ['end hr_app/USERS']);
  assert.deepEqual(Windows.readInflight(inflight), ['PDB1/USERS']);
  assert.match(fs.readFileSync(path.join(dir, 'x.log'), 'utf8'), /ALTER SESSION SET CONTAINER = "hr_app"; ALTER TABLESPACE "USERS" END BACKUP/);
  const plan = planBackup(input(cdbFiles().filter((r) => r.container === 'PDB1' && r.tablespace === 'USERS'), { backup: [{ fileId: 11, active: true, changeScn: 900n }] }));
  assert.equal(plan.foreignWindows.length, 1);
  assert.match(formatError(foreignWindowError(plan.foreignWindows, inflight)), /\nHINT: .*\(ALTER SESSION SET CONTAINER = "PDB1"; ALTER TABLESPACE "USERS" END BACKUP, or ALTER DATABASE END BACKUP\)/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a closed PDB opened READ WRITE (or dropped) while its files were copied without backup mode: the copy does not count', async () => {
  const { Windows } = await import('../../lib/backup/windows.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdb-opened-'));
  let mode: string | undefined = 'MOUNTED';
  const db = { containers: async () => (mode ? [{ conId: 4, name: 'hr_app', openMode: mode }] : []) } as unknown as Database;
  const log = createLogger({ file: path.join(dir, 'x.log'), errorsFile: path.join(dir, 'errors.log'), tool: 'test', console: false });
  const w = new Windows(db, path.join(dir, 'inflight.json'), 1000n, log, () => log, true);
  const files = cdbFiles().map((r) => (r.container === 'hr_app' ? { ...r, containerMode: 'MOUNTED', checkpointScn: 1500n } : r));
  const p = planBackup(input(files)).tablespaces.find((t) => t.name === 'hr_app/USERS')!;
  assert.equal(await w.openedDuringCopy(p), undefined);
  mode = 'READ WRITE';
  assert.equal(await w.openedDuringCopy(p), 'container hr_app was opened READ WRITE while its files were copied without backup mode: the copy may be inconsistent and does not count (the next run copies it inside a backup window)');
  mode = undefined;
  assert.match((await w.openedDuringCopy(p))!, /^container hr_app was dropped while/);
  const rw = planBackup(input(cdbFiles())).tablespaces.find((t) => t.name === 'PDB1/USERS')!;
  assert.equal(await w.openedDuringCopy(rw), undefined, 'a tablespace copied in a window is not concerned');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('status and the monitor show the containers of a CDB (with the open mode of those not READ WRITE); a non-CDB shows none', async () => {
  const { makeFixture, NOW } = await import('./status-fixture.ts');
  const { collectStatus } = await import('../../lib/status/snapshot.ts');
  const { renderMonitor } = await import('../../lib/monitor.ts');
  const { writeContainerRecord } = await import('../../lib/backup/containers.ts');
  const f = makeFixture('healthy');
  const plain = collectStatus(f.config, NOW);
  assert.equal('containers' in plain.backup, false);
  assert.ok(!renderMonitor(plain, NOW).some((l) => l.includes('containers')));
  writeContainerRecord(f.state, 1000n, [
    { conId: 1, name: 'CDB$ROOT', openMode: 'READ WRITE' },
    { conId: 2, name: 'PDB$SEED', openMode: 'READ ONLY' },
    { conId: 3, name: 'PDB1', openMode: 'READ WRITE' },
    { conId: 4, name: 'hr_app', openMode: 'MOUNTED' },
  ]);
  const s = collectStatus(f.config, NOW);
  assert.deepEqual(s.backup.containers, [
    { conId: 1, name: 'CDB$ROOT', openMode: 'READ WRITE' },
    { conId: 2, name: 'PDB$SEED', openMode: 'READ ONLY' },
    { conId: 3, name: 'PDB1', openMode: 'READ WRITE' },
    { conId: 4, name: 'hr_app', openMode: 'MOUNTED' },
  ]);
  assert.ok(renderMonitor(s, NOW).includes('  containers: CDB$ROOT, PDB$SEED (READ ONLY), PDB1, hr_app (MOUNTED)'), renderMonitor(s, NOW).join('\n'));
  // another cycle's record says nothing about this one
  writeContainerRecord(f.state, 999n, [{ conId: 1, name: 'CDB$ROOT', openMode: 'READ WRITE' }]);
  assert.equal('containers' in collectStatus(f.config, NOW).backup, false);
  fs.rmSync(f.dir, { recursive: true, force: true });
});
