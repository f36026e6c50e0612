// The validated configuration as the tools use it (camelCase); lib/config/validate.ts builds
// it from the YAML (snake_case) described by lib/config/schema.ts.
import type { PathRule } from '../pathmap.ts';
import type { TransferConfig } from './transfer.ts';

export type { PathRule, TransferConfig };

export type ConnectConfig =
  | { method: 'sqlplus' }
  | {
      method: 'oracledb';
      user: string;
      connectString: string;
      privilege: 'SYSDBA' | 'SYSBACKUP' | 'NONE';
      passwordEnv?: string;
      passwordFile?: string;
    };

export type Destination =
  | {
      type: 'ssh';
      host: string;
      user: string;
      port: number;
      identityFile?: string;
      knownHostsFile?: string;
      sshConfigFile?: string;
      cipher?: string;
      controlMaster: boolean;
      /** ssh connections for datafile streams: one per worker up to the CPU cores (auto), one per worker, or the shared one. */
      dataConnections: 'auto' | 'per_worker' | 'shared';
      extraSshOptions: string[];
    }
  | { type: 'local' };

/** WARNING when a value is above `warning`, CRITICAL when above `critical` (the Nagios convention). */
export interface Threshold {
  warning: number;
  critical: number;
}

/** thresholds: what status --check, the Prometheus rules and the alerts compare against. */
export interface Thresholds {
  transportLagSeconds: Threshold;
  transportLagSequences: Threshold;
  applyLagSeconds: Threshold;
  applyLagSequences: Threshold;
  shippingStoppedSeconds: Threshold;
  backupModeSeconds: Threshold;
  archiveDestUsedPercent: Threshold;
  /** Hours of redo the archive destination still holds at the current rate: WARNING below `warning`, CRITICAL below `critical` (bin/check). */
  archiveDestHoursLeft: Threshold;
  /** A running tool whose heartbeat is older than this is hung or dead. */
  heartbeatStaleSeconds: number;
}

/** Where alerts go. Secrets (URL, token) are named here, never written here: read when sending. */
export type AlertChannel =
  | {
      type: 'webhook';
      name: string;
      format: 'slack' | 'teams' | 'generic';
      urlEnv?: string;
      urlFile?: string;
      tokenEnv?: string;
      tokenFile?: string;
      timeoutSeconds: number;
    }
  | { type: 'mail'; name: string; to: string[]; from?: string; sendmail: string };

export interface AlertsConfig {
  channels: AlertChannel[];
  /** The lowest severity that is sent. */
  minSeverity: 'warning' | 'critical';
  /** Local time of day (HH:MM) of the daily "still alive" message; undefined: none. */
  dailySummaryAt?: string;
  /** Seconds before a channel that failed is tried again. */
  retrySeconds: number;
}

export interface DrConfig {
  source: string;
  projectRoot: string;
  oracle: { sid: string; home?: string; sqlplus: string; connect: ConnectConfig; nlsLang?: string; statementTimeoutSeconds: number };
  destination: Destination;
  pathMap: PathRule[];
  unmappedPaths: 'error' | 'same_path';
  archivelog: { destDir: string; pollSeconds: number; localDestId: number | 'auto' };
  standbyControlfile: { localPath: string; drPath: string };
  /** The DR instance that apply_standby keeps recovering (bin/apply_standby). */
  standby: {
    apply: boolean;
    /** ORACLE_HOME on DR (default oracle.home). */
    home?: string;
    /** ORACLE_SID of the standby instance (default oracle.sid). */
    sid: string;
    /** 'dr': sqlplus runs on the DR host over the destination's ssh; 'local': on this host (apply_standby installed on DR). */
    runOn: 'dr' | 'local';
    pollSeconds: number;
    /** 'ee' only: managed recovery is allowed (Data Guard); SE2 recovers with RECOVER AUTOMATIC. */
    edition: 'se2' | 'ee';
    /** Deadline of one sqlplus call on DR (a RECOVER of many logs takes long). */
    statementTimeoutSeconds: number;
    /** Deleting applied shipped logs in archivelog.dest_dir on DR (lib/standby/housekeeping.ts). */
    housekeeping: { enabled: boolean; retentionHours: number; intervalSeconds: number };
  };
  backup: {
    parallel: number;
    excludeTablespaces: string[];
    coreTablespaces: string[];
    batchMaxFiles: number;
    batchMaxBytes: number;
  };
  rsync: { path: string; extraOptions: string[]; bwlimitKBps: number; timeoutSeconds: number; retries: number };
  transfer: TransferConfig;
  tmux: { session: string; socketName?: string };
  dirs: { log: string; state: string };
  thresholds: Thresholds;
  alerts: AlertsConfig;
  check: CheckConfig;
}

/** check: what bin/check looks at beyond its fixed list. */
export interface CheckConfig {
  /** Hours of V$ARCHIVED_LOG history the redo rate is measured over. */
  redoRateHours: number;
  /** Ask the DR instance (sqlplus / as sysdba on the DR host) its state; undefined: not checked. */
  drInstance?: { oracleSid: string; oracleHome: string };
}
