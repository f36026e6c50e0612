// What every tool starts with: configuration, its log files, state files, the lock that
// keeps two runs for one database apart, and (on demand) a database session.
import fs from 'node:fs';
import path from 'node:path';
import type { DrConfig } from './config/index.ts';
import { Database } from './db/database.ts';
import { openConnection } from './db/connect.ts';
import { formatError } from './errors.ts';
import { acquireLock, type Lock } from './lock.ts';
import { createLogger, type Logger } from './log.ts';
import { startHeartbeat } from './status/heartbeat.ts';
import { ensureDir, fileSafeName, readJsonIfExists, StateFiles, writeJsonAtomic } from './state.ts';

export interface ToolContext {
  config: DrConfig;
  tool: string;
  log: Logger;
  state: StateFiles;
  logPath: (name: string) => string;
  tsLog: (ts: string) => Logger;
}

export function createContext(config: DrConfig, tool: string, logName: string, opts: { console?: boolean } = {}): ToolContext {
  ensureDir(config.dirs.log);
  const state = new StateFiles(config.dirs.state, config.oracle.sid);
  state.ensureDir();
  const logPath = (name: string) => path.join(config.dirs.log, name);
  const log = createLogger({ file: logPath(logName), errorsFile: logPath('errors.log'), tool, console: opts.console ?? true });
  const tsLoggers = new Map<string, Logger>();
  const tsLog = (ts: string) => {
    let l = tsLoggers.get(ts);
    if (!l) {
      l = log.child(logPath(`ts_${fileSafeName(ts)}.log`), { console: false });
      tsLoggers.set(ts, l);
    }
    return l;
  };
  return { config, tool, log, state, logPath, tsLog };
}

/** How hot_backup_ts's last run ended, for the orchestrator, the monitor and people: state/<tool>.<sid>.result.json */
export interface ToolResult {
  pid: number;
  exitCode: number;
  finishedAt: string;
  message?: string;
}

export function resultFile(state: StateFiles, tool: string): string {
  return path.join(state.dir, `${fileSafeName(tool)}.${fileSafeName(state.sid)}.result.json`);
}

export function recordResult(ctx: ToolContext, exitCode: number, message?: string): void {
  const r: ToolResult = { pid: process.pid, exitCode, finishedAt: new Date().toISOString(), ...(message ? { message } : {}) };
  writeJsonAtomic(resultFile(ctx.state, ctx.tool), r);
}

export function clearResult(ctx: ToolContext): void {
  fs.rmSync(resultFile(ctx.state, ctx.tool), { force: true });
}

export function readResult(state: StateFiles, tool: string): ToolResult | undefined {
  return readJsonIfExists<ToolResult>(resultFile(state, tool));
}

/**
 * Writes a tool's final error to its log and the errors log, not to the console: the bin
 * prints it there once, as `tool: message` + `HINT: …` (runTool).
 */
export function logFailure(ctx: ToolContext, err: unknown): void {
  ctx.log.child(ctx.log.file, { console: false }).error(formatError(err));
}

/**
 * Takes the tool's lock; a refusal (another run holds it) is written to the tool's log too.
 * While the lock is held the tool writes its heartbeat (lib/status/heartbeat.ts); releasing
 * the lock marks the heartbeat stopped.
 */
export function lockTool(ctx: ToolContext): Lock {
  let lock: Lock;
  try {
    lock = acquireLock(ctx.state.lock(ctx.tool), ctx.tool, { sid: ctx.config.oracle.sid, onWarning: (m) => ctx.log.warn(m) });
  } catch (err) {
    logFailure(ctx, err);
    throw err;
  }
  const heartbeat = startHeartbeat(ctx.state.heartbeat(ctx.tool), ctx.tool, { onError: (m) => ctx.log.warn(m) });
  return {
    ...lock,
    release() {
      heartbeat.stop();
      lock.release();
    },
  };
}

export async function openDatabase(config: DrConfig): Promise<Database> {
  return new Database(await openConnection(config));
}
