// A tool's heartbeat: state/<tool>.<sid>.heartbeat.json, rewritten every HEARTBEAT_EVERY_MS
// while the tool holds its lock, and marked stopped when it releases it. So "tool dead" is
// seen from the file alone — an age that keeps growing without a stop — also where no ps
// can look (another host reading the state directory, a hung process whose pid is alive).
import os from 'node:os';
import { readJsonIfExists, writeJsonAtomic } from '../state.ts';

export const HEARTBEAT_EVERY_MS = 10_000;

export interface HeartbeatRecord {
  tool: string;
  pid: number;
  host: string;
  startedAt: string;
  /** Last beat. */
  at: string;
  /** Set when the tool released its lock (it ended, well or not, but it ended itself). */
  stoppedAt?: string;
}

export interface Heartbeat {
  stop(): void;
}

/** Starts beating now; the timer never keeps the process alive. Write errors go to onError once. */
export function startHeartbeat(file: string, tool: string, opts: { everyMs?: number; onError?: (msg: string) => void } = {}): Heartbeat {
  const rec: HeartbeatRecord = { tool, pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), at: '' };
  let reported = false;
  const beat = (stopped: boolean) => {
    const now = new Date().toISOString();
    rec.at = now;
    if (stopped) rec.stoppedAt = now;
    try {
      writeJsonAtomic(file, rec);
      reported = false;
    } catch (e) {
      if (!reported) opts.onError?.(`unable to write the heartbeat ${file}: ${(e as Error).message}`);
      reported = true;
    }
  };
  beat(false);
  const timer = setInterval(() => beat(false), opts.everyMs ?? HEARTBEAT_EVERY_MS);
  timer.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      beat(true);
    },
  };
}

export function readHeartbeat(file: string): HeartbeatRecord | undefined {
  return readJsonIfExists<HeartbeatRecord>(file);
}
