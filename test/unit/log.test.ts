import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fsModule from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, formatTimestamp, stripAnsi } from '../../lib/log.ts';
import { tempDir } from '../helpers/tempDir.ts';

const at = new Date(2026, 10, 21, 23, 40, 0); // local time
const now = () => at;

function logDir(): string {
  return path.join(tempDir('log-test-'), 'log');
}
const read = (f: string) => fs.readFileSync(f, 'utf8');
const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

/** Captures what the logger writes to stdout and stderr. */
function captureConsole() {
  const out: string[] = [];
  const err: string[] = [];
  const o = mock.method(process.stdout, 'write', (s: string) => (out.push(String(s)), true));
  const e = mock.method(process.stderr, 'write', (s: string) => (err.push(String(s)), true));
  return {
    out,
    err,
    restore() {
      o.mock.restore();
      e.mock.restore();
    },
  };
}

test('timestamps are local time YYYY-MM-DD HH:MM:SS', () => {
  assert.equal(formatTimestamp(new Date(2026, 0, 2, 3, 4, 5)), '2026-01-02 03:04:05');
});

test('file lines carry timestamp and level; errors also reach the errors log with the tool name', () => {
  const dir = logDir();
  const log = createLogger({ file: path.join(dir, 'hot_backup_ts.log'), errorsFile: path.join(dir, 'errors.log'), tool: 'hot_backup_ts', now });
  log.info('starting');
  log.warn('slow transfer');
  log.error('rsync failed for /u05/a.dbf');
  assert.equal(
    read(path.join(dir, 'hot_backup_ts.log')),
    '2026-11-21 23:40:00 [INFO] starting\n' +
      '2026-11-21 23:40:00 [WARN] slow transfer\n' +
      '2026-11-21 23:40:00 [ERROR] rsync failed for /u05/a.dbf\n',
  );
  assert.equal(read(path.join(dir, 'errors.log')), '2026-11-21 23:40:00 [hot_backup_ts] rsync failed for /u05/a.dbf\n');
  assert.equal(log.file, path.join(dir, 'hot_backup_ts.log'));
});

test('every line of a multi-line message is prefixed', () => {
  const dir = logDir();
  const log = createLogger({ file: path.join(dir, 't.log'), errorsFile: path.join(dir, 'e.log'), tool: 'copy_archivelog', now });
  log.error('sqlplus failed\nORA-01110: data file 4\r\nORA-01157: cannot identify\n');
  assert.equal(
    read(path.join(dir, 't.log')),
    '2026-11-21 23:40:00 [ERROR] sqlplus failed\n' +
      '2026-11-21 23:40:00 [ERROR] ORA-01110: data file 4\n' +
      '2026-11-21 23:40:00 [ERROR] ORA-01157: cannot identify\n',
  );
  assert.equal(
    read(path.join(dir, 'e.log')),
    '2026-11-21 23:40:00 [copy_archivelog] sqlplus failed\n' +
      '2026-11-21 23:40:00 [copy_archivelog] ORA-01110: data file 4\n' +
      '2026-11-21 23:40:00 [copy_archivelog] ORA-01157: cannot identify\n',
  );
});

test('files never contain ANSI colour, even with colour on and coloured input', () => {
  const dir = logDir();
  const c = captureConsole();
  try {
    const log = createLogger({ file: path.join(dir, 't.log'), errorsFile: path.join(dir, 'e.log'), tool: 't', console: true, color: true, now });
    log.error('\x1b[31mred\x1b[0m text');
    log.warn('\x1b]0;title\x07warn');
  } finally {
    c.restore();
  }
  const text = read(path.join(dir, 't.log')) + read(path.join(dir, 'e.log'));
  assert.equal(text.includes('\x1b'), false);
  assert.match(read(path.join(dir, 't.log')), /\[ERROR\] red text\n.*\[WARN\] warn\n$/);
  assert.ok(c.err.join('').includes('\x1b['), 'the console gets colour when color is true');
});

test('console: info to stdout, warnings and errors to stderr, no colour unless asked', () => {
  const dir = logDir();
  const c = captureConsole();
  try {
    const log = createLogger({ file: path.join(dir, 't.log'), errorsFile: path.join(dir, 'e.log'), tool: 't', console: true, color: false, now });
    log.info('one');
    log.warn('two');
    log.error('three');
    const quiet = createLogger({ file: path.join(dir, 'q.log'), errorsFile: path.join(dir, 'e.log'), tool: 't', now });
    quiet.info('not on the console');
  } finally {
    c.restore();
  }
  assert.deepEqual(c.out, ['2026-11-21 23:40:00 [INFO] one\n']);
  assert.deepEqual(c.err, ['2026-11-21 23:40:00 [WARN] two\n', '2026-11-21 23:40:00 [ERROR] three\n']);
  assert.equal(stripAnsi('\x1b[1;31mx\x1b[0m'), 'x');
});

test('files and the log directory are private whatever the umask; existing files keep their mode', () => {
  const dir = logDir();
  const old = process.umask(0);
  try {
    const log = createLogger({ file: path.join(dir, 't.log'), errorsFile: path.join(dir, 'e.log'), tool: 't', now });
    log.error('x');
    assert.equal(modeOf(dir), 0o700);
    assert.equal(modeOf(path.join(dir, 't.log')), 0o600);
    assert.equal(modeOf(path.join(dir, 'e.log')), 0o600);
    fs.writeFileSync(path.join(dir, 'shared.log'), 'before\n', { mode: 0o640 });
    fs.chmodSync(path.join(dir, 'shared.log'), 0o640);
    log.child(path.join(dir, 'shared.log')).info('after');
    assert.equal(modeOf(path.join(dir, 'shared.log')), 0o640);
    assert.equal(read(path.join(dir, 'shared.log')), 'before\n2026-11-21 23:40:00 [INFO] after\n');
  } finally {
    process.umask(old);
  }
});

test('a child writes its own file; its errors still reach the errors log', () => {
  const dir = logDir();
  const log = createLogger({ file: path.join(dir, 'hot_backup_ts.log'), errorsFile: path.join(dir, 'errors.log'), tool: 'hot_backup_ts', now });
  const ts = log.child(path.join(dir, 'ts_USERS.log'));
  assert.equal(ts.file, path.join(dir, 'ts_USERS.log'));
  ts.info('BEGIN BACKUP');
  ts.error('copy of /u05/users01.dbf failed');
  log.info('parent line');
  assert.equal(
    read(path.join(dir, 'ts_USERS.log')),
    '2026-11-21 23:40:00 [INFO] BEGIN BACKUP\n2026-11-21 23:40:00 [ERROR] copy of /u05/users01.dbf failed\n',
  );
  assert.equal(read(path.join(dir, 'hot_backup_ts.log')), '2026-11-21 23:40:00 [INFO] parent line\n');
  assert.equal(read(path.join(dir, 'errors.log')), '2026-11-21 23:40:00 [hot_backup_ts] copy of /u05/users01.dbf failed\n');
});

test('a log file removed while running is recreated on the next line', () => {
  const dir = logDir();
  const log = createLogger({ file: path.join(dir, 't.log'), errorsFile: path.join(dir, 'e.log'), tool: 't', now });
  log.info('a');
  fs.rmSync(path.join(dir, 't.log'));
  log.info('b');
  assert.equal(read(path.join(dir, 't.log')), '2026-11-21 23:40:00 [INFO] b\n');
});

// Rotation (etc/logrotate/dr-suite). Every line opens its file by name with O_APPEND, so:
test('rotation by rename (logrotate without copytruncate): the next line creates a new private file; the renamed one gets nothing more', () => {
  const dir = logDir();
  const file = path.join(dir, 't.log');
  const log = createLogger({ file, errorsFile: path.join(dir, 'e.log'), tool: 't', now });
  log.info('before');
  fs.renameSync(file, `${file}.1`);
  log.info('after');
  assert.equal(read(`${file}.1`), '2026-11-21 23:40:00 [INFO] before\n');
  assert.equal(read(file), '2026-11-21 23:40:00 [INFO] after\n');
  assert.equal(modeOf(file), 0o600);
});

test('rotation by copytruncate: the next line starts the truncated file (no hole of NUL bytes), but a line written between the copy and the truncate is lost', () => {
  const dir = logDir();
  const file = path.join(dir, 't.log');
  const log = createLogger({ file, errorsFile: path.join(dir, 'e.log'), tool: 't', now });
  log.info('copied');
  fs.copyFileSync(file, `${file}.1`);
  log.info('lost: written after the copy, before the truncate');
  fs.truncateSync(file, 0);
  log.info('after');
  assert.equal(read(file), '2026-11-21 23:40:00 [INFO] after\n');
  assert.equal(read(`${file}.1`), '2026-11-21 23:40:00 [INFO] copied\n');
  // Why etc/logrotate/dr-suite renames (nocreate) and never uses copytruncate:
  const conf = fs.readFileSync(fileURLToPath(new URL('../../etc/logrotate/dr-suite', import.meta.url)), 'utf8').replace(/#.*$/gm, '');
  assert.doesNotMatch(conf, /\bcopytruncate\b/);
  assert.match(conf, /^\s*nocreate\s*$/m);
});

test('a log file that cannot be written (disk full) does not stop the tool: its lines go to stderr, with one notice that says why', () => {
  const dir = logDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 't.log');
  fs.symlinkSync('/dev/full', file); // every write fails with ENOSPC
  const c = captureConsole();
  try {
    const log = createLogger({ file, errorsFile: path.join(dir, 'e.log'), tool: 'copy_archivelog', now });
    log.info('one');
    log.info('two');
    log.error('three');
    fs.rmSync(file);
    log.info('four'); // the file can be written again
  } finally {
    c.restore();
  }
  assert.deepEqual(c.out, []);
  assert.deepEqual(c.err, [
    `copy_archivelog: cannot write ${file}: ENOSPC: no space left on device; its lines go to stderr until it can be written again\n` +
      `HINT: free space in ${dir} or fix its permissions (a log rotation must not create files the tool cannot write: etc/logrotate/dr-suite)\n`,
    '2026-11-21 23:40:00 [INFO] one\n',
    '2026-11-21 23:40:00 [INFO] two\n',
    '2026-11-21 23:40:00 [ERROR] three\n',
  ]);
  assert.equal(read(file), '2026-11-21 23:40:00 [INFO] four\n');
  assert.equal(read(path.join(dir, 'e.log')), '2026-11-21 23:40:00 [copy_archivelog] three\n');
});

test('a rename between the create attempt and the open for append (logrotate at that very instant) neither throws nor loses the line', () => {
  const dir = logDir();
  const file = path.join(dir, 't.log');
  const c = captureConsole();
  const log = createLogger({ file, errorsFile: path.join(dir, 'e.log'), tool: 't', now });
  log.info('first');
  const realOpen = fsModule.openSync;
  let renamed = false;
  const m = mock.method(fsModule, 'openSync', (p: fs.PathLike, flags: number, mode?: number) => {
    if (!renamed && p === file && typeof flags === 'number' && !(flags & fs.constants.O_CREAT)) {
      renamed = true;
      fs.renameSync(file, `${file}.1`);
    }
    return realOpen(p, flags, mode);
  });
  syncBuiltinESMExports();
  try {
    log.info('second');
  } finally {
    m.mock.restore();
    syncBuiltinESMExports();
    c.restore();
  }
  assert.ok(renamed, 'the rename happened between the two opens');
  assert.deepEqual(c.err, []);
  assert.equal(read(`${file}.1`), '2026-11-21 23:40:00 [INFO] first\n');
  assert.equal(read(file), '2026-11-21 23:40:00 [INFO] second\n');
});
