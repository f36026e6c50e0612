// etc/dr.yaml → DrConfig. One pure validation step reports every problem at once, each
// as "<yaml.key.path>: <what is wrong>" with the YAML (snake_case) key names, so an
// operator fixes the file in one pass. Unknown keys are problems: a typo must not fall
// back to a default in silence.
import * as path from 'node:path';
import { ConfigError } from '../errors.ts';
import { alertProblems, secretKeyProblems, toAlerts, toThresholds } from './alerts.ts';
import { normalizePath, parsePathMap } from '../pathmap.ts';
import { describe, errorMap, keyPath, sortBySection, unknownKeyMessage, valueAt } from './messages.ts';
import { checkRsyncOptions } from './rsyncOptions.ts';
import { schema } from './schema.ts';
import { parseSize } from './size.ts';
import { buildTransfer, checkTransfer } from './transfer.ts';
import type { DrConfig } from './types.ts';

const PASSWORD_KEY = /^(password|passwd|pwd)$/i;

/** Copies raw without null values (an empty YAML value means "not set") and finds password keys. */
function clean(v: unknown, at: (string | number)[], problems: string[]): unknown {
  if (Array.isArray(v)) return v.map((x, i) => clean(x, [...at, i], problems));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (PASSWORD_KEY.test(k)) {
      problems.push(
        `${keyPath([...at, k])}: a password must never be written in this file; use password_env (the name of an environment variable) or password_file (a file of mode 0600)`,
      );
      continue;
    }
    if (x !== null) out[k] = clean(x, [...at, k], problems);
  }
  return out;
}

/** Fills discriminators that have a natural default, so their absence is not an error. */
function withDefaults(v: Record<string, unknown>): Record<string, unknown> {
  const out = { ...v };
  const dest = out.destination;
  if (dest && typeof dest === 'object' && !Array.isArray(dest) && !('type' in dest)) out.destination = { type: 'ssh', ...dest };
  const ora = out.oracle;
  if (ora && typeof ora === 'object' && !Array.isArray(ora)) {
    const c = (ora as Record<string, unknown>).connect;
    if (c && typeof c === 'object' && !Array.isArray(c) && !('method' in c))
      out.oracle = { ...ora, connect: { method: 'sqlplus', ...c } };
  }
  return out;
}

/**
 * Checks a parsed YAML document and returns the configuration; throws ConfigError listing
 * every problem. Pure: reads no file (loadConfig adds the checks that need the disk).
 */
export function validateConfig(raw: unknown, source: string, projectRoot: string): DrConfig {
  const { config, problems } = check(raw, source, projectRoot);
  if (problems.length) throw new ConfigError(source, problems);
  return config!;
}

export function check(
  raw: unknown,
  source: string,
  projectRoot: string,
  diskProblems?: (data: unknown) => string[],
): { config?: DrConfig; problems: string[] } {
  const problems: string[] = [];
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return { problems: [`(top level): must be a mapping of keys (found ${describe(raw)})`] };
  const data = withDefaults(clean(raw, [], problems) as Record<string, unknown>);
  secretKeyProblems(data, problems);

  const rules = data.path_map === undefined ? [] : parsePathMap(data.path_map, 'path_map', problems);
  const parsed = schema.safeParse(data, { errorMap });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) problems.push(`${keyPath([...issue.path, k])}: ${unknownKeyMessage(data, issue.path, k)}`);
      } else {
        problems.push(`${keyPath(issue.path)}: ${issue.message}`);
      }
    }
  }
  // Checks on values that passed their type check.
  const extra = valueAt(data, ['rsync', 'extra_options']);
  if (Array.isArray(extra)) checkRsyncOptions(extra, problems);
  checkTransfer(data, problems);
  if (valueAt(data, ['oracle', 'connect', 'method']) === 'oracledb') {
    const env = valueAt(data, ['oracle', 'connect', 'password_env']);
    const file = valueAt(data, ['oracle', 'connect', 'password_file']);
    if ((env === undefined) === (file === undefined))
      problems.push(
        `oracle.connect: set exactly one of password_env and password_file with method: oracledb (${env === undefined ? 'neither is' : 'both are'} set)`,
      );
  }
  alertProblems(data, problems);
  if (
    valueAt(data, ['check', 'dr_instance', 'enabled']) === true &&
    valueAt(data, ['check', 'dr_instance', 'oracle_home']) === undefined &&
    valueAt(data, ['standby', 'oracle_home']) === undefined &&
    valueAt(data, ['oracle', 'home']) === undefined
  )
    problems.push('check.dr_instance.oracle_home: must be set when check.dr_instance.enabled is true (standby.oracle_home and oracle.home are not set either): the ORACLE_HOME of the DR instance');
  const bytes = valueAt(data, ['backup', 'batch_max_bytes']);
  let batchMaxBytes = 8 * 1024 ** 3;
  if (bytes !== undefined) {
    const n = parseSize(bytes);
    if (n === undefined) problems.push(`backup.batch_max_bytes: must be a size such as 8G, 512M or a number of bytes (found ${describe(bytes)})`);
    else batchMaxBytes = n;
  }
  if (diskProblems) problems.push(...diskProblems(data));
  sortBySection(problems);
  if (problems.length || !parsed.success) return { problems };

  const y = parsed.data;
  const root = path.resolve(projectRoot);
  const dir = (p: string) => path.resolve(root, p);
  const sid = y.oracle.sid;
  const stateDir = dir(y.dirs.state);
  const c = y.oracle.connect;
  const d = y.destination;
  const config: DrConfig = {
    source: path.resolve(source),
    projectRoot: root,
    oracle: {
      sid,
      ...(y.oracle.home !== undefined && { home: normalizePath(y.oracle.home) }),
      sqlplus: y.oracle.sqlplus,
      connect:
        c.method === 'sqlplus'
          ? { method: 'sqlplus' }
          : {
              method: 'oracledb',
              user: c.user,
              connectString: c.connect_string,
              privilege: c.privilege,
              ...(c.password_env !== undefined && { passwordEnv: c.password_env }),
              ...(c.password_file !== undefined && { passwordFile: normalizePath(c.password_file) }),
            },
      ...(y.oracle.nls_lang !== undefined && { nlsLang: y.oracle.nls_lang }),
      statementTimeoutSeconds: y.oracle.statement_timeout_seconds,
    },
    destination:
      d.type === 'local'
        ? { type: 'local' }
        : {
            type: 'ssh',
            host: d.host,
            user: d.user,
            port: d.port,
            ...(d.identity_file !== undefined && { identityFile: normalizePath(d.identity_file) }),
            ...(d.known_hosts_file !== undefined && { knownHostsFile: normalizePath(d.known_hosts_file) }),
            ...(d.ssh_config_file !== undefined && { sshConfigFile: normalizePath(d.ssh_config_file) }),
            ...(d.cipher !== undefined && { cipher: d.cipher }),
            controlMaster: d.control_master,
            dataConnections: d.data_connections,
            extraSshOptions: d.extra_ssh_options,
          },
    pathMap: rules,
    unmappedPaths: y.unmapped_paths,
    archivelog: {
      destDir: normalizePath(y.archivelog.dest_dir),
      pollSeconds: y.archivelog.poll_seconds,
      localDestId: y.archivelog.local_dest_id,
    },
    standbyControlfile: {
      localPath: normalizePath(y.standby_controlfile.local_path ?? path.join(stateDir, `standby_${sid}.ctl`)),
      drPath: normalizePath(y.standby_controlfile.dr_path),
    },
    standby: {
      apply: y.standby.apply,
      ...((y.standby.oracle_home ?? y.oracle.home) !== undefined && { home: normalizePath((y.standby.oracle_home ?? y.oracle.home)!) }),
      sid: y.standby.oracle_sid ?? sid,
      runOn: y.standby.run_on,
      pollSeconds: y.standby.poll_seconds,
      edition: y.standby.edition,
      statementTimeoutSeconds: y.standby.statement_timeout_seconds,
      housekeeping: { enabled: y.standby.housekeeping.enabled, retentionHours: y.standby.housekeeping.retention_hours, intervalSeconds: y.standby.housekeeping.interval_seconds },
    },
    backup: {
      parallel: y.backup.parallel,
      excludeTablespaces: y.backup.exclude_tablespaces,
      coreTablespaces: y.backup.core_tablespaces,
      batchMaxFiles: y.backup.batch_max_files,
      batchMaxBytes,
    },
    rsync: {
      path: y.rsync.path,
      extraOptions: y.rsync.extra_options,
      bwlimitKBps: y.rsync.bwlimit_kbps,
      timeoutSeconds: y.rsync.timeout_seconds,
      retries: y.rsync.retries,
    },
    transfer: buildTransfer(y.transfer),
    tmux: {
      session: y.tmux.session ?? `DR_${sid.toUpperCase()}`,
      ...(y.tmux.socket_name !== undefined && { socketName: y.tmux.socket_name }),
    },
    dirs: { log: dir(y.dirs.log), state: stateDir },
    thresholds: toThresholds(y.thresholds),
    alerts: toAlerts(y.alerts),
    check: {
      redoRateHours: y.check.redo_rate_hours,
      // on by default when apply_standby is configured, with the standby's SID and home
      ...((y.check.dr_instance.enabled ?? y.standby.apply) &&
        (y.check.dr_instance.oracle_home ?? y.standby.oracle_home ?? y.oracle.home) !== undefined && {
          drInstance: {
            oracleSid: y.check.dr_instance.oracle_sid ?? y.standby.oracle_sid ?? sid,
            oracleHome: normalizePath((y.check.dr_instance.oracle_home ?? y.standby.oracle_home ?? y.oracle.home)!),
          },
        }),
    },
  };
  return { config, problems };
}
