// The status of one database as every view renders it: the monitor window, `status.ts`
// (JSON), its Prometheus text, its --check line, and the alerts. One document, built in one
// place (snapshot.ts) from state files only, so no two views can disagree. Field names are
// the JSON's (docs/MONITORING.md documents them). Times are ISO 8601 (UTC) unless they are
// database times ('YYYY-MM-DD HH24:MI:SS', the database's own clock).
import type { Gap } from '../archivelog/plan.ts';

export type Severity = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';

/** Something wrong now. `id` is stable while the same thing stays wrong (alerts key on it). */
export interface Condition {
  id: string;
  severity: Exclude<Severity, 'OK'>;
  summary: string;
}

/**
 * running:   holds its lock, heartbeat fresh (or a version without heartbeat);
 * stale:     holds its lock but its heartbeat is older than thresholds.heartbeat_stale_seconds (hung, or dead on another host);
 * dead:      its lock names a process that no longer runs, or its heartbeat stopped without the tool ending itself;
 * stopped:   it ended itself (the heartbeat says when);
 * never_run: no lock, no heartbeat.
 */
export type ToolState = 'running' | 'stale' | 'dead' | 'stopped' | 'never_run';

export interface ToolStatus {
  state: ToolState;
  pid: number | null;
  host: string | null;
  startedAt: string | null;
  heartbeatAt: string | null;
  heartbeatAgeSeconds: number | null;
  stoppedAt: string | null;
}

/** none: no cutoff SCN yet; waiting: cutoff recorded, no copy yet; copying: hot_backup_ts runs; complete: consistent point recorded; failed: last run failed or died; incomplete: otherwise. */
export type CycleState = 'none' | 'waiting' | 'copying' | 'complete' | 'failed' | 'incomplete';

export interface BackupStatus {
  cycle: CycleState;
  cutoffScn: string | null;
  tablespaces: { done: number; inBackupMode: number; pending: number; failed: number };
  /** Container database only: CDB$ROOT, PDB$SEED and the PDBs with their open mode, as hot_backup_ts last saw them in this cycle. */
  containers?: { conId: number; name: string; openMode: string }[];
  /** Tablespaces the suite put in backup mode and has not ended (the in-flight file), with since when. */
  inBackupMode: { name: string; since: string | null; seconds: number | null }[];
  bytes: { done: number; total: number } | null;
  rateBytesPerSec: number | null;
  etaSeconds: number | null;
  /** A refresh of an existing DR copy or a full copy, with rsync's bytes sent for the file bytes of finished batches. */
  transfer?: { kind: 'refresh' | 'full copy'; fileBytes: number; sentBytes: number };
  /** Last write of hot_backup_ts's progress file. */
  progressAt: string | null;
  lastRun: { exitCode: number; finishedAt: string; message: string | null } | null;
  /** After the standby has applied these sequences it can be opened (hot_backup_ts records it at the end of a cycle). */
  consistentPoint: { scn: string; threads: { thread: number; sequence: number }[] } | null;
}

export interface ThreadTransport {
  thread: number;
  /** CURRENT online log on production. */
  productionSequence: number | null;
  /** Newest archived log on production (the shipped destination). */
  archivedSequence: number | null;
  shippedSequence: number | null;
  /** archivedSequence − shippedSequence (all needed logs when nothing is shipped yet). */
  lagSequences: number | null;
  /** NEXT_TIME of the newest archived log − NEXT_TIME of the newest shipped one; null when nothing is shipped yet. */
  lagSeconds: number | null;
  archivedNextTime: string | null;
  shippedNextTime: string | null;
}

export interface ArchiveDestStatus {
  destId: number;
  status: string;
  error: string | null;
  destination: string;
  usedPercent: number | null;
  freeBytes: number | null;
}

export interface TransportStatus {
  /** When the shipper last looked at production: every figure below is as of then. */
  observedAt: string | null;
  /** End of the shipper's last completed pass (shipping_stopped is measured from it). */
  lastPassAt: string | null;
  lastPassAgeSeconds: number | null;
  destId: number | null;
  threads: ThreadTransport[];
  /** Worst thread. */
  lagSequences: number | null;
  lagSeconds: number | null;
  gaps: Gap[];
  archiveDests: {
    observedAt: string;
    dests: ArchiveDestStatus[];
    recoveryArea: { name: string; limitBytes: number; usedBytes: number; reclaimableBytes: number; usedPercent: number } | null;
  } | null;
}

/**
 * The DR side (issue 8). Until apply_standby reports through its progress file
 * (state/apply_standby.<sid>.progress.json, shape: ApplyProgress in standby.ts), this is
 * { configured: false, state: 'unknown' } and every view says so.
 */
/** The DR archive directory (archivelog.dest_dir) as apply_standby's housekeeping last saw it (df on DR). */
export interface DrArchiveSpace {
  dir: string;
  observedAt: string;
  mount: string;
  totalBytes: number;
  usedBytes: number;
  availBytes: number;
  usedPercent: number;
  /** What that housekeeping run did: logs deleted, shipped logs kept, or why it deleted nothing. */
  housekeeping: { deleted: number; kept: number; retentionHours: number; skipped?: string };
}

export type StandbyStatus =
  | { configured: false; state: 'unknown'; reason: string }
  | {
      configured: true;
      /** End of apply_standby's last pass. */
      observedAt: string;
      lastPassAgeSeconds: number;
      threads: { thread: number; appliedSequence: number | null; appliedScn: string | null; appliedTime: string | null; nextNeeded: number | null; lagSequences: number | null }[];
      lagSequences: number | null;
      lagSeconds: number | null;
      consistent: boolean;
      lastError: string | null;
      /** Logs the standby needs next that are not on DR although production has them (production's own gaps are transport.gaps). */
      gaps: StandbyGap[];
      /** Space of the DR archive directory (absent until housekeeping has run). */
      drArchive?: DrArchiveSpace;
    };

/**
 * shipping_failed: not on DR, copy_archivelog's last transfer of it failed (it retries every pass);
 * missing_on_dr: shipped, but recovery could not open it on DR (copy_archivelog ships it again).
 */
export interface StandbyGap {
  thread: number;
  sequence: number;
  state: 'shipping_failed' | 'missing_on_dr';
  detail: string;
}

export const TOOLS = ['copy_archivelog', 'hot_backup_ts', 'apply_standby', 'alerts'] as const;
export type ToolName = (typeof TOOLS)[number];

export interface DatabaseStatus {
  sid: string;
  config: string;
  session: string;
  status: Severity;
  conditions: Condition[];
  backup: BackupStatus;
  transport: TransportStatus;
  standby: StandbyStatus;
  tools: Record<ToolName, ToolStatus>;
  /** Last lines of log/errors.<sid>.log. */
  lastErrors: string[];
}

export interface StatusDocument {
  version: 1;
  generatedAt: string;
  host: string;
  status: Severity;
  databases: DatabaseStatus[];
  /** status --all: configurations whose status could not be read (each counts as UNKNOWN). */
  unreadable?: Unreadable[];
}

/** A configuration of status --all that could not be read, or whose state files could not. */
export interface Unreadable {
  config: string;
  /** Known when the configuration itself could be read. */
  sid: string | null;
  error: string;
}
