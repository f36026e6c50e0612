// tmux through the gateway. `socketName` selects a private server (-L), as the tests do.
import fs from 'node:fs';
import { DrError, ExitCode } from './errors.ts';
import { run, type RunResult } from './exec.ts';

export interface PaneState {
  /** The pane's command has exited: tmux says so, or its process is gone or a zombie (tmux 3.3a sometimes does not reap it). */
  dead: boolean;
  exitStatus: number | null;
  index: number;
  pid: number;
}

/** A process that no longer runs: gone, or a zombie nobody reaped. */
export function processGone(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export class Tmux {
  constructor(private readonly socketName?: string) {}

  private argv(args: string[]): string[] {
    return ['tmux', ...(this.socketName ? ['-L', this.socketName] : []), ...args];
  }

  run(args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
    return run(this.argv(args), { env, timeoutMs: 15_000 });
  }

  async must(args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
    const r = await this.run(args, env);
    if (r.exitCode !== 0) {
      throw new DrError(`tmux ${args[0]} failed (exit ${r.exitCode}): ${r.stderr.trim()}`, { hint: 'check that tmux runs for this user (tmux -V; tmux new-session -d works)', exitCode: ExitCode.FAILURE });
    }
    return r.stdout;
  }

  /** The exit code is the answer: 0 when the session exists. */
  async hasSession(session: string): Promise<boolean> {
    return (await this.run(['has-session', '-t', `=${session}`])).exitCode === 0;
  }

  /** Window name → has its command exited (kept visible by remain-on-exit), and with which status. */
  async windows(session: string): Promise<Map<string, PaneState>> {
    const out = await this.must(['list-panes', '-s', '-t', `=${session}`, '-F', '#{window_name}\t#{pane_dead}\t#{pane_dead_status}\t#{window_index}\t#{pane_pid}']);
    const m = new Map<string, PaneState>();
    for (const line of out.split('\n').filter(Boolean)) {
      const [name, dead, status, index, pid] = line.split('\t');
      if (!m.has(name)) m.set(name, { dead: dead === '1' || processGone(Number(pid)), exitStatus: status === '' ? null : Number(status), index: Number(index), pid: Number(pid) });
    }
    return m;
  }
}
