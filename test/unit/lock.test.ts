import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { acquireLock, readLockHolder, type LockHolder } from '../../lib/lock.ts';
import { LockError, ExitCode, formatError } from '../../lib/errors.ts';
import { tempDir } from '../helpers/tempDir.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function stateDir(): string {
  const base = tempDir('lock-test-');
  fs.mkdirSync(path.join(base, 'state'));
  return path.join(base, 'state');
}

function holder(pid: number, extra: Partial<LockHolder> = {}): LockHolder {
  return { pid, host: os.hostname(), tool: 'hot_backup_ts', startedAt: '2026-11-21T23:40:00.000Z', argv: ['x'], ...extra };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** The pid of a process that has run and is gone (and reaped). */
async function deadPid(): Promise<number> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  const pid = child.pid!;
  child.kill('SIGKILL');
  await exited(child);
  return pid;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected an exception');
}

test('acquire creates a 0600 lock naming us; release removes it; it can be taken again', () => {
  const dir = stateDir();
  const p = path.join(dir, 'hot_backup_ts.dbprod.lock');
  const lock = acquireLock(p, 'hot_backup_ts', { argv: ['node', 'bin/hot_backup_ts.ts'] });
  assert.equal(lock.path, p);
  assert.equal(lock.warning, undefined);
  assert.equal(fs.statSync(p).mode & 0o777, 0o600);
  const h = readLockHolder(p);
  assert.equal(h?.pid, process.pid);
  assert.equal(h?.host, os.hostname());
  assert.equal(h?.tool, 'hot_backup_ts');
  assert.deepEqual(h?.argv, ['node', 'bin/hot_backup_ts.ts']);
  assert.equal(h?.alive, true);
  assert.deepEqual(fs.readdirSync(dir), ['hot_backup_ts.dbprod.lock']); // no temp or claim left
  lock.release();
  assert.equal(fs.existsSync(p), false);
  assert.equal(readLockHolder(p), undefined);
  acquireLock(p, 'hot_backup_ts').release();
  // a missing state directory is created, private
  const deeper = path.join(dir, 'new', 'copy_archivelog.dbprod.lock');
  acquireLock(deeper, 'copy_archivelog').release();
  assert.equal(fs.statSync(path.dirname(deeper)).mode & 0o777, 0o700);
});

test('a lock held by a live process is refused, naming the pid, relative to the cwd', async () => {
  const dir = stateDir();
  const p = path.join(dir, 'hot_backup_ts.dbprod.lock');
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    fs.writeFileSync(p, JSON.stringify(holder(child.pid!)));
    const cwd = process.cwd();
    process.chdir(path.dirname(dir));
    let err: unknown;
    try {
      err = caught(() => acquireLock(p, 'hot_backup_ts'));
    } finally {
      process.chdir(cwd);
    }
    assert.ok(err instanceof LockError);
    assert.equal(err.exitCode, ExitCode.LOCKED);
    assert.equal(
      formatError(err),
      `unable to acquire lock on state/hot_backup_ts.dbprod.lock: held by pid ${child.pid}\n` +
        'HINT: is another hot_backup_ts running for dbprod?',
    );
    assert.equal(readLockHolder(p)?.alive, true);
    assert.equal(readLockHolder(p)?.pid, child.pid); // untouched
  } finally {
    child.kill('SIGKILL');
    await exited(child);
  }
});

test('the sid in the HINT can be given; an absolute path is shown when shorter', () => {
  const dir = stateDir();
  const p = path.join(dir, 'mylock');
  fs.writeFileSync(p, JSON.stringify(holder(process.pid, { tool: 'copy_archivelog' })));
  const err = caught(() => acquireLock(p, 'copy_archivelog', { sid: 'DBPROD' }));
  const shown = path.relative(process.cwd(), p).length < p.length ? path.relative(process.cwd(), p) : p;
  assert.equal(
    formatError(err),
    `unable to acquire lock on ${shown}: held by pid ${process.pid}\nHINT: is another copy_archivelog running for DBPROD?`,
  );
});

test('a lock left by a dead pid is taken over, with a warning', async () => {
  const dir = stateDir();
  const p = path.join(dir, 'copy_archivelog.dbprod.lock');
  const pid = await deadPid();
  fs.writeFileSync(p, JSON.stringify(holder(pid, { tool: 'copy_archivelog' })));
  assert.equal(readLockHolder(p)?.alive, false);
  const warnings: string[] = [];
  const lock = acquireLock(p, 'copy_archivelog', { onWarning: (w) => warnings.push(w) });
  const shown = path.relative(process.cwd(), p).length < p.length ? path.relative(process.cwd(), p) : p;
  const expected = `took over stale lock on ${shown}: pid ${pid} (copy_archivelog, started 2026-11-21T23:40:00.000Z) is no longer running`;
  assert.deepEqual(warnings, [expected]);
  assert.equal(lock.warning, expected);
  assert.equal(lock.tookOver?.pid, pid);
  assert.equal(readLockHolder(p)?.pid, process.pid);
  assert.deepEqual(fs.readdirSync(dir), ['copy_archivelog.dbprod.lock']);
  lock.release();
  assert.equal(fs.existsSync(p), false);
});

test('a reused pid (same pid, other process start time) counts as dead', async () => {
  const dir = stateDir();
  const p = path.join(dir, 'hot_backup_ts.dbprod.lock');
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    fs.writeFileSync(p, JSON.stringify(holder(child.pid!, { procStart: '1' })));
    if (!fs.existsSync(`/proc/${child.pid}/stat`)) return; // not Linux: nothing to check
    assert.equal(readLockHolder(p)?.alive, false);
    const lock = acquireLock(p, 'hot_backup_ts');
    assert.equal(lock.tookOver?.pid, child.pid);
    lock.release();
  } finally {
    child.kill('SIGKILL');
    await exited(child);
  }
});

test('a lock from another host is never taken over', async () => {
  const dir = stateDir();
  const p = path.join(dir, 'hot_backup_ts.dbprod.lock');
  const pid = await deadPid();
  fs.writeFileSync(p, JSON.stringify(holder(pid, { host: 'other-host.example' })));
  const err = caught(() => acquireLock(p, 'hot_backup_ts'));
  assert.ok(err instanceof LockError);
  assert.match(err.message, new RegExp(`: held by pid ${pid} on host other-host\\.example$`));
});

test('an unreadable lock file is taken over', () => {
  const dir = stateDir();
  const p = path.join(dir, 'hot_backup_ts.dbprod.lock');
  fs.writeFileSync(p, '');
  const lock = acquireLock(p, 'hot_backup_ts');
  assert.match(lock.warning ?? '', /^took over unreadable lock on .*hot_backup_ts\.dbprod\.lock$/);
  lock.release();
});

test('release removes the lock only while it is still ours', () => {
  const dir = stateDir();
  const p = path.join(dir, 'hot_backup_ts.dbprod.lock');
  const lock = acquireLock(p, 'hot_backup_ts');
  // someone decided we were dead and replaced the lock
  fs.rmSync(p);
  fs.writeFileSync(p, JSON.stringify(holder(process.pid, { token: 'theirs' })));
  lock.release();
  assert.equal(fs.existsSync(p), true);
});

/** Starts `n` processes that all try to take the lock at once; returns how many won. */
async function race(p: string, n: number, delayMs = 0): Promise<{ won: number; lost: string[] }> {
  const dir = path.dirname(p);
  const go = path.join(dir, 'go');
  const script = path.join(dir, 'racer.ts');
  fs.writeFileSync(
    script,
    `import * as fs from 'node:fs';
import { acquireLock } from ${JSON.stringify(path.join(projectRoot, 'lib', 'lock.ts'))};
while (!fs.existsSync(${JSON.stringify(go)})) {}
try {
  acquireLock(${JSON.stringify(p)}, 'hot_backup_ts', { takeoverDelayMs: ${delayMs} });
  console.log('WON');
} catch (e) {
  console.log('LOST ' + (e as Error).message);
}
process.stdin.resume(); // hold the lock until the parent closes stdin
process.stdin.on('end', () => process.exit(0));
`,
  );
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const results = children.map(
    (c) =>
      new Promise<string>((resolve) => {
        let out = '';
        c.stdout!.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.trim());
        });
        c.once('exit', () => resolve(out.trim()));
      }),
  );
  await new Promise((r) => setTimeout(r, 1500)); // let every racer load and spin
  fs.writeFileSync(go, '');
  const lines = await Promise.all(results);
  for (const c of children) c.stdin!.end();
  await Promise.all(children.map(exited));
  return { won: lines.filter((l) => l === 'WON').length, lost: lines.filter((l) => l !== 'WON') };
}

test('concurrent acquirers of a free lock: exactly one wins', async () => {
  const p = path.join(stateDir(), 'hot_backup_ts.dbprod.lock');
  const r = await race(p, 6);
  assert.equal(r.won, 1);
  assert.equal(r.lost.length, 5);
  for (const l of r.lost) assert.match(l, /^LOST unable to acquire lock on .*: held by pid \d+$/);
});

test('concurrent takeovers of a stale lock: exactly one wins', async () => {
  const p = path.join(stateDir(), 'hot_backup_ts.dbprod.lock');
  fs.writeFileSync(p, JSON.stringify(holder(await deadPid())));
  // every racer sees the stale lock, then pauses: all of them attempt the takeover
  const r = await race(p, 6, 200);
  assert.equal(r.won, 1);
  assert.equal(r.lost.length, 5);
  for (const l of r.lost) assert.match(l, /^LOST unable to acquire lock on .*: held by pid \d+$/);
  assert.equal(fs.existsSync(p + '.claim'), false);
});
