// The one gateway for external commands (sqlplus, rsync, ssh, tmux, lsof).
// Always argv arrays: no shell string is ever built here, so paths with spaces or quotes
// reach the program unchanged. zx quotes each array element itself; never add quotes.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { $, type ProcessOutput } from 'zx';
import { PreconditionError } from './errors.ts';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, then stdin is closed. */
  input?: string;
  timeoutMs?: number;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Set when the child was killed by a signal (timeout included). */
  signal: string | null;
}

/**
 * Runs argv to completion and returns its exit code and output. It never throws for a
 * non-zero exit (callers decide what an exit code means); it throws only when the program
 * cannot be started at all (ENOENT), with the program name in the message.
 */
export async function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  if (argv.length === 0) throw new Error('run: empty argv');
  const [cmd, ...args] = argv;
  // stdin is always a pipe (closed at once when there is no input), never our terminal: a
  // child that outlives the command (ssh's ControlMaster) would otherwise hold a tmux pane's
  // pty open, and the window would never show the tool as finished.
  const p = $({
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    input: opts.input ?? '',
    stdio: ['pipe', 'pipe', 'pipe'],
    nothrow: true,
    quiet: true,
    timeout: opts.timeoutMs,
    timeoutSignal: 'SIGTERM',
    verbose: false,
  })`${cmd} ${args}`;
  const out: ProcessOutput = await p;
  if (out.exitCode === 127 && /not found/.test(out.stderr)) {
    throw new PreconditionError(`${cmd}: command not found`, `install ${cmd} (Debian package: ${cmd === 'ssh' ? 'openssh-client' : cmd}) or fix PATH`);
  }
  return { exitCode: out.exitCode ?? -1, stdout: out.stdout, stderr: out.stderr, signal: out.signal ?? null };
}

export interface SpawnLongOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Own process group: a SIGINT/SIGHUP sent to our terminal's group does not reach it. */
  detached?: boolean;
  stdio?: SpawnOptions['stdio'];
}

/**
 * Starts a long-lived child (a sqlplus session, an rsync batch whose per-file lines we
 * read as they come). No shell is involved.
 */
export function spawnLong(argv: readonly string[], opts: SpawnLongOptions = {}): ChildProcess {
  if (argv.length === 0) throw new Error('spawnLong: empty argv');
  const [cmd, ...args] = argv;
  return spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: opts.detached ?? false,
    stdio: opts.stdio ?? ['pipe', 'pipe', 'pipe'],
  });
}

/** Waits for a spawned child to exit; resolves with its code (or -1 and the signal). */
export function waitExit(child: ChildProcess): Promise<{ code: number; signal: string | null }> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode ?? -1, signal: child.signalCode });
      return;
    }
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? -1, signal }));
  });
}

/** Renders argv for a log line, quoting only where needed (display only, never executed). */
export function displayArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
