// One lock file per tool and database, so two runs never overlap.
//
// A lock is created complete: the holder's JSON is written to a temp file which is then
// hard-linked to the lock path (link fails with EEXIST when the lock exists), so a reader
// never sees a half-written lock. A lock whose pid is no longer running on this host is
// stale and is taken over:
//   1. link(lock, lock + '.claim'): only one process can create the claim;
//   2. the claimer checks the claim is the very inode it found stale (if not, someone
//      already replaced the lock: drop the claim and start again);
//   3. rename(our temp, lock) replaces the stale lock in one step (the lock path never
//      disappears, so nobody can slip a fresh lock in), then the claim is removed.
// A claim left by a process killed between 1 and 3 is removed after CLAIM_ABANDONED_MS.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { LockError } from './errors.ts';
import { ensureDir } from './state.ts';

export interface LockHolder {
  pid: number;
  host: string;
  tool: string;
  startedAt: string;
  argv: string[];
  /** Linux: start time of the process (field 22 of /proc/<pid>/stat), to detect pid reuse. */
  procStart?: string;
  /** Random; tells our lock from a later one written by the same pid. */
  token?: string;
}

export interface Lock {
  path: string;
  holder: LockHolder;
  /** The stale holder that was replaced, when the lock was taken over. */
  tookOver?: LockHolder;
  /** A sentence for the log when the lock was taken over. */
  warning?: string;
  release(): void;
}

export interface AcquireOptions {
  /** Database name for the HINT; by default derived from `<tool>.<sid>.lock`. */
  sid?: string;
  /** Called with the takeover warning (also in Lock.warning). */
  onWarning?: (msg: string) => void;
  /** Recorded in the lock; default process.argv. */
  argv?: string[];
  /** Tests only: pause between finding a stale lock and claiming it, to widen the race window. */
  takeoverDelayMs?: number;
}

const CLAIM_ABANDONED_MS = 10_000;

/** Start time of a process in clock ticks since boot (Linux), undefined elsewhere. */
function procStartOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: split after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19]; // field 22 overall: 3 + 19
  } catch {
    return undefined;
  }
}

function procState(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Whether `pid` runs on this host (a zombie or a reused pid counts as not running). */
export function isPidAlive(pid: number, procStart?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (procState(pid) === 'Z') return false;
  if (procStart !== undefined) {
    const now = procStartOf(pid);
    if (now !== undefined && now !== procStart) return false;
  }
  return true;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string') return undefined;
    return {
      pid: v.pid,
      host: v.host,
      tool: typeof v.tool === 'string' ? v.tool : '?',
      startedAt: typeof v.startedAt === 'string' ? v.startedAt : '?',
      argv: Array.isArray(v.argv) ? v.argv.map(String) : [],
      procStart: typeof v.procStart === 'string' ? v.procStart : undefined,
      token: typeof v.token === 'string' ? v.token : undefined,
    };
  } catch {
    return undefined;
  }
}

function holderAlive(h: LockHolder): boolean {
  // A holder on another host cannot be checked from here: it is never taken over.
  if (h.host !== os.hostname()) return true;
  return isPidAlive(h.pid, h.procStart);
}

/** The lock's holder and whether it still runs; undefined when there is no lock (or it is unreadable). */
export function readLockHolder(lockPath: string): (LockHolder & { alive: boolean }) | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const h = parseHolder(text);
  return h ? { ...h, alive: holderAlive(h) } : undefined;
}

function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel !== '' && rel.length < p.length ? rel : p;
}

function sidFromLockPath(lockPath: string, tool: string): string {
  const base = path.basename(lockPath);
  const m = base.startsWith(tool + '.') && base.endsWith('.lock') ? base.slice(tool.length + 1, -'.lock'.length) : '';
  return m !== '' ? m : 'this database';
}

function writeTemp(dir: string, base: string, holder: LockHolder): string {
  const tmp = path.join(dir, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, JSON.stringify(holder) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return tmp;
}

function statIno(p: string): number | undefined {
  try {
    return fs.statSync(p).ino;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Takes the lock at `lockPath` for `tool`, or throws LockError naming the live holder.
 * A lock left by a dead pid on this host is taken over; Lock.warning says so.
 */
export function acquireLock(lockPath: string, tool: string, opts: AcquireOptions = {}): Lock {
  const abs = path.resolve(lockPath);
  const dir = path.dirname(abs);
  const base = path.basename(abs);
  const claimPath = abs + '.claim';
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    tool,
    startedAt: new Date().toISOString(),
    argv: opts.argv ?? process.argv,
    procStart: procStartOf(process.pid),
    token: randomBytes(8).toString('hex'),
  };
  const sid = opts.sid ?? sidFromLockPath(abs, tool);
  ensureDir(dir);
  const tmp = writeTemp(dir, base, holder);
  let tookOver: LockHolder | undefined;
  try {
    const deadline = Date.now() + CLAIM_ABANDONED_MS + 5_000;
    for (;;) {
      if (Date.now() > deadline)
        throw new LockError(
          `unable to acquire lock on ${displayPath(abs)}: another process is taking over its stale lock`,
          `is another ${tool} running for ${sid}? if not, remove ${displayPath(claimPath)} and re-run`,
        );
      try {
        fs.linkSync(tmp, abs);
        break; // created
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      // The lock exists: whose is it?
      let text: string;
      let ino: number;
      try {
        ino = fs.statSync(abs).ino;
        text = fs.readFileSync(abs, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
        throw e;
      }
      if (statIno(abs) !== ino) continue; // replaced between stat and read
      const current = parseHolder(text);
      if (current && holderAlive(current)) {
        const where = current.host !== holder.host ? ` on host ${current.host}` : '';
        throw new LockError(
          `unable to acquire lock on ${displayPath(abs)}: held by pid ${current.pid}${where}`,
          `is another ${current.tool !== '?' ? current.tool : tool} running for ${sid}?`,
        );
      }
      // Stale: claim it so only one process replaces it.
      if (opts.takeoverDelayMs) sleepMs(opts.takeoverDelayMs);
      try {
        fs.linkSync(abs, claimPath);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') continue;
        if (code !== 'EEXIST') throw e;
        removeAbandonedClaim(claimPath);
        sleepMs(5);
        continue;
      }
      try {
        if (statIno(claimPath) !== ino) continue; // someone replaced the lock first
        fs.renameSync(tmp, abs);
        tookOver = current ?? { pid: 0, host: '?', tool: '?', startedAt: '?', argv: [] };
      } finally {
        fs.rmSync(claimPath, { force: true });
      }
      break;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  const ourIno = fs.statSync(abs).ino;
  let warning: string | undefined;
  if (tookOver) {
    warning =
      tookOver.pid > 0
        ? `took over stale lock on ${displayPath(abs)}: pid ${tookOver.pid} (${tookOver.tool}, started ${tookOver.startedAt}) is no longer running`
        : `took over unreadable lock on ${displayPath(abs)}`;
    opts.onWarning?.(warning);
  }
  let released = false;
  return {
    path: abs,
    holder,
    tookOver,
    warning,
    release() {
      if (released) return;
      released = true;
      // Remove only our own lock: not one taken over after we were thought dead.
      if (statIno(abs) !== ourIno) return;
      const h = readLockHolder(abs);
      if (h && h.token === holder.token) fs.rmSync(abs, { force: true });
    },
  };
}

function removeAbandonedClaim(claimPath: string): void {
  try {
    const st = fs.statSync(claimPath);
    if (Date.now() - st.ctimeMs > CLAIM_ABANDONED_MS) fs.rmSync(claimPath, { force: true });
  } catch {
    // gone already
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
