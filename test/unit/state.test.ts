import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  LogFiles,
  StateFiles,
  keyPart,
  ensureDir,
  fileSafeName,
  fromFileSafeName,
  readJsonIfExists,
  readTextIfExists,
  writeFileAtomic,
  writeJsonAtomic,
} from '../../lib/state.ts';
import { DrError, formatError } from '../../lib/errors.ts';
import { tempDir } from '../helpers/tempDir.ts';

function tmpdir(): string {
  return tempDir('state-test-');
}
const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

test('writeFileAtomic writes the content with mode 0600 and leaves no temp file', () => {
  const dir = tmpdir();
  const f = path.join(dir, 'scn_cutoff.dbprod');
  const old = process.umask(0);
  try {
    writeFileAtomic(f, '12345\n');
  } finally {
    process.umask(old);
  }
  assert.equal(fs.readFileSync(f, 'utf8'), '12345\n');
  assert.equal(modeOf(f), 0o600);
  assert.deepEqual(fs.readdirSync(dir), ['scn_cutoff.dbprod']);
  writeFileAtomic(f, Buffer.from('67890\n'), 0o640);
  assert.equal(fs.readFileSync(f, 'utf8'), '67890\n');
  assert.equal(modeOf(f), 0o640);
  assert.deepEqual(fs.readdirSync(dir), ['scn_cutoff.dbprod']);
});

/** Replaces fs.renameSync for lib/ too (its `import * as fs` sees the builtin's exports). */
function mockRename(impl: (from: fs.PathLike, to: fs.PathLike) => void) {
  const m = mock.method(fs, 'renameSync', impl);
  syncBuiltinESMExports();
  return {
    calls: () => m.mock.callCount(),
    restore: () => {
      m.mock.restore();
      syncBuiltinESMExports();
    },
  };
}

test('a failure before the rename keeps the old content and removes the temp file', () => {
  const dir = tmpdir();
  const f = path.join(dir, 'last_arch_seq_thread1.dbprod');
  writeFileAtomic(f, '41\n');
  const rename = mockRename(() => {
    throw Object.assign(new Error('simulated crash before rename'), { code: 'EIO' });
  });
  try {
    assert.throws(() => writeFileAtomic(f, '42\n'), /simulated crash before rename/);
    assert.equal(rename.calls(), 1);
  } finally {
    rename.restore();
  }
  assert.equal(fs.readFileSync(f, 'utf8'), '41\n');
  assert.deepEqual(fs.readdirSync(dir), ['last_arch_seq_thread1.dbprod']);
});

test('the temp file is complete and in the same directory when it is renamed', () => {
  const dir = tmpdir();
  const f = path.join(dir, 'x.json');
  const seen: { from: string; content: string }[] = [];
  const real = fs.renameSync;
  const rename = mockRename((from, to) => {
    seen.push({ from: String(from), content: fs.readFileSync(from, 'utf8') });
    real(from, to);
  });
  try {
    writeJsonAtomic(f, { a: 1 });
  } finally {
    rename.restore();
  }
  assert.equal(seen.length, 1);
  assert.equal(path.dirname(seen[0].from), dir);
  assert.notEqual(seen[0].from, f);
  assert.equal(seen[0].content, '{\n  "a": 1\n}\n');
});

test('readTextIfExists and readJsonIfExists return undefined for a missing file', () => {
  const dir = tmpdir();
  assert.equal(readTextIfExists(path.join(dir, 'nope')), undefined);
  assert.equal(readJsonIfExists(path.join(dir, 'nope.json')), undefined);
  writeJsonAtomic(path.join(dir, 'p.json'), { done: ['USERS'], bytes: 10 });
  assert.deepEqual(readJsonIfExists(path.join(dir, 'p.json')), { done: ['USERS'], bytes: 10 });
});

test('corrupt JSON is a DrError naming the file, with a HINT', () => {
  const dir = tmpdir();
  const f = path.join(dir, 'hot_backup_ts.dbprod.progress.json');
  fs.writeFileSync(f, '{"done": [');
  let err: unknown;
  try {
    readJsonIfExists(f);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof DrError);
  assert.match(
    formatError(err),
    new RegExp(
      `^unable to read state file ${f.replace(/[.]/g, '\\.')}: .+\\n` +
        'HINT: the file is corrupt; move it aside \\(it will be rebuilt\\) or restore it, then re-run$',
    ),
  );
});

test('fileSafeName keeps safe characters, encodes the rest as %XX of UTF-8, and is reversible', () => {
  assert.equal(fileSafeName('USERS'), 'USERS');
  assert.equal(fileSafeName('my ts'), 'my%20ts');
  assert.equal(fileSafeName('A_B$C#D.E-F'), 'A_B$C#D.E-F');
  assert.equal(fileSafeName('a/b'), 'a%2Fb');
  assert.equal(fileSafeName('100%'), '100%25');
  assert.equal(fileSafeName('DADOS_AÇÃO'), 'DADOS_A%C3%87%C3%83O');
  assert.equal(fileSafeName('..'), '%2E%2E');
  for (const n of ['my ts', '100%', 'DADOS_AÇÃO', 'a/b\\c"d\'e', '..', '.', 'x.y', 'TS$1#2', '%41']) {
    assert.equal(fromFileSafeName(fileSafeName(n)), n);
  }
  assert.notEqual(fileSafeName('%41'), fileSafeName('A'));
});

test('state and log names carry the database, so databases sharing a directory never collide', () => {
  const s = new StateFiles('/var/dr/state/', 'dbprod');
  assert.equal(s.tsDone('USERS'), '/var/dr/state/ts_dbprod.USERS.done');
  assert.equal(s.tsDone('my ts'), '/var/dr/state/ts_dbprod.my%20ts.done');
  assert.notEqual(new StateFiles('/var/dr/state', 'DBTEST').tsDone('USERS'), s.tsDone('USERS'));
  assert.equal(s.lastArchSeq(1), '/var/dr/state/last_arch_seq_thread1.dbprod');
  assert.equal(s.lastArchSeq(2), '/var/dr/state/last_arch_seq_thread2.dbprod');
  assert.equal(s.scnCutoff(), '/var/dr/state/scn_cutoff.dbprod');
  assert.equal(s.incarnation(), '/var/dr/state/incarnation.dbprod');
  assert.equal(s.consistentPoint(), '/var/dr/state/consistent_point.dbprod');
  assert.equal(s.lock('hot_backup_ts'), '/var/dr/state/hot_backup_ts.dbprod.lock');
  assert.equal(s.inflight('hot_backup_ts'), '/var/dr/state/hot_backup_ts.dbprod.inflight.json');
  assert.equal(s.progress('copy_archivelog'), '/var/dr/state/copy_archivelog.dbprod.progress.json');
  assert.equal(s.result('hot_backup_ts'), '/var/dr/state/hot_backup_ts.dbprod.result.json');
  assert.throws(() => s.lastArchSeq(0), /bad thread 0/);
  const logs = new LogFiles('/var/dr/log', s);
  assert.equal(logs.tool('hot_backup_ts', 'out'), '/var/dr/log/hot_backup_ts.dbprod.out');
  assert.equal(logs.tool('hot_backup_ts', 'rsync.log'), '/var/dr/log/hot_backup_ts.dbprod.rsync.log');
  assert.equal(logs.tablespace('R&D'), '/var/dr/log/ts_dbprod.R%26D.log');
  assert.equal(logs.errors(), '/var/dr/log/errors.dbprod.log');
});

test('tablespace keys: odd names map to distinct safe names, and a container part fits in without ambiguity', () => {
  const s = new StateFiles('/st', 'DBPROD');
  const names = ['USERS', 'users', 'R&D', 'R D', 'R_D', "O'Brien", 'say "hi"', 'A.B', 'A', 'B', 'lower_ts', 'users data', '..', 'DADOS_AÇÃO', '%41'];
  const files = names.map((n) => path.basename(s.tsDone(n)));
  assert.equal(new Set(files).size, names.length, files.join(' '));
  for (const f of files) assert.match(f, /^ts_DBPROD\.[A-Za-z0-9_$#%-]+\.done$/, `only safe characters, one '.' between parts: ${f}`);
  assert.deepEqual(files.slice(0, 6), ['ts_DBPROD.USERS.done', 'ts_DBPROD.users.done', 'ts_DBPROD.R%26D.done', 'ts_DBPROD.R%20D.done', 'ts_DBPROD.R_D.done', 'ts_DBPROD.O%27Brien.done']);
  // container databases: ts_<sid>.<container>.<ts>.done; "A.B" (non-CDB) never equals container A + tablespace B
  assert.equal(path.basename(s.tsDone('USERS', 'PDB1')), 'ts_DBPROD.PDB1.USERS.done');
  assert.notEqual(s.tsDone('A.B'), s.tsDone('B', 'A'));
  assert.equal(keyPart('A.B'), 'A%2EB');
  assert.equal(fromFileSafeName(keyPart('A.B')), 'A.B');
  for (const n of names) assert.equal(fromFileSafeName(keyPart(n)), n);
  assert.ok(s.isOwnMarker('ts_DBPROD.USERS.done') && s.isOwnMarker('ts_DBPROD.PDB1.USERS.done'));
  assert.ok(!s.isOwnMarker('ts_DBTEST.USERS.done') && !s.isOwnMarker('ts_USERS.done') && !s.isOwnMarker('ts_DBPRODX.USERS.done'));
  assert.equal(s.legacyTsDone('my ts'), '/st/ts_my%20ts.done');
});

test('directories are created 0700, whatever the umask', () => {
  const dir = tmpdir();
  const old = process.umask(0);
  try {
    new StateFiles(path.join(dir, 'a', 'b'), 'dbprod').ensureDir();
    ensureDir(path.join(dir, 'a', 'b')); // existing: no error
  } finally {
    process.umask(old);
  }
  assert.equal(modeOf(path.join(dir, 'a')), 0o700);
  assert.equal(modeOf(path.join(dir, 'a', 'b')), 0o700);
});
