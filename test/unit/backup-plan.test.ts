import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legacyMarkerBelongs, uncoveredDatafiles, coverageError } from '../../lib/backup/markers.ts';
import { foreignWindowError, makeBatches, planBackup, relativeToRoot, type DatafileRow, type PlanInput } from '../../lib/backup/plan.ts';
import { DrError, ExitCode, formatError, PreconditionError } from '../../lib/errors.ts';

const MB = 1024 * 1024;
function row(tablespace: string, fileId: number, path: string, bytes: number, extra: Partial<DatafileRow> = {}): DatafileRow {
  return { tablespace, contents: 'PERMANENT', tsStatus: 'ONLINE', fileId, path, bytes, ...extra };
}
function input(datafiles: DatafileRow[], over: Partial<PlanInput> = {}): PlanInput {
  const names = [...new Set(datafiles.map((d) => d.tablespace))];
  return {
    datafiles,
    tablespaces: [...names.map((n) => ({ name: n, contents: 'PERMANENT' })), { name: 'TEMP', contents: 'TEMPORARY' }],
    backup: datafiles.map((d) => ({ fileId: d.fileId, active: false, changeScn: 0n })),
    done: new Map(),
    cutoffScn: 1000n,
    pathMap: [
      { from: '/u05', to: '/u15' },
      { from: '/u05/big', to: '/u25' },
    ],
    unmappedPaths: 'error',
    excludeTablespaces: [],
    coreTablespaces: ['SYSTEM', 'SYSAUX', 'UNDO*'],
    batchMaxFiles: 3,
    batchMaxBytes: 100 * MB,
    parallel: 1,
    inflight: [],
    ...over,
  };
}

const files = [
  row('SYSTEM', 1, '/u05/oradata/system01.dbf', 50 * MB),
  row('SYSAUX', 2, '/u05/oradata/sysaux01.dbf', 40 * MB),
  row('UNDOTBS1', 3, '/u05/oradata/undo01.dbf', 30 * MB),
  row('USERS', 4, '/u05/oradata/users01.dbf', 5 * MB),
  row('DATA', 5, '/u05/big/data01.dbf', 500 * MB),
  row('DATA', 6, '/u05/oradata/data02.dbf', 10 * MB),
  row('my ts', 7, '/u05/oradata/my file.dbf', 1 * MB),
];

test('core tablespaces come last, largest first inside each group; TEMP is reported as skipped', () => {
  const p = planBackup(input(files));
  assert.deepEqual(
    p.tablespaces.map((t) => t.name),
    ['DATA', 'USERS', 'my ts', 'SYSTEM', 'SYSAUX', 'UNDOTBS1'],
  );
  assert.deepEqual(p.skipped, [{ name: 'TEMP', reason: 'temporary tablespace (tempfiles are not backed up)' }]);
  assert.equal(p.totalBytes, 636 * MB);
});

test('longest prefix wins and destinations keep the path below the prefix, spaces included', () => {
  const p = planBackup(input(files));
  const dests = Object.fromEntries(p.tablespaces.flatMap((t) => t.files.map((f) => [f.source, f.dest])));
  assert.equal(dests['/u05/big/data01.dbf'], '/u25/data01.dbf');
  assert.equal(dests['/u05/oradata/data02.dbf'], '/u15/oradata/data02.dbf');
  assert.equal(dests['/u05/oradata/my file.dbf'], '/u15/oradata/my file.dbf');
});

test('an unmapped datafile stops the plan before anything starts, naming every such path', () => {
  const bad = [...files, row('X', 8, '/u07/x1.dbf', MB), row('X', 9, '/u070/x2.dbf', MB)];
  assert.throws(
    () => planBackup(input(bad)),
    (e: unknown) =>
      e instanceof DrError &&
      e.message === '2 datafile paths have no path_map rule:\n  /u07/x1.dbf\n  /u070/x2.dbf' &&
      e.hint === 'add a path_map entry whose "from" is a prefix of these paths, or set unmapped_paths: same_path to copy them to the same path on DR',
  );
  const same = planBackup(input(bad, { unmappedPaths: 'same_path' }));
  assert.equal(same.tablespaces.find((t) => t.name === 'X')!.files.find((f) => f.fileId === 8)!.dest, '/u07/x1.dbf');
});

test('batches: a big file travels alone, small files share batches per mapping rule, within limits', () => {
  const p = planBackup(input(files));
  const summary = p.batches.map((b) => [b.srcRoot, b.destRoot, b.files.map((f) => f.fileId)]);
  assert.deepEqual(summary, [
    ['/u05/big', '/u25', [5]],
    ['/u05', '/u15', [6, 4, 7]],
    ['/u05', '/u15', [1, 2]], // 50+40 MB; SYSTEM+SYSAUX+UNDO would pass 100 MB
    ['/u05', '/u15', [3]],
  ]);
  assert.deepEqual(p.batches[1].tablespaces, ['DATA', 'USERS', 'my ts']);
  assert.equal(relativeToRoot('/u05/oradata/my file.dbf', '/u05'), 'oradata/my file.dbf');
  assert.equal(relativeToRoot('/u07/x.dbf', '/'), 'u07/x.dbf');
});

test('batches are capped at total/parallel so every worker gets a stream', () => {
  const rows = [1, 2, 3, 4].map((i) => row('A', i, `/u05/a${i}`, 10 * MB));
  assert.equal(planBackup(input(rows, { parallel: 1, batchMaxFiles: 10 })).batches.length, 1);
  assert.deepEqual(
    planBackup(input(rows, { parallel: 2, batchMaxFiles: 10 })).batches.map((b) => b.files.map((f) => f.fileId)),
    [[1, 2], [3, 4]],
  );
});

test('batch limits by bytes open a new batch', () => {
  const p = planBackup(input([row('A', 1, '/u05/a1', 60 * MB), row('A', 2, '/u05/a2', 50 * MB), row('A', 3, '/u05/a3', 40 * MB)]));
  assert.deepEqual(
    makeBatches(p.tablespaces, 10, 100 * MB).map((b) => b.files.map((f) => f.fileId)),
    [[1], [2, 3]],
  );
});

test('windows: read-only and offline need none; a window from a killed run is resumed only if it began after the cutoff for every file', () => {
  const rows = [
    row('RO', 1, '/u05/ro.dbf', MB, { tsStatus: 'READ ONLY' }),
    row('OFF', 2, '/u05/off.dbf', MB, { tsStatus: 'OFFLINE' }),
    row('RES', 3, '/u05/res1.dbf', MB),
    row('RES', 4, '/u05/res2.dbf', MB),
    row('OLD', 5, '/u05/old.dbf', MB),
    row('PART', 6, '/u05/p1.dbf', MB),
    row('PART', 7, '/u05/p2.dbf', MB),
    row('NEW', 8, '/u05/new.dbf', MB),
  ];
  const backup = [
    { fileId: 3, active: true, changeScn: 1500n },
    { fileId: 4, active: true, changeScn: 1500n },
    { fileId: 5, active: true, changeScn: 999n },
    { fileId: 6, active: true, changeScn: 1600n },
    { fileId: 7, active: false, changeScn: 0n },
  ];
  const p = planBackup(input(rows, { backup, inflight: ['RES', 'OLD', 'PART'] }));
  const w = Object.fromEntries(p.tablespaces.map((t) => [t.name, t.window]));
  assert.deepEqual(w, { RO: 'none', OFF: 'none', RES: 'resume', OLD: 'restart', PART: 'restart', NEW: 'begin' });
});

test('a done marker counts only for the same cutoff and the same files; a datafile added later is planned alone', () => {
  const rows = [row('USERS', 4, '/u05/users01.dbf', MB), row('USERS', 10, '/u05/users02.dbf', MB)];
  const marker = { tablespace: 'USERS', cutoffScn: '1000', files: [{ fileId: 4, source: '/u05/users01.dbf', dest: '/u15/users01.dbf', bytes: MB }], completedAt: 'x' };
  const p = planBackup(input(rows, { done: new Map([['USERS', marker]]) }));
  assert.deepEqual(p.tablespaces[0].files.map((f) => f.fileId), [10]);
  assert.deepEqual(p.tablespaces[0].keptFiles.map((f) => f.fileId), [4]);

  const stale = planBackup(input(rows, { done: new Map([['USERS', { ...marker, cutoffScn: '999' }]]) }));
  assert.deepEqual(stale.tablespaces[0].files.map((f) => f.fileId).sort((a, b) => a - b), [4, 10]);

  const complete = { ...marker, files: [...marker.files, { fileId: 10, source: '/u05/users02.dbf', dest: '/u15/users02.dbf', bytes: MB }] };
  const none = planBackup(input(rows, { done: new Map([['USERS', complete]]) }));
  assert.equal(none.tablespaces.length, 0);
  assert.deepEqual(none.skipped.find((s) => s.name === 'USERS'), { name: 'USERS', reason: 'already done in this backup cycle' });
});

test('a tablespace with nothing to copy (done, or excluded) is ended only if this tool began its window', () => {
  const rows = [row('USERS', 4, '/u05/users01.dbf', MB), row('TEMPX', 5, '/u05/tx.dbf', MB), row('TEMPY', 6, '/u05/ty.dbf', MB)];
  const marker = { tablespace: 'USERS', cutoffScn: '1000', files: [{ fileId: 4, source: '/u05/users01.dbf', dest: '/u15/users01.dbf', bytes: MB }], completedAt: 'x' };
  const backup = [4, 5, 6].map((fileId) => ({ fileId, active: true, changeScn: 1200n }));
  const base = { done: new Map([['USERS', marker]]), backup, excludeTablespaces: ['TEMP?'] };
  assert.deepEqual(planBackup(input(rows, { ...base, inflight: ['TEMPX'] })).strayBackupMode, ['TEMPX']);
  assert.deepEqual(planBackup(input(rows, { ...base, inflight: ['TEMPX', 'USERS'] })).strayBackupMode.sort(), ['TEMPX', 'USERS']);
  assert.deepEqual(planBackup(input(rows, { ...base, inflight: [] })).foreignWindows, [], 'nothing to copy there: none of our business');
});

test('a window someone else opened on a tablespace to copy is refused, naming tablespaces, files and how to end it', () => {
  const rows = [row('USERS', 4, '/u05/users01.dbf', MB), row('DATA', 5, '/u05/d1.dbf', MB), row('DATA', 6, '/u05/d2.dbf', MB), row('MINE', 7, '/u05/m.dbf', MB)];
  const backup = [
    { fileId: 4, active: true, changeScn: 1200n },
    { fileId: 5, active: true, changeScn: 900n },
    { fileId: 6, active: true, changeScn: 900n },
    { fileId: 7, active: true, changeScn: 1300n },
  ];
  const p = planBackup(input(rows, { backup, inflight: ['MINE'] }));
  assert.deepEqual(p.tablespaces.map((t) => [t.name, t.window]), [['MINE', 'resume']]);
  assert.deepEqual(p.foreignWindows.map((w) => w.tablespace).sort(), ['DATA', 'USERS']);
  const err = foreignWindowError(p.foreignWindows, '/st/hot_backup_ts.DBPROD.inflight.json');
  assert.ok(err instanceof PreconditionError);
  assert.equal(err.exitCode, ExitCode.PRECONDITION);
  assert.equal(
    formatError(err),
    'backup mode was begun by someone else (ALTER TABLESPACE/DATABASE BEGIN BACKUP, a storage snapshot script?) for 2 tablespace(s) this run must copy:\n' +
      '  DATA: file 5 /u05/d1.dbf (ACTIVE since SCN 900), file 6 /u05/d2.dbf (ACTIVE since SCN 900)\n' +
      '  USERS: file 4 /u05/users01.dbf (ACTIVE since SCN 1200)\n' +
      'HINT: this tool only resumes or ends backup windows it recorded in /st/hot_backup_ts.DBPROD.inflight.json; let whoever began it end it (ALTER TABLESPACE ... END BACKUP for each, or ALTER DATABASE END BACKUP) or wait until it is ended, then re-run hot_backup_ts',
  );
});

test('datafiles in ASM are refused before anything starts, with a clear message (no "unexpected error")', () => {
  const rows = [row('USERS', 4, '+DATA/DBPROD/DATAFILE/users.259.1122334455', MB), row('DATA', 5, '/u05/d1.dbf', MB)];
  assert.throws(
    () => planBackup(input(rows)),
    (e: unknown) =>
      e instanceof PreconditionError &&
      formatError(e) ===
        '1 datafile(s) are in ASM, which hot_backup_ts cannot copy (it copies from filesystems only):\n  +DATA/DBPROD/DATAFILE/users.259.1122334455 (tablespace USERS)\n' +
          'HINT: build this standby with RMAN (DUPLICATE ... FOR STANDBY, or BACKUP AS COPY then RESTORE on the DR host), or exclude these tablespaces (backup.exclude_tablespaces)',
  );
  assert.equal(planBackup(input(rows, { excludeTablespaces: ['USERS'] })).tablespaces.length, 1, 'an excluded ASM tablespace is no obstacle');
});

test('by default no pattern is excluded: TEMPLATES and TEMP_STAGE are copied, temporary tablespaces skipped by CONTENTS', () => {
  const rows = [row('TEMPLATES', 4, '/u05/tpl.dbf', MB), row('TEMP_STAGE', 5, '/u05/stage.dbf', MB)];
  const p = planBackup(input(rows));
  assert.deepEqual(p.tablespaces.map((t) => t.name).sort(), ['TEMPLATES', 'TEMP_STAGE']);
  assert.deepEqual(p.skipped, [{ name: 'TEMP', reason: 'temporary tablespace (tempfiles are not backed up)' }]);
});

test('a marker written for another database (DBID) certifies nothing here', () => {
  const rows = [row('USERS', 4, '/u05/users01.dbf', MB)];
  const marker = { tablespace: 'USERS', sid: 'DBPROD', dbid: '111', cutoffScn: '1000', files: [{ fileId: 4, source: '/u05/users01.dbf', dest: '/u15/users01.dbf', bytes: MB }], completedAt: 'x' };
  assert.equal(planBackup(input(rows, { done: new Map([['USERS', marker]]), dbid: '111' })).tablespaces.length, 0);
  assert.equal(planBackup(input(rows, { done: new Map([['USERS', marker]]), dbid: '222' })).tablespaces.length, 1);
});

test('the consistent point needs a current copy of every datafile that is not excluded', () => {
  const rows = [row('USERS', 4, '/u05/users01.dbf', MB), row('USERS', 11, '/u05/users02.dbf', MB), row('DATA', 5, '/u05/d1.dbf', MB), row('SKIP', 6, '/u05/s.dbf', MB)];
  const users = { tablespace: 'USERS', cutoffScn: '1000', files: [{ fileId: 4, source: '/u05/users01.dbf', dest: '/u15/users01.dbf', bytes: MB }], completedAt: 'x' };
  const data = { tablespace: 'DATA', cutoffScn: '999', files: [{ fileId: 5, source: '/u05/d1.dbf', dest: '/u15/d1.dbf', bytes: MB }], completedAt: 'x' };
  const missing = uncoveredDatafiles(rows, new Map([['USERS', users], ['DATA', data]]), 1000n, ['SKIP']);
  assert.deepEqual(missing.map((r) => r.fileId), [11, 5]);
  assert.equal(
    formatError(coverageError(missing)),
    'the consistent point was not recorded: 2 datafile(s) of the database have no copy in this backup cycle (added after their tablespace was copied?):\n' +
      '  file 11 /u05/users02.dbf (tablespace USERS)\n  file 5 /u05/d1.dbf (tablespace DATA)\n' +
      'HINT: re-run hot_backup_ts: it copies them, then records the consistent point (the standby would stop at them with ORA-01274 or ORA-01157)',
  );
});

test('an unkeyed marker of an earlier version is adopted only when its cutoff and every file are this database\'s', () => {
  const rows = [row('USERS', 4, '/u05/users01.dbf', MB)];
  const m = { tablespace: 'USERS', cutoffScn: '1000', files: [{ fileId: 4, source: '/u05/users01.dbf', dest: '/u15/users01.dbf', bytes: MB }], completedAt: 'x' };
  assert.equal(legacyMarkerBelongs(m, 1000n, rows), true);
  assert.equal(legacyMarkerBelongs(m, 1001n, rows), false, 'another cycle, or another database');
  assert.equal(legacyMarkerBelongs({ ...m, files: [{ ...m.files[0], source: '/u06/users01.dbf' }] }, 1000n, rows), false, "another database's file");
  assert.equal(legacyMarkerBelongs({ ...m, files: [] }, 1000n, rows), false);
});

test('two datafiles mapped to the same DR path are refused', () => {
  const rows = [row('A', 1, '/u05/x/a.dbf', MB), row('B', 2, '/u06/x/a.dbf', MB)];
  assert.throws(
    () => planBackup(input(rows, { pathMap: [{ from: '/u05', to: '/u15' }, { from: '/u06', to: '/u15' }] })),
    (e: unknown) => e instanceof DrError && e.message === 'path_map sends several datafiles to the same DR path:\n  /u15/x/a.dbf <- /u05/x/a.dbf, /u06/x/a.dbf',
  );
});
