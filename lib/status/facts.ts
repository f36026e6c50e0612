// Everything status knows, read from the state and log files of one database. Nothing here
// talks to a database or runs a command: status, the monitor and the alerts add no load to
// production, and they work on a host where no tool runs (a copy of the state directory).
import fs from 'node:fs';
import path from 'node:path';
import type { ArchiveDestReport } from '../archivelog/space.ts';
import type { ShipProgress } from '../archivelog/progress.ts';
import type { BackupProgress } from '../backup/progress.ts';
import type { DoneMarker } from '../backup/plan.ts';
import type { DrConfig } from '../config/index.ts';
import { readResult, type ToolResult } from '../context.ts';
import { readLockHolder, type LockHolder } from '../lock.ts';
import { LogFiles, readJsonIfExists, readTextIfExists, StateFiles } from '../state.ts';
import { readHeartbeat, type HeartbeatRecord } from './heartbeat.ts';
import type { ApplyProgress } from './standby.ts';
import { TOOLS, type ToolName } from './types.ts';
import { readContainerRecord, type Container } from '../backup/containers.ts';

export interface Facts {
  stateDir: string;
  stateDirExists: boolean;
  cutoff?: string;
  locks: Record<ToolName, (LockHolder & { alive: boolean }) | undefined>;
  heartbeats: Record<ToolName, HeartbeatRecord | undefined>;
  backupProgress?: BackupProgress;
  backupResult?: ToolResult;
  /** .done markers of the current cutoff. */
  doneCount: number;
  /** Container database: the containers hot_backup_ts saw at its last run of this cycle. */
  containers?: Container[];
  inflight?: { tablespaces: string[]; since?: Record<string, string> };
  /** mtime of the in-flight file (ISO), the lower bound for entries without `since`. */
  inflightAt?: string;
  consistent?: { scn: string; cutoffScn: string; threads: { thread: number; sequence: number }[] };
  ship?: ShipProgress;
  archiveDests?: ArchiveDestReport;
  apply?: ApplyProgress;
  /** The last lines of log/errors.<sid>.log (enough to find each tool's last error). */
  errorTail: string[];
}

/** The last `n` lines of a log, reading at most its last 64 KiB (errors.<sid>.log grows until rotated). */
export function tailLines(file: string, n: number): string[] {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n');
    if (len < size) lines.shift(); // probably a partial line
    return lines.filter(Boolean).slice(-n);
  } finally {
    fs.closeSync(fd);
  }
}

function mtimeOf(file: string): string | undefined {
  try {
    return fs.statSync(file).mtime.toISOString();
  } catch {
    return undefined; // removed since it was read: the window has just closed
  }
}

function perTool<T>(fn: (tool: ToolName) => T): Record<ToolName, T> {
  return Object.fromEntries(TOOLS.map((t) => [t, fn(t)])) as Record<ToolName, T>;
}

export function readFacts(config: DrConfig): Facts {
  const state = new StateFiles(config.dirs.state, config.oracle.sid);
  const cutoff = readTextIfExists(state.scnCutoff())?.trim() || undefined;
  let doneCount = 0;
  // every marker of this database, a container database's (ts_<sid>.<container>.<ts>.done) included
  const markers = fs.existsSync(state.dir) ? fs.readdirSync(state.dir).filter((f) => state.isOwnMarker(f)) : [];
  for (const f of markers) if (readJsonIfExists<DoneMarker>(path.join(state.dir, f))?.cutoffScn === cutoff) doneCount++;
  const containers = cutoff && /^\d+$/.test(cutoff) ? readContainerRecord(state, BigInt(cutoff)) : undefined;
  const inflightFile = state.inflight('hot_backup_ts');
  const inflight = readJsonIfExists<{ tablespaces: string[]; since?: Record<string, string> }>(inflightFile);
  const consistent = readJsonIfExists<Facts['consistent']>(state.consistentPoint());
  return {
    stateDir: state.dir,
    stateDirExists: fs.existsSync(state.dir),
    cutoff,
    locks: perTool((t) => readLockHolder(state.lock(t))),
    heartbeats: perTool((t) => readHeartbeat(state.heartbeat(t))),
    backupProgress: readJsonIfExists<BackupProgress>(state.progress('hot_backup_ts')),
    backupResult: readResult(state, 'hot_backup_ts'),
    doneCount,
    ...(containers && { containers }),
    inflight,
    inflightAt: inflight ? mtimeOf(inflightFile) : undefined,
    consistent: consistent && consistent.cutoffScn === cutoff ? consistent : undefined,
    ship: readJsonIfExists<ShipProgress>(state.progress('copy_archivelog')),
    archiveDests: readJsonIfExists<ArchiveDestReport>(state.archiveDests()),
    apply: readJsonIfExists<ApplyProgress>(state.progress('apply_standby')),
    errorTail: tailLines(new LogFiles(config.dirs.log, state).errors(), 200),
  };
}
