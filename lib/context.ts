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
import { ensureDir, LogFiles, readJsonIfExists, StateFiles, writeJsonAtomic } from './state.ts';

export interface ToolContext {
  config: DrConfig;
  tool: string;
  log: Logger;
  state: StateFiles;
  logs: LogFiles;
  tsLog: (ts: string) => Logger;
}

/** `logExt`: the tool's own log is <log dir>/<tool>.<sid>.<logExt> (hot_backup_ts.DBPROD.out, copy_archivelog.DBPROD.log). */
export function createContext(config: DrConfig, tool: string, logExt: string, opts: { console?: boolean } = {}): ToolContext {
  ensureDir(config.dirs.log);
  const state = new StateFiles(config.dirs.state, config.oracle.sid);
  state.ensureDir();
  const logs = new LogFiles(config.dirs.log, state);
  const log = createLogger({ file: logs.tool(tool, logExt), errorsFile: logs.errors(), tool, console: opts.console ?? true });
  const tsLoggers = new Map<string, Logger>();
  const tsLog = (ts: string) => {
    let l = tsLoggers.get(ts);
    if (!l) {
      l = log.child(logs.tablespace(ts), { console: false });
      tsLoggers.set(ts, l);
    }
    return l;
  };
  return { config, tool, log, state, logs, tsLog };
}

/** How hot_backup_ts's last run ended, for the orchestrator, the monitor and people: state/<tool>.<sid>.result.json */
export interface ToolResult {
  pid: number;
  exitCode: number;
  finishedAt: string;
  message?: string;
}

export function recordResult(ctx: ToolContext, exitCode: number, message?: string): void {
  const r: ToolResult = { pid: process.pid, exitCode, finishedAt: new Date().toISOString(), ...(message ? { message } : {}) };
  writeJsonAtomic(ctx.state.result(ctx.tool), r);
}

export function clearResult(ctx: ToolContext): void {
  fs.rmSync(ctx.state.result(ctx.tool), { force: true });
}

export function readResult(state: StateFiles, tool: string): ToolResult | undefined {
  return readJsonIfExists<ToolResult>(state.result(tool));
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

/** A database session for the tool; a lost one is replaced (and the log says so) at the next statement. */
export async function openDatabase(ctx: ToolContext): Promise<Database> {
  const db = await Database.open(() => openConnection(ctx.config), {
    sid: ctx.config.oracle.sid,
    onReconnect: (description) => ctx.log.info(`reconnected to ${description}`),
  });
  if (db.profileOutput.length) ctx.log.info(`the site profile (glogin.sql) printed, ignored:\n${db.profileOutput.map((l) => `  ${l}`).join('\n')}`);
  return db;
}
