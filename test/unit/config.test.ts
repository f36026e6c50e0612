import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configKeys, loadConfig, parseSize, validateConfig, type DrConfig } from '../../lib/config/index.ts';
import { ConfigError, DrError, ExitCode, formatError } from '../../lib/errors.ts';
import { tempDir } from '../helpers/tempDir.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The smallest valid configuration. */
function minimal(): Record<string, any> {
  return {
    oracle: { sid: 'dbprod' },
    destination: { host: 'dr.example.com', user: 'oracle' },
    path_map: { '/u05': '/u15' },
    archivelog: { dest_dir: '/u12/arch' },
    standby_controlfile: { dr_path: '/u15/ctl/control01.ctl' },
  };
}

function problemsOf(raw: unknown): string[] {
  try {
    validateConfig(raw, '/etc/dr.yaml', '/opt/dr');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected an exception');
}

function tmp(): string {
  return tempDir('config-test-');
}

test('a minimal configuration gets every default', () => {
  const c = validateConfig(minimal(), '/opt/dr/etc/dr.yaml', '/opt/dr');
  const expected: DrConfig = {
    source: '/opt/dr/etc/dr.yaml',
    projectRoot: '/opt/dr',
    oracle: { sid: 'dbprod', sqlplus: 'sqlplus', connect: { method: 'sqlplus' }, statementTimeoutSeconds: 600 },
    destination: { type: 'ssh', host: 'dr.example.com', user: 'oracle', port: 22, controlMaster: true, dataConnections: 'auto', extraSshOptions: [] },
    pathMap: [{ from: '/u05', to: '/u15' }],
    unmappedPaths: 'error',
    archivelog: { destDir: '/u12/arch', pollSeconds: 2, localDestId: 'auto' },
    standbyControlfile: { localPath: '/opt/dr/state/standby_dbprod.ctl', drPath: '/u15/ctl/control01.ctl' },
    standby: { apply: false, sid: 'dbprod', runOn: 'dr', pollSeconds: 2, edition: 'se2', statementTimeoutSeconds: 3600, housekeeping: { enabled: true, retentionHours: 24, intervalSeconds: 300 } },
    backup: {
      parallel: 4,
      excludeTablespaces: [], // temporary tablespaces are skipped by CONTENTS; 'TEMP*' excluded TEMPLATES, TEMP_STAGE
      coreTablespaces: ['SYSTEM', 'SYSAUX', 'UNDO*'],
      batchMaxFiles: 256,
      batchMaxBytes: 8 * 1024 ** 3,
    },
    rsync: { path: 'rsync', extraOptions: [], bwlimitKBps: 0, timeoutSeconds: 600, retries: 3 },
    transfer: { compression: 'auto', archivelogShare: 0.25, delta: 'auto' },
    tmux: { session: 'DR_DBPROD' },
    dirs: { log: '/opt/dr/log', state: '/opt/dr/state' },
    thresholds: {
      transportLagSeconds: { warning: 900, critical: 3600 },
      transportLagSequences: { warning: 3, critical: 10 },
      applyLagSeconds: { warning: 3600, critical: 14400 },
      applyLagSequences: { warning: 10, critical: 50 },
      shippingStoppedSeconds: { warning: 300, critical: 900 },
      backupModeSeconds: { warning: 21600, critical: 86400 },
      archiveDestUsedPercent: { warning: 80, critical: 90 },
      archiveDestHoursLeft: { warning: 24, critical: 4 },
      heartbeatStaleSeconds: 60,
    },
    alerts: { channels: [], minSeverity: 'warning', dailySummaryAt: '08:00', retrySeconds: 60 },
    check: { redoRateHours: 3 },
  };
  assert.deepEqual(c, expected);
});

test('every problem is reported at once, with its YAML key, in the order of the file', () => {
  const raw = {
    oracle: { sidd: 'dbprod', connect: { method: 'oracledb', user: 'u', connect_string: 'scott/tiger@db', password: 'x' } },
    destination: { host: 'dr', port: '22', user: 'oracle' },
    path_map: [{ from: '/u05', to: '/u15' }, { from: '/u05/', to: '/u16' }, { from: 'u06', to: '/u16' }],
    unmapped_paths: 'ignore',
    archivelog: { dest_dir: 'u12/arch', poll_seconds: 0 },
    standby_controlfile: { dr_path: '/x.ctl' },
    backup: { parallel: 40, batch_max_bytes: '8Q' },
    rsync: { extra_options: ['--append-verify', '-avu', '--delete-after'] },
    tmux: { sesion: 'DR' },
  };
  const err = caught(() => validateConfig(raw, '/opt/dr/etc/dr.yaml', '/opt/dr'));
  assert.ok(err instanceof ConfigError);
  assert.equal(err.exitCode, ExitCode.CONFIG);
  assert.equal(
    formatError(err),
    `invalid configuration in /opt/dr/etc/dr.yaml: 17 problems
  - oracle.connect.password: a password must never be written in this file; use password_env (the name of an environment variable) or password_file (a file of mode 0600)
  - oracle.sid: is required
  - oracle.connect.connect_string: must not contain a password (user/password@...); use password_env or password_file
  - oracle.sidd: unknown key (did you mean sid?)
  - oracle.connect: set exactly one of password_env and password_file with method: oracledb (neither is set)
  - destination.port: must be a number (found "22")
  - path_map[1]: /u05 is already mapped by path_map[0]
  - path_map[2].from: must be an absolute path (found "u06")
  - unmapped_paths: must be one of error, same_path (found "ignore")
  - archivelog.dest_dir: must be an absolute path (found "u12/arch")
  - archivelog.poll_seconds: must be greater than 0
  - backup.parallel: must be at most 32
  - backup.batch_max_bytes: must be a size such as 8G, 512M or a number of bytes (found "8Q")
  - rsync.extra_options[0]: --append-verify is not allowed: it skips or only appends to a destination file of the same size, silently keeping a stale datafile from an earlier run
  - rsync.extra_options[1]: -avu is not allowed: -u: it skips datafiles whose DR copy looks newer, silently keeping stale copies
  - rsync.extra_options[2]: --delete-after is not allowed: deleting files on DR is never this tool's decision
  - tmux.sesion: unknown key (did you mean session?)
HINT: fix the keys above in /opt/dr/etc/dr.yaml; etc/dr.example.yaml documents every key`,
  );
});

test('an empty file reports every required key', () => {
  assert.deepEqual(problemsOf(null), [
    'oracle: is required',
    'destination: is required',
    'archivelog: is required',
    'standby_controlfile: is required',
  ]);
  assert.deepEqual(problemsOf(['x']), ['(top level): must be a mapping of keys (found a list)']);
});

test('path_map as a list and as a mapping mean the same', () => {
  const a = validateConfig({ ...minimal(), path_map: { '/u05/': '/u15', '/u05/big': '/u25' } }, '/f', '/opt/dr');
  const b = validateConfig(
    { ...minimal(), path_map: [{ from: '/u05', to: '/u15/' }, { from: '/u05/big', to: '/u25' }] },
    '/f',
    '/opt/dr',
  );
  assert.deepEqual(a.pathMap, [{ from: '/u05', to: '/u15' }, { from: '/u05/big', to: '/u25' }]);
  assert.deepEqual(b.pathMap, a.pathMap);
  assert.deepEqual(problemsOf({ ...minimal(), path_map: { '/u05': 'u15' } }), ['path_map["/u05"]: must be an absolute path (found "u15")']);
});

test('unknown keys are problems, with the key probably meant or the allowed ones', () => {
  const raw = minimal();
  raw.archivelog.pol_seconds = 5;
  raw.destination.colour = 'blue';
  raw.paralel = 2;
  assert.deepEqual(problemsOf(raw), [
    'destination.colour: unknown key (allowed here: type, host, user, port, identity_file, known_hosts_file, ssh_config_file, cipher, control_master, data_connections, extra_ssh_options)',
    'archivelog.pol_seconds: unknown key (did you mean poll_seconds?)',
    'paralel: unknown key (allowed here: oracle, destination, path_map, unmapped_paths, archivelog, standby_controlfile, standby, backup, rsync, transfer, tmux, dirs, thresholds, alerts, check)',
  ]);
});

test('a password key anywhere is refused, pointing to password_env / password_file', () => {
  const raw = minimal();
  raw.destination.Password = 'secret';
  assert.deepEqual(problemsOf(raw), [
    'destination.Password: a password must never be written in this file; use password_env (the name of an environment variable) or password_file (a file of mode 0600)',
  ]);
});

test('oracledb connection: exactly one of password_env and password_file', () => {
  const withConnect = (connect: object) => ({ ...minimal(), oracle: { sid: 'dbprod', connect } });
  const base = { method: 'oracledb', user: 'c##dr', connect_string: 'localhost:1521/DBPROD' };
  const c = validateConfig(withConnect({ ...base, password_env: 'DR_PW' }), '/f', '/opt/dr');
  assert.deepEqual(c.oracle.connect, {
    method: 'oracledb',
    user: 'c##dr',
    connectString: 'localhost:1521/DBPROD',
    privilege: 'SYSDBA',
    passwordEnv: 'DR_PW',
  });
  assert.deepEqual(problemsOf(withConnect({ ...base, password_env: 'DR_PW', password_file: '/x' })), [
    'oracle.connect: set exactly one of password_env and password_file with method: oracledb (both are set)',
  ]);
  assert.deepEqual(problemsOf(withConnect({ ...base, privilege: 'sysdba', password_file: 'pw.txt' })), [
    'oracle.connect.privilege: must be one of SYSDBA, SYSBACKUP, NONE (found "sysdba")',
    'oracle.connect.password_file: must be an absolute path (found "pw.txt")',
  ]);
  assert.deepEqual(problemsOf(withConnect({ method: 'sqlplus', user: 'x' })), [
    'oracle.connect.user: unknown key (allowed here: method)',
  ]);
  assert.deepEqual(problemsOf(withConnect({ method: 'wallet' })), [
    'oracle.connect.method: must be one of sqlplus, oracledb (found "wallet")',
  ]);
});

test('rsync.extra_options is an allowlist: options that cannot change what lands on DR pass', () => {
  const withOpts = (extra_options: string[]) => ({ ...minimal(), rsync: { extra_options } });
  assert.deepEqual(
    problemsOf(withOpts(['--compress', '-z', '-zS', '--compress-level=3', '--zl=1', '--compress-choice=zstd', '--zc=lz4', '--skip-compress=gz/zip', '--bwlimit=10M', '--bwlimit=5000', '--timeout=60', '--contimeout=10', '-4', '-6', '--ipv4', '--ipv6', '--sparse', '-S', '--no-motd'])),
    [],
  );
});

test('rsync.extra_options: options that would certify a copy that never happened are refused, each with why', () => {
  const withOpts = (extra_options: string[]) => ({ ...minimal(), rsync: { extra_options } });
  const nothing = 'rsync would exit 0 without writing the files, and every tablespace would be certified with nothing copied';
  const skips = 'it makes rsync skip some files while still exiting 0, so a tablespace could be certified without its datafiles';
  assert.deepEqual(problemsOf(withOpts(['-n', '--dry-run', '--list-only', '--only-write-batch=/tmp/b', '--existing', '--max-size=1G', '--compare-dest=/u15', '-avn', '--exclude=*.dbf'])), [
    `rsync.extra_options[0]: -n is not allowed: -n: ${nothing}`,
    `rsync.extra_options[1]: --dry-run is not allowed: ${nothing}`,
    `rsync.extra_options[2]: --list-only is not allowed: ${nothing}`,
    `rsync.extra_options[3]: --only-write-batch=/tmp/b is not allowed: ${nothing}`,
    `rsync.extra_options[4]: --existing is not allowed: ${skips}`,
    `rsync.extra_options[5]: --max-size=1G is not allowed: ${skips}`,
    'rsync.extra_options[6]: --compare-dest=/u15 is not allowed: files found in that other directory are skipped or linked instead of written to DR',
    `rsync.extra_options[7]: -avn is not allowed: -n: ${nothing}`,
    `rsync.extra_options[8]: --exclude=*.dbf is not allowed: ${skips}`,
  ]);
  // They also apply to archived logs, which must reach DR whole (temp name + rename) or not at all.
  const whole = 'archived logs and the standby controlfile must reach DR whole or not at all (temp name + rename); datafiles already use --inplace';
  assert.deepEqual(problemsOf(withOpts(['--partial', '--inplace', '--partial-dir=.p', '-zP'])), [
    `rsync.extra_options[0]: --partial is not allowed: ${whole}`,
    `rsync.extra_options[1]: --inplace is not allowed: ${whole}`,
    `rsync.extra_options[2]: --partial-dir=.p is not allowed: ${whole}`,
    `rsync.extra_options[3]: -zP is not allowed: -P: ${whole}`,
  ]);
  assert.deepEqual(problemsOf(withOpts(['--append', '--size-only', '--ignore-existing', '--del', '--remove-source-files', '-e', '--rsh=ssh', '-avu', '--checksum-choice=none'])), [
    'rsync.extra_options[0]: --append is not allowed: it skips or only appends to a destination file of the same size, silently keeping a stale datafile from an earlier run',
    'rsync.extra_options[1]: --size-only is not allowed: it skips or only appends to a destination file of the same size, silently keeping a stale datafile from an earlier run',
    'rsync.extra_options[2]: --ignore-existing is not allowed: it skips datafiles already on DR, silently keeping stale copies',
    "rsync.extra_options[3]: --del is not allowed: deleting files on DR is never this tool's decision",
    'rsync.extra_options[4]: --remove-source-files is not allowed: it would delete production files',
    'rsync.extra_options[5]: -e is not allowed: -e: the ssh command is built from the destination keys',
    'rsync.extra_options[6]: --rsh=ssh is not allowed: the ssh command is built from the destination keys',
    'rsync.extra_options[7]: -avu is not allowed: -u: it skips datafiles whose DR copy looks newer, silently keeping stale copies',
    'rsync.extra_options[8]: --checksum-choice=none is not allowed: it changes (or, with none, disables) the whole-file checksum that verifies every copy on DR',
  ]);
});

test('rsync.extra_options: anything not on the list is refused with the list; values are checked and must be in the same item', () => {
  const withOpts = (extra_options: string[]) => ({ ...minimal(), rsync: { extra_options } });
  const generic = 'only options that cannot change what lands on DR are accepted here (-z/--compress, --compress-level, --compress-choice/--zc, --skip-compress, --bwlimit, --timeout, --contimeout, -4/-6, -S/--sparse, --no-motd); see docs/CONFIGURATION.md, section rsync';
  assert.deepEqual(problemsOf(withOpts(['--whole-file', '-x', '--bwlimit', '10M', '--bwlimit=fast', '--compress-choice=brotli', '--compress=9', '--timeout=1m'])), [
    `rsync.extra_options[0]: --whole-file is not allowed: ${generic}`,
    `rsync.extra_options[1]: -x is not allowed: -x: ${generic}`,
    'rsync.extra_options[2]: --bwlimit needs its value in the same item, e.g. --bwlimit=10M',
    'rsync.extra_options[3]: "10M" is not an option: every item must be one option, such as --bwlimit=10M',
    'rsync.extra_options[4]: --bwlimit=fast is not allowed: --bwlimit needs a rate such as 5000 (KiB/s) or 10M, e.g. --bwlimit=10M',
    'rsync.extra_options[5]: --compress-choice=brotli is not allowed: --compress-choice needs one of zstd, lz4, zlibx, zlib, none, e.g. --compress-choice=zstd',
    'rsync.extra_options[6]: --compress=9 is not allowed: --compress takes no value',
    'rsync.extra_options[7]: --timeout=1m is not allowed: --timeout needs a number of seconds, e.g. --timeout=600',
  ]);
});

test('numbers: fractions of a second for polling, ranges, whole numbers', () => {
  const c = validateConfig({ ...minimal(), archivelog: { dest_dir: '/a', poll_seconds: 0.5, local_dest_id: 2 } }, '/f', '/r');
  assert.equal(c.archivelog.pollSeconds, 0.5);
  assert.equal(c.archivelog.localDestId, 2);
  assert.deepEqual(
    problemsOf({
      ...minimal(),
      archivelog: { dest_dir: '/a', local_dest_id: 'first' },
      backup: { parallel: 2.5, batch_max_files: 0 },
      rsync: { retries: -1 },
      destination: { host: 'dr', user: 'oracle', port: 70000, control_master: 'yes' },
    }),
    [
      'destination.port: must be at most 65535',
      'destination.control_master: must be true or false (found "yes")',
      'archivelog.local_dest_id: must be auto or a destination number from 1 to 31',
      'backup.parallel: must be a whole number (found 2.5)',
      'backup.batch_max_files: must be at least 1',
      'rsync.retries: must be at least 0',
    ],
  );
  assert.equal(parseSize('512M'), 512 * 1024 ** 2);
  assert.equal(parseSize('1.5G'), 1.5 * 1024 ** 3);
  assert.equal(parseSize('4096'), 4096);
  assert.equal(parseSize(0), undefined);
});

test('a local destination takes no ssh keys; directories resolve against the project root', () => {
  const c = validateConfig(
    { ...minimal(), destination: { type: 'local' }, dirs: { log: '/var/log/dr', state: 'var/state' }, tmux: { session: 'DRX', socket_name: 'dr' } },
    '/f',
    '/opt/dr',
  );
  assert.deepEqual(c.destination, { type: 'local' });
  assert.deepEqual(c.dirs, { log: '/var/log/dr', state: '/opt/dr/var/state' });
  assert.equal(c.standbyControlfile.localPath, '/opt/dr/var/state/standby_dbprod.ctl');
  assert.deepEqual(c.tmux, { session: 'DRX', socketName: 'dr' });
  assert.deepEqual(problemsOf({ ...minimal(), destination: { type: 'local', host: 'dr' } }), [
    'destination.host: unknown key (allowed here: type)',
  ]);
  assert.deepEqual(problemsOf({ ...minimal(), tmux: { session: 'DR:1' } }), [
    'tmux.session: must not contain ":", "." or spaces (tmux target syntax)',
  ]);
});

test('tablespace patterns may be any name; control characters are refused', () => {
  const c = validateConfig({ ...minimal(), backup: { exclude_tablespaces: ['TEMP*', 'my ts', 'X?'] } }, '/f', '/r');
  assert.deepEqual(c.backup.excludeTablespaces, ['TEMP*', 'my ts', 'X?']);
  assert.deepEqual(problemsOf({ ...minimal(), backup: { core_tablespaces: ['SYSTEM', 'A\tB', ''] } }), [
    'backup.core_tablespaces[1]: must be a tablespace name or pattern without control characters (found "A\\tB")',
    'backup.core_tablespaces[2]: must not be empty',
  ]);
});

// ---- loading from disk ---------------------------------------------------------------

const EXAMPLE_YAML = `oracle:
  sid: dbprod
destination:
  host: dr
  user: oracle
  identity_file:
path_map:
  /u05: /u15
archivelog:
  dest_dir: /u12/arch
standby_controlfile:
  dr_path: /u15/c.ctl
`;

test('file precedence: --config, then DR_CONFIG, then <root>/etc/dr.yaml', () => {
  const root = tmp();
  fs.mkdirSync(path.join(root, 'etc'));
  fs.writeFileSync(path.join(root, 'etc', 'dr.yaml'), EXAMPLE_YAML);
  fs.writeFileSync(path.join(root, 'env.yaml'), EXAMPLE_YAML.replace('sid: dbprod', 'sid: envdb'));
  fs.writeFileSync(path.join(root, 'flag.yaml'), EXAMPLE_YAML.replace('sid: dbprod', 'sid: flagdb'));
  const env = { DR_CONFIG: path.join(root, 'env.yaml') };
  assert.equal(loadConfig({ projectRoot: root, env: {} }).oracle.sid, 'dbprod');
  assert.equal(loadConfig({ projectRoot: root, env: {} }).source, path.join(root, 'etc', 'dr.yaml'));
  assert.equal(loadConfig({ projectRoot: root, env }).oracle.sid, 'envdb');
  assert.equal(loadConfig({ projectRoot: root, env, configPath: path.join(root, 'flag.yaml') }).oracle.sid, 'flagdb');
});

test('a missing file says where it looked and how to create one', () => {
  const root = tmp();
  const err = caught(() => loadConfig({ projectRoot: root, env: {} }));
  assert.ok(err instanceof DrError);
  assert.equal(err.exitCode, ExitCode.CONFIG);
  assert.equal(
    formatError(err),
    `configuration file ${root}/etc/dr.yaml does not exist\n` +
      `HINT: copy ${root}/etc/dr.example.yaml to ${root}/etc/dr.yaml and edit it, or name another file with --config FILE or DR_CONFIG`,
  );
  const err2 = caught(() => loadConfig({ projectRoot: root, env: { DR_CONFIG: '/nonexistent/dr.yaml' } }));
  assert.equal(
    formatError(err2),
    'configuration file /nonexistent/dr.yaml does not exist (given by DR_CONFIG)\n' +
      `HINT: copy ${root}/etc/dr.example.yaml to etc/dr.yaml and edit it, or name another file with --config FILE or DR_CONFIG`,
  );
});

test('YAML syntax errors are reported with line and column', () => {
  const root = tmp();
  const f = path.join(root, 'bad.yaml');
  fs.writeFileSync(f, 'oracle:\n  sid: dbprod\n  sid: other\nbackup: [1,\n');
  const err = caught(() => loadConfig({ projectRoot: root, configPath: f }));
  assert.ok(err instanceof ConfigError);
  assert.deepEqual(
    err.problems.map((p) => p.replace(/: .*/, '')),
    ['line 3, column 3', 'line 5, column 1'],
  );
  assert.match(err.problems[0], /^line 3, column 3: map keys must be unique$/);
});

test('password_file must exist and be 0600 or stricter, reported with the other problems', () => {
  const root = tmp();
  const pw = path.join(root, 'pw');
  fs.writeFileSync(pw, 'secret\n');
  fs.chmodSync(pw, 0o644);
  const f = path.join(root, 'dr.yaml');
  const yaml = (file: string) =>
    EXAMPLE_YAML.replace(
      'sid: dbprod',
      `sid: dbprod\n  connect:\n    method: oracledb\n    user: c##dr\n    connect_string: db:1521/X\n    password_file: ${file}`,
    );
  fs.writeFileSync(f, yaml(pw) + 'unmapped_paths: maybe\n');
  const err = caught(() => loadConfig({ projectRoot: root, configPath: f }));
  assert.ok(err instanceof ConfigError);
  assert.deepEqual(err.problems, [
    `oracle.connect.password_file: ${pw} has mode 0644; it must be 0600 or stricter (chmod 600 ${pw})`,
    'unmapped_paths: must be one of error, same_path (found "maybe")',
  ]);
  fs.chmodSync(pw, 0o600);
  fs.writeFileSync(f, yaml(pw));
  assert.deepEqual(loadConfig({ projectRoot: root, configPath: f }).oracle.connect, {
    method: 'oracledb',
    user: 'c##dr',
    connectString: 'db:1521/X',
    privilege: 'SYSDBA',
    passwordFile: pw,
  });
  fs.writeFileSync(f, yaml(path.join(root, 'missing')));
  assert.deepEqual((caught(() => loadConfig({ projectRoot: root, configPath: f })) as ConfigError).problems, [
    `oracle.connect.password_file: ${root}/missing does not exist`,
  ]);
});

test('etc/dr.example.yaml is valid and shows every key; docs/CONFIGURATION.md describes every key', () => {
  const example = path.join(projectRoot, 'etc', 'dr.example.yaml');
  const c = loadConfig({ projectRoot, configPath: example, env: {} });
  assert.equal(c.oracle.sid, 'dbprod');
  assert.deepEqual(c.pathMap, [{ from: '/u05', to: '/u15' }]);
  assert.equal(c.backup.parallel, 4);
  const text = fs.readFileSync(example, 'utf8');
  const docs = fs.readFileSync(path.join(projectRoot, 'docs', 'CONFIGURATION.md'), 'utf8');
  const keys = configKeys();
  assert.ok(keys.length > 40);
  for (const key of keys) {
    const leaf = key.split('.').at(-1)!;
    assert.match(text, new RegExp(`^[ #]*${leaf}:`, 'm'), `etc/dr.example.yaml lacks ${key}`);
    assert.ok(docs.includes('`' + key + '`') || docs.includes(`## ${key}`), `docs/CONFIGURATION.md lacks ${key}`);
  }
});

test('check: the DR instance finding needs an ORACLE_HOME; archive_dest_hours_left warns above its critical level', () => {
  const base = "oracle: { sid: dbprod }\ndestination: { type: local }\npath_map: { /u05: /u15 }\narchivelog: { dest_dir: /u12/arch }\nstandby_controlfile: { dr_path: /u15/c.ctl }\n";
  const load = (extra: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-check-'));
    const f = path.join(dir, 'dr.yaml');
    fs.writeFileSync(f, base + extra);
    try {
      return loadConfig({ projectRoot: dir, configPath: f, env: {} });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  assert.throws(() => load('check: { dr_instance: { enabled: true } }\nthresholds: { archive_dest_hours_left: { warning: 2, critical: 4 } }\n'), (e: ConfigError) => {
    assert.deepEqual(e.problems, [
      'thresholds.archive_dest_hours_left: warning (2) must not be below critical (4)',
      'check.dr_instance.oracle_home: must be set when check.dr_instance.enabled is true (standby.oracle_home and oracle.home are not set either): the ORACLE_HOME of the DR instance',
    ]);
    return true;
  });
  const c = load('check: { redo_rate_hours: 6, dr_instance: { enabled: true, oracle_sid: DRSTBY, oracle_home: /u01/oh } }\n');
  assert.deepEqual(c.check, { redoRateHours: 6, drInstance: { oracleSid: 'DRSTBY', oracleHome: '/u01/oh' } });
});

test('standby.housekeeping: retention in hours (fractions allowed), an interval in whole seconds, every problem named by its key', () => {
  const c = validateConfig({ ...minimal(), standby: { housekeeping: { enabled: false, retention_hours: 0.5, interval_seconds: 0 } } }, '/f', '/opt/dr');
  assert.deepEqual(c.standby.housekeeping, { enabled: false, retentionHours: 0.5, intervalSeconds: 0 });
  assert.deepEqual(problemsOf({ ...minimal(), standby: { housekeeping: { enabled: 'yes', retention_hours: -1, interval_seconds: 1.5, keep: 3 } } }), [
    'standby.housekeeping.enabled: must be true or false (found "yes")',
    'standby.housekeeping.retention_hours: must be at least 0',
    'standby.housekeeping.interval_seconds: must be a whole number (found 1.5)',
    'standby.housekeeping.keep: unknown key (allowed here: enabled, retention_hours, interval_seconds)',
  ]);
  assert.deepEqual(problemsOf({ ...minimal(), standby: { housekeeping: { retention_hours: 10000 } } }), ['standby.housekeeping.retention_hours: must be at most 8760']);
});
