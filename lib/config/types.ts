// The validated configuration as the tools use it (camelCase); lib/config/validate.ts builds
// it from the YAML (snake_case) described by lib/config/schema.ts.
import type { PathRule } from '../pathmap.ts';

export type { PathRule };

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
      extraSshOptions: string[];
    }
  | { type: 'local' };

export interface DrConfig {
  source: string;
  projectRoot: string;
  oracle: { sid: string; home?: string; sqlplus: string; connect: ConnectConfig; nlsLang?: string };
  destination: Destination;
  pathMap: PathRule[];
  unmappedPaths: 'error' | 'same_path';
  archivelog: { destDir: string; pollSeconds: number; localDestId: number | 'auto' };
  standbyControlfile: { localPath: string; drPath: string };
  backup: {
    parallel: number;
    excludeTablespaces: string[];
    coreTablespaces: string[];
    batchMaxFiles: number;
    batchMaxBytes: number;
  };
  rsync: { path: string; extraOptions: string[]; bwlimitKBps: number; timeoutSeconds: number; retries: number };
  tmux: { session: string; socketName?: string };
  dirs: { log: string; state: string };
}
