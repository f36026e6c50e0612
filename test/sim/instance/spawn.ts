// `sim start`: spawns the daemon detached (own process group) and waits until it is ready.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { loadControl, stateDir } from './control.ts';

export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}

function simDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.basename(here) === 'dist' || path.basename(here) === 'instance' ? path.dirname(here) : here;
}

export function pidOf(dir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Starts the instance process; resolves with the startup outcome (ORA-10873 after a crash in backup mode). */
export async function startDaemon(home: string, sid: string, mode = 'open'): Promise<{ ok: boolean; lines: string[]; pid: number }> {
  const dir = stateDir(path.resolve(home), sid);
  if (!fs.existsSync(path.join(dir, 'standby.json'))) loadControl(dir);
  const running = pidOf(dir);
  if (running) throw new StartError(`instance ${sid} is already running (pid ${running})`);
  const bundle = path.join(simDir(), 'dist', 'sim.js');
  if (!import.meta.url.endsWith('/dist/sim.js')) {
    const { ensureBuilt } = await import('../build.ts');
    await ensureBuilt();
  }
  fs.rmSync(path.join(dir, 'ready'), { force: true });
  const log = fs.openSync(path.join(dir, 'daemon.log'), 'a');
  const child = spawn(process.execPath, [bundle, 'daemon', '--home', path.resolve(home), '--sid', sid, '--mode', mode], {
    detached: true, stdio: ['ignore', log, log], cwd: dir,
  });
  fs.closeSync(log);
  child.unref();
  for (let i = 0; i < 1500; i++) {
    if (fs.existsSync(path.join(dir, 'ready'))) {
      const r = JSON.parse(fs.readFileSync(path.join(dir, 'ready'), 'utf8'));
      return { ...r, pid: child.pid! };
    }
    if (child.exitCode !== null) break;
    await sleep(10);
  }
  throw new StartError(`instance ${sid} did not start; see ${path.join(dir, 'daemon.log')}`);
}

/** Whether a process still runs: a killed daemon nobody reaps yet stays a zombie (state Z), which is dead for us. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** SHUTDOWN ABORT: SIGKILL of the instance process (dirty buffers lost, online redo survives). */
export async function crashDaemon(home: string, sid: string): Promise<boolean> {
  const dir = stateDir(path.resolve(home), sid);
  const pid = pidOf(dir);
  if (!pid) return false;
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 200 && alive(pid); i++) await sleep(10);
  fs.rmSync(path.join(dir, 'pid'), { force: true });
  fs.rmSync(path.join(dir, 'socket'), { force: true });
  return true;
}
