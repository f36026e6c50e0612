// The DR side: where files go and how to reach it. For an ssh destination the rsync and ssh
// calls reuse ControlMaster connections (a new ssh connection costs 250–400 ms here), whose
// sockets live in a private directory (lib/sshControl.ts) and which are closed at the end of
// the run. Datafile workers may each get their own connection (a "stream"): one ssh process
// encrypts everything that goes through its connection, on one core.
import fs from 'node:fs';
import path from 'node:path';
import type { Destination } from './config/index.ts';
import { TransferError } from './errors.ts';
import { run } from './exec.ts';
import { controlPathOption, makeControlDir, socketBase, type ControlDir } from './sshControl.ts';

/** Quotes one word for the remote login shell (ssh joins its argv into a shell command line). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const DIRS_HINT = 'check that destination.user may write there (path_map targets, archivelog.dest_dir, standby_controlfile.dr_path) and that the filesystem is mounted';

/**
 * How many ssh connections carry datafile streams (worker n uses connection ((n-1) mod k)+1),
 * 0: the shared one. One ssh process encrypts everything that goes through its connection, on
 * one core: on this project's 2-core bench host (npm run bench, loopback, aes128-gcm) one
 * connection per worker copied 1.07x faster than the shared one with 2 workers, but 0.76x
 * with 4 (more ssh processes than cores); auto (2 for 4 workers there) copied 1.09x as fast as
 * shared. auto: one per worker, at most one per CPU core.
 */
export function dataStreams(dest: Destination, parallel: number, cores: number): number {
  if (dest.type !== 'ssh' || !dest.controlMaster || dest.dataConnections === 'shared') return 0;
  return dest.dataConnections === 'per_worker' ? parallel : Math.max(1, Math.min(parallel, cores));
}

export class Remote {
  readonly dest: Destination;
  private control: ControlDir | undefined;
  private readonly opened = new Set<number>();
  /** Directories ensureDirs made (or found) on DR in this run: not asked for again. */
  private readonly made = new Set<string>();

  /**
   * `stateDir` holds the control sockets (under ssh/); `owner` (`<sid>.<tool>`, one run at a
   * time by its lock) names them, so two tools or two databases never share a master connection.
   */
  constructor(
    dest: Destination,
    private readonly stateDir: string,
    private readonly owner: string,
  ) {
    this.dest = dest;
  }

  /** The control socket of connection `stream` (0: the shared one), or undefined without ControlMaster. */
  private socket(stream: number): string | undefined {
    if (this.dest.type !== 'ssh' || !this.dest.controlMaster) return undefined;
    this.control ??= makeControlDir(this.stateDir);
    return path.join(this.control.dir, `${socketBase(this.dest, this.owner)}${stream ? `-w${stream}` : ''}`);
  }

  get isLocal(): boolean {
    return this.dest.type === 'local';
  }

  /** `user@host` or '' for a local destination. */
  get target(): string {
    return this.dest.type === 'ssh' ? `${this.dest.user}@${this.dest.host}` : '';
  }

  /** ssh options (without the program and the target) for connection `stream` (0: the shared one). */
  sshOptions(stream = 0): string[] {
    const d = this.dest;
    if (d.type !== 'ssh') return [];
    const o = ['-p', String(d.port), '-o', 'BatchMode=yes', '-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=4', '-o', 'ConnectTimeout=15'];
    if (d.sshConfigFile) o.push('-F', d.sshConfigFile);
    if (d.identityFile) o.push('-i', d.identityFile, '-o', 'IdentitiesOnly=yes');
    if (d.knownHostsFile) o.push('-o', `UserKnownHostsFile=${d.knownHostsFile}`);
    if (d.cipher) o.push('-c', d.cipher);
    const socket = this.socket(stream);
    if (socket) o.push('-o', 'ControlMaster=auto', '-o', controlPathOption(socket), '-o', 'ControlPersist=120');
    o.push(...d.extraSshOptions);
    return o;
  }

  /** The value of rsync's -e for connection `stream`: rsync splits it on spaces and honours quotes. */
  rsyncRsh(stream = 0): string | undefined {
    if (this.dest.type !== 'ssh') return undefined;
    return ['ssh', ...this.sshOptions(stream)].map(shellQuote).join(' ');
  }

  /** rsync destination spec for a directory (always with a trailing slash). */
  spec(dir: string): string {
    const d = dir.endsWith('/') ? dir : `${dir}/`;
    return this.dest.type === 'ssh' ? `${this.target}:${d}` : d;
  }

  /**
   * Opens the shared connection, and `streams` more for datafile workers, before any parallel
   * rsync (two starting together on one socket would race to become its master), and proves
   * the DR host is reachable at all.
   */
  async connect(streams = 0): Promise<void> {
    if (this.dest.type !== 'ssh') return;
    const todo = [0, ...Array.from({ length: streams }, (_, i) => i + 1)].filter((n) => !this.opened.has(n));
    const results = await Promise.all(todo.map((n) => run(['ssh', ...this.sshOptions(n), this.target, '--', 'true'], { timeoutMs: 60_000 })));
    results.forEach((r, i) => r.exitCode === 0 && this.opened.add(todo[i]));
    const bad = results.find((r) => r.exitCode !== 0);
    if (bad) {
      throw new TransferError(
        `cannot reach the DR host ${this.describe()} over ssh (exit ${bad.exitCode}): ${bad.stderr.trim().split('\n').slice(-2).join(' | ')}`,
        'check destination.host/user/port, the key (identity_file) and known_hosts: `ssh -p PORT USER@HOST true` must work without a password prompt',
      );
    }
  }

  /**
   * Creates directories on DR (mkdir -p), once per run, instead of rsync's --mkpath, which
   * rsync before 3.2.3 (OL/RHEL 7 and 8) does not know at either end. A directory made
   * earlier in the run is not asked for again (one ssh round trip saved).
   */
  async ensureDirs(dirs: string[]): Promise<void> {
    const todo = [...new Set(dirs.map((d) => path.posix.normalize(d)))].filter((d) => d !== '/' && !this.made.has(d));
    if (todo.length === 0) return;
    if (this.dest.type !== 'ssh') {
      for (const d of todo) {
        try {
          fs.mkdirSync(d, { recursive: true });
        } catch (err) {
          throw new TransferError(`cannot create ${d}: ${(err as Error).message}`, DIRS_HINT);
        }
      }
      return;
    }
    const r = await run(['ssh', ...this.sshOptions(), this.target, '--', ['mkdir', '-p', '--', ...todo].map(shellQuote).join(' ')], { timeoutMs: 60_000 });
    if (r.exitCode !== 0) {
      throw new TransferError(`cannot create ${todo.join(', ')} on the DR host ${this.describe()} (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`, DIRS_HINT);
    }
    for (const d of todo) this.made.add(d);
  }

  describe(): string {
    return this.dest.type === 'ssh' ? `${this.target} (port ${this.dest.port})` : 'local filesystem';
  }

  /** Closes the shared ControlMaster connection and the workers' ones, and a temporary socket directory. */
  async close(): Promise<void> {
    if (this.dest.type !== 'ssh' || !this.control) return;
    await Promise.all([...new Set([0, ...this.opened])].map((n) => run(['ssh', ...this.sshOptions(n), '-O', 'exit', this.target], { timeoutMs: 5_000 }).catch(() => undefined)));
    this.opened.clear();
    if (this.control.temporary) fs.rmSync(this.control.dir, { recursive: true, force: true });
  }
}
