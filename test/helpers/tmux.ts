// A private, headless tmux server per test (`tmux -L <socketName> -f /dev/null ...`).
// Every tmux command runs with the same controlled environment, so the server (started by the
// first command) and its panes inherit exactly that environment: nothing from the test
// runner's env leaks in (TMUX/TMUX_PANE are never passed, ~/.tmux.conf is never read).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { exec, sleep, type ExecResult } from './proc.ts';
import { SYSTEM_PATH } from './sandbox.ts';

export const TMUX_BIN = 'tmux';

export interface TmuxOptions {
  /** Environment for the tmux client commands and hence the server and its panes.
   *  Default: a minimal env with a throwaway HOME (removed by kill()). */
  env?: Record<string, string>;
}

export interface NewSessionOptions {
  /** Name of the first window. */
  window?: string;
  /** Command of the first window; several elements are exec'd as argv (tmux >= 3.0),
   *  one element is run by `sh -c`. Default: the default shell. */
  command?: string[];
  cwd?: string;
  width?: number;
  height?: number;
}

export interface Tmux {
  socketName: string;
  /** The environment every tmux command here runs with. */
  env: Record<string, string>;
  /** `tmux -L socketName -f /dev/null ...args` (argv, no shell); throws on non-zero exit. */
  run(args: string[]): Promise<ExecResult>;
  /** Same, but never throws for a non-zero exit. */
  exec(args: string[]): Promise<ExecResult>;
  newSession(session: string, opts?: NewSessionOptions): Promise<void>;
  /** capture-pane -p -J (with history by default); trailing blank lines removed. */
  capture(target: string, opts?: { history?: boolean }): Promise<string>;
  /** Window names of a session, in index order. */
  windows(session: string): Promise<string[]>;
  /** display-message -p -t target format */
  display(target: string, format: string): Promise<string>;
  /** Polls capture(target) until the predicate/regex matches; returns the matching capture.
   *  Throws on timeout with the last capture in the message. */
  waitFor(target: string, match: RegExp | ((text: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Is a server running on this socket? */
  alive(): Promise<boolean>;
  /** Path of the server socket (computed like tmux: $TMUX_TMPDIR or /tmp, tmux-UID/name). */
  socketPath: string;
  /** kill-server (ok if none is running); waits until the socket is gone. */
  kill(): Promise<void>;
}

const liveSockets = new Map<string, Record<string, string>>();
let hook = false;
function installExitHook(): void {
  if (hook) return;
  hook = true;
  process.on('exit', () => {
    for (const [name, env] of liveSockets) {
      spawnSync(TMUX_BIN, ['-L', name, 'kill-server'], { env, stdio: 'ignore', timeout: 3000 });
    }
  });
}

let counter = 0;

export function createTmux(name?: string, opts: TmuxOptions = {}): Tmux {
  installExitHook();
  const socketName = name ?? `t${process.pid}x${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  if (!/^[A-Za-z0-9_.-]+$/.test(socketName)) throw new Error(`createTmux: bad socket name ${socketName}`);

  let ownHome: string | undefined;
  let env: Record<string, string>;
  if (opts.env) {
    env = { ...opts.env };
  } else {
    ownHome = mkdtempSync('/tmp/tmh');
    env = { HOME: ownHome, PATH: SYSTEM_PATH.join(':'), LANG: 'C.UTF-8', TERM: 'xterm-256color', TMPDIR: '/tmp' };
  }
  delete env.TMUX;
  delete env.TMUX_PANE;
  if (!env.TERM) env.TERM = 'xterm-256color';

  const uid = process.getuid ? process.getuid() : 0;
  const socketPath = join(env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`, socketName);

  const execT = (args: string[]) => exec([TMUX_BIN, '-L', socketName, '-f', '/dev/null', ...args], { env, timeoutMs: 30_000 });
  const run = async (args: string[]) => {
    const r = await execT(args);
    if (r.code !== 0) {
      throw new Error(`tmux ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim()}`);
    }
    return r;
  };

  const capture = async (target: string, o: { history?: boolean } = {}) => {
    const args = ['capture-pane', '-p', '-J', '-t', target];
    if (o.history !== false) args.push('-S', '-');
    const r = await run(args);
    return r.stdout.replace(/\s+$/, '');
  };

  const tmux: Tmux = {
    socketName,
    env,
    socketPath,
    run,
    exec: execT,
    async newSession(session, o = {}) {
      const args = ['new-session', '-d', '-s', session, '-x', String(o.width ?? 200), '-y', String(o.height ?? 50)];
      if (o.window) args.push('-n', o.window);
      if (o.cwd) args.push('-c', o.cwd);
      if (o.command?.length) args.push(...o.command);
      await run(args);
      liveSockets.set(socketName, env);
    },
    capture,
    async windows(session) {
      const r = await run(['list-windows', '-t', session, '-F', '#{window_index}\t#{window_name}']);
      return r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'))
        .sort((a, b) => Number(a[0]) - Number(b[0]))
        .map((p) => p.slice(1).join('\t'));
    },
    async display(target, format) {
      const r = await run(['display-message', '-p', '-t', target, format]);
      return r.stdout.replace(/\n$/, '');
    },
    async waitFor(target, match, timeoutMs = 10_000) {
      const ok = typeof match === 'function' ? match : (t: string) => match.test(t);
      const deadline = Date.now() + timeoutMs;
      let last = '';
      for (;;) {
        const r = await execT(['capture-pane', '-p', '-J', '-t', target, '-S', '-']);
        if (r.code === 0) {
          last = r.stdout.replace(/\s+$/, '');
          if (ok(last)) return last;
        } else {
          last = `(capture failed: ${r.stderr.trim()})`;
        }
        if (Date.now() > deadline) {
          throw new Error(`tmux waitFor ${target}: no match for ${String(match)} within ${timeoutMs} ms; last capture:\n${last}`);
        }
        await sleep(100);
      }
    },
    async alive() {
      return (await execT(['list-sessions'])).code === 0;
    },
    async kill() {
      liveSockets.delete(socketName);
      await execT(['kill-server']); // "no server running" is fine
      for (let i = 0; i < 100 && existsSync(socketPath); i++) {
        if ((await execT(['list-sessions'])).code !== 0 && i > 10) break;
        await sleep(20);
      }
      try {
        unlinkSync(socketPath);
      } catch {}
      if (ownHome) rmSync(ownHome, { recursive: true, force: true });
    },
  };
  // Servers started via run(['new-session', ...]) directly are tracked too.
  liveSockets.set(socketName, env);
  return tmux;
}
