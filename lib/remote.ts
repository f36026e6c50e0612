// The DR side: where files go and how to reach it. For an ssh destination every rsync and
// ssh call shares one ControlMaster connection (a new ssh connection costs 250–400 ms here),
// kept in a private 0700 directory and closed at the end of the run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Destination } from './config/index.ts';
import { TransferError } from './errors.ts';
import { run } from './exec.ts';

/** Quotes one word for the remote login shell (ssh joins its argv into a shell command line). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const DIRS_HINT = 'check that destination.user may write there (path_map targets, archivelog.dest_dir, standby_controlfile.dr_path) and that the filesystem is mounted';

export class Remote {
  readonly dest: Destination;
  private readonly controlDir: string | undefined;

  constructor(dest: Destination) {
    this.dest = dest;
    if (dest.type === 'ssh' && dest.controlMaster) {
      this.controlDir = path.join(os.tmpdir(), `dr-ssh-${process.getuid?.() ?? 'u'}`);
      fs.mkdirSync(this.controlDir, { recursive: true, mode: 0o700 });
      fs.chmodSync(this.controlDir, 0o700);
    }
  }

  get isLocal(): boolean {
    return this.dest.type === 'local';
  }

  /** `user@host` or '' for a local destination. */
  get target(): string {
    return this.dest.type === 'ssh' ? `${this.dest.user}@${this.dest.host}` : '';
  }

  /** ssh options (without the program and the target). */
  sshOptions(): string[] {
    const d = this.dest;
    if (d.type !== 'ssh') return [];
    const o = ['-p', String(d.port), '-o', 'BatchMode=yes', '-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=4', '-o', 'ConnectTimeout=15'];
    if (d.sshConfigFile) o.push('-F', d.sshConfigFile);
    if (d.identityFile) o.push('-i', d.identityFile, '-o', 'IdentitiesOnly=yes');
    if (d.knownHostsFile) o.push('-o', `UserKnownHostsFile=${d.knownHostsFile}`);
    if (d.cipher) o.push('-c', d.cipher);
    if (this.controlDir) o.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${this.controlDir}/%C`, '-o', 'ControlPersist=120');
    o.push(...d.extraSshOptions);
    return o;
  }

  /** The value of rsync's -e: rsync splits it on spaces and honours quotes. */
  rsyncRsh(): string | undefined {
    if (this.dest.type !== 'ssh') return undefined;
    return ['ssh', ...this.sshOptions()].map(shellQuote).join(' ');
  }

  /** rsync destination spec for a directory (always with a trailing slash). */
  spec(dir: string): string {
    const d = dir.endsWith('/') ? dir : `${dir}/`;
    return this.dest.type === 'ssh' ? `${this.target}:${d}` : d;
  }

  /**
   * Opens the shared connection once, before any parallel rsync (two starting together would
   * race to become the ControlMaster), and proves the DR host is reachable at all.
   */
  async connect(): Promise<void> {
    if (this.dest.type !== 'ssh') return;
    const r = await run(['ssh', ...this.sshOptions(), this.target, '--', 'true'], { timeoutMs: 60_000 });
    if (r.exitCode !== 0) {
      throw new TransferError(
        `cannot reach the DR host ${this.describe()} over ssh (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`,
        'check destination.host/user/port, the key (identity_file) and known_hosts: `ssh -p PORT USER@HOST true` must work without a password prompt',
      );
    }
  }

  /**
   * Creates directories on DR (mkdir -p), once per run, instead of rsync's --mkpath, which
   * rsync before 3.2.3 (OL/RHEL 7 and 8) does not know at either end.
   */
  async ensureDirs(dirs: string[]): Promise<void> {
    const todo = [...new Set(dirs.map((d) => path.posix.normalize(d)))].filter((d) => d !== '/');
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
  }

  describe(): string {
    return this.dest.type === 'ssh' ? `${this.target} (port ${this.dest.port})` : 'local filesystem';
  }

  /** Closes the shared ControlMaster connection, if any. */
  async close(): Promise<void> {
    if (this.dest.type !== 'ssh' || !this.controlDir) return;
    await run(['ssh', ...this.sshOptions(), '-O', 'exit', this.target], { timeoutMs: 5_000 }).catch(() => undefined);
  }
}
