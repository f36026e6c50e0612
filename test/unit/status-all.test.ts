process.env.TZ = 'UTC';
// status --all: several databases, one configuration each, sharing log/ and state/ directories:
// each read as status --config FILE reads it, together on one line each / one document / one
// Prometheus text / one check line; unreadable configurations and colliding ones said so.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { configConflicts } from '../../lib/config/conflicts.ts';
import { configDirectoryFor, configFilesIn } from '../../lib/config/directory.ts';
import type { DrConfig } from '../../lib/config/index.ts';
import { ConfigError } from '../../lib/errors.ts';
import { allCheck, allDocument, allPrometheus, allSummary, collectAll } from '../../lib/status/all.ts';
import { statusAllCommand } from '../../lib/status/command.ts';
import { makeConfig, makeFixture, NOW } from './status-fixture.ts';
import { tempDir } from '../helpers/tempDir.ts';

const HML_PATHS = { path_map: { '/u05': '/u25' }, archivelog: { dest_dir: '/dr/hml/arch' }, standby_controlfile: { dr_path: '/dr/hml/ctl/control01.ctl' }, tmux: { session: 'DR_DBHML' } };

/** DBPROD (healthy) and DBHML (in the given state) with their own DR paths, sharing one log/ and one state/ directory. */
function twoDatabases(hml: 'healthy' | 'gap' | 'dead' = 'gap', extra: Record<string, unknown> = {}) {
  const prod = makeFixture('healthy', extra);
  const dirs = { log: prod.config.dirs.log, state: prod.config.dirs.state };
  const other = makeFixture(hml, { oracle: { sid: 'DBHML' }, dirs, ...HML_PATHS, ...extra });
  const configs = new Map<string, DrConfig>([
    ['/etc/dr/dbprod.yaml', { ...prod.config, source: '/etc/dr/dbprod.yaml' }],
    ['/etc/dr/dbhml.yaml', { ...other.config, source: '/etc/dr/dbhml.yaml' }],
  ]);
  const load = (f: string) => {
    const c = configs.get(f);
    if (!c) throw new ConfigError(f, ['oracle.sid: is required']);
    return c;
  };
  return { prod, other, configs, load, files: ['/etc/dr/dbhml.yaml', '/etc/dr/dbprod.yaml'] };
}

test('two databases sharing log/ and state/: one line each, each with its own state', () => {
  const t = twoDatabases('gap');
  const a = collectAll(t.files, t.load, NOW);
  assert.deepEqual(allSummary(a), [
    'DBHML   CRITICAL  archived-log gap: thread 1 sequence 58 (file /u12/arch/1_58_1.arc is missing on production (deleted before it was shipped?)): the standby cannot recover past it',
    'DBPROD  OK        shipped thread 1 through 57, lag 0 s, 0 sequence(s); backup cycle complete',
  ]);
  const check = allCheck(a);
  assert.equal(check.exitCode, 2);
  assert.match(check.line, /^DR CRITICAL - DBHML: archived-log gap: thread 1 sequence 58 .*; DBPROD: OK \| DBHML_transport_lag_seconds=570s;900;3600;0 .* DBPROD_transport_lag_seconds=0s;900;3600;0 /);
  const doc = allDocument(a, NOW);
  assert.deepEqual([doc.status, doc.databases.map((d) => [d.sid, d.config, d.status, d.session]), 'unreadable' in doc], [
    'CRITICAL',
    [['DBHML', '/etc/dr/dbhml.yaml', 'CRITICAL', 'DR_DBHML'], ['DBPROD', '/etc/dr/dbprod.yaml', 'OK', 'DR_DBPROD']],
    false,
  ]);
  const prom = allPrometheus(a, NOW);
  assert.match(prom, /^dr_status\{sid="DBHML"\} 2\ndr_status\{sid="DBPROD"\} 0$/m);
  assert.match(prom, /^dr_transport_gaps\{sid="DBHML"\} 1\ndr_transport_gaps\{sid="DBPROD"\} 0$/m);
  assert.doesNotMatch(prom, /dr_config_unreadable/);
});

test('a dead shipper of one database says nothing about the other one', () => {
  const a = collectAll(twoDatabases('dead').files, twoDatabases('dead').load, NOW);
  assert.deepEqual(a.dbs.map((d) => [d.status.sid, d.status.status, d.status.tools.copy_archivelog.state]), [['DBHML', 'CRITICAL', 'dead'], ['DBPROD', 'OK', 'running']]);
});

test('a configuration that cannot be read is UNKNOWN; the others are still shown; check exit 3 when nothing is worse', () => {
  const t = twoDatabases('healthy');
  const a = collectAll([...t.files, '/etc/dr/broken.yaml'], t.load, NOW);
  assert.deepEqual(allSummary(a), [
    'DBHML   OK        shipped thread 1 through 57, lag 0 s, 0 sequence(s); backup cycle complete',
    'DBPROD  OK        shipped thread 1 through 57, lag 0 s, 0 sequence(s); backup cycle complete',
    '?       UNKNOWN   broken.yaml: invalid configuration in /etc/dr/broken.yaml: 1 problem',
  ]);
  const check = allCheck(a);
  assert.equal(check.exitCode, 3);
  assert.match(check.line, /^DR UNKNOWN - DBHML: OK; DBPROD: OK; broken\.yaml: UNKNOWN \(invalid configuration in \/etc\/dr\/broken\.yaml: 1 problem\) \| /);
  const doc = allDocument(a, NOW);
  assert.deepEqual([doc.status, doc.unreadable], ['UNKNOWN', [{ config: '/etc/dr/broken.yaml', sid: null, error: 'invalid configuration in /etc/dr/broken.yaml: 1 problem' }]]);
  assert.match(allPrometheus(a, NOW), /^dr_config_unreadable\{config="\/etc\/dr\/broken\.yaml"\} 1$/m);
  // a corrupt state file of one database: that database is unreadable (its sid known), the other shown
  fs.writeFileSync(t.other.state.scnCutoff(), '1000\n');
  fs.writeFileSync(t.other.state.progress('copy_archivelog'), '{ half');
  const b = collectAll(t.files, t.load, NOW);
  assert.deepEqual([b.dbs.map((d) => d.status.sid), b.unreadable.map((u) => [u.config, u.sid])], [['DBPROD'], [['/etc/dr/dbhml.yaml', 'DBHML']]]);
  assert.match(allSummary(b)[1], /^DBHML   UNKNOWN   dbhml\.yaml: unable to read state file \S+copy_archivelog\.DBHML\.progress\.json: /);
});

test('configurations that would step on each other: a CRITICAL config_conflict on each database concerned', () => {
  const dir = tempDir('status-all-');
  const base = { dirs: { log: path.join(dir, 'log'), state: path.join(dir, 'state') } };
  const at = (name: string, extra: Record<string, unknown>) => ({ ...makeConfig(dir, { ...base, ...extra }), source: `/etc/dr/${name}` });
  const prod = at('dbprod.yaml', {});
  const hml = at('dbhml.yaml', { oracle: { sid: 'DBHML' }, ...HML_PATHS });
  assert.deepEqual(configConflicts([prod, hml]), []);
  const copy = at('dbprod-copy.yaml', {});
  assert.deepEqual(configConflicts([prod, hml, copy]).map((c) => [c.sources.map((s) => path.basename(s)), c.summary]), [
    [['dbprod.yaml', 'dbprod-copy.yaml'], `dbprod.yaml and dbprod-copy.yaml are both for ORACLE_SID DBPROD with state directory ${dir}/state: their state files, locks and logs are the same files`],
    [['dbprod.yaml', 'dbprod-copy.yaml'], 'dbprod.yaml and dbprod-copy.yaml both use the tmux session DR_DBPROD: orquestra_dr would run one database\'s tools in the other\'s windows'],
    [['dbprod.yaml', 'dbprod-copy.yaml'], 'dbprod.yaml and dbprod-copy.yaml ship archived logs to the same DR directory (/dr/arch, /dr/arch)'],
    [['dbprod.yaml', 'dbprod-copy.yaml'], 'dbprod.yaml and dbprod-copy.yaml write the same standby controlfile: /dr/ctl/control01.ctl'],
    [['dbprod.yaml', 'dbprod-copy.yaml'], 'dbprod.yaml and dbprod-copy.yaml copy datafiles to the same DR directory (/u15, /u15)'],
  ]);
  // a DR tree inside another database's, on the same DR host
  const nested = at('dbtst.yaml', { oracle: { sid: 'DBTST' }, path_map: { '/u05': '/u15/tst' }, archivelog: { dest_dir: '/dr/tst/arch' }, standby_controlfile: { dr_path: '/dr/tst/ctl' }, tmux: { session: 'DR_DBTST' } });
  assert.deepEqual(configConflicts([prod, nested]).map((c) => c.summary), ['dbprod.yaml and dbtst.yaml copy datafiles to the same DR directory (/u15, /u15/tst)']);
  // the same paths on two different DR hosts are no conflict
  const elsewhere = at('dbtst.yaml', { oracle: { sid: 'DBTST' }, destination: { host: 'dr2.example.com', user: 'oracle' }, tmux: { session: 'DR_DBTST' } });
  assert.deepEqual(configConflicts([prod, elsewhere]), []);

  const configs = new Map([prod, copy].map((c) => [c.source, c]));
  const a = collectAll([...configs.keys()], (f) => configs.get(f)!, NOW);
  assert.deepEqual(a.dbs.map((d) => [d.status.status, d.status.conditions.filter((c) => c.id === 'config_conflict').length]), [['CRITICAL', 5], ['CRITICAL', 5]]);
});

test('the configuration directory: every *.yaml / *.yml but examples and hidden files, by name; --config FILE or DIR, DR_CONFIG, etc/', () => {
  const dir = tempDir('status-all-');
  for (const n of ['dbprod.yaml', 'dbhml.yml', 'dr.example.yaml', '.dbold.yaml', 'notes.txt', 'alerts.env']) fs.writeFileSync(path.join(dir, n), '');
  fs.mkdirSync(path.join(dir, 'old.yaml'));
  assert.deepEqual(configFilesIn(dir), [path.join(dir, 'dbhml.yml'), path.join(dir, 'dbprod.yaml')]);
  assert.equal(configDirectoryFor({ configPath: path.join(dir, 'dbprod.yaml'), env: {}, projectRoot: '/opt/dr' }), dir);
  assert.equal(configDirectoryFor({ configPath: dir, env: {}, projectRoot: '/opt/dr' }), dir);
  assert.equal(configDirectoryFor({ env: { DR_CONFIG: path.join(dir, 'x.yaml') }, projectRoot: '/opt/dr' }), dir);
  assert.equal(configDirectoryFor({ env: {}, projectRoot: '/opt/dr' }), '/opt/dr/etc');
  const empty = tempDir('status-all-');
  assert.throws(() => configFilesIn(empty), {
    message: `no configuration file (*.yaml) in ${empty}`,
    hint: 'write one configuration per database there (e.g. dbprod.yaml, dbhml.yaml, from dr.example.yaml), or name another directory with --config DIR',
  });
  assert.throws(() => configFilesIn(path.join(empty, 'nope')), { message: `unable to list the configuration directory ${path.join(empty, 'nope')}: ENOENT` });
});

test('statusAllCommand: summary by default, --check exit worst-of, --prometheus-file written; a directory that cannot be listed is UNKNOWN in --check', () => {
  // this one runs at the real time: the fixture's heartbeats and passes must not look old
  const t = twoDatabases('gap', { thresholds: { heartbeat_stale_seconds: 1e12, shipping_stopped_seconds: { warning: 1e12, critical: 1e12 } } });
  const run = (mode: Parameters<typeof statusAllCommand>[2]['mode'], files = () => t.files, prometheusFile?: string) => {
    let out = '';
    const code = statusAllCommand(files, t.load, { mode, prometheusFile }, (s) => void (out += s));
    return { code, out };
  };
  const s = run('summary');
  assert.equal(s.code, 0);
  assert.match(s.out, /^DBHML   CRITICAL  archived-log gap: .*\nDBPROD  OK        shipped thread 1 through 57, lag 0 s, 0 sequence\(s\); backup cycle complete\n$/);
  assert.equal(run('check').code, 2);
  const prom = path.join(tempDir('status-all-'), 'dr.prom');
  const j = run('json', undefined, prom);
  assert.deepEqual(JSON.parse(j.out).databases.map((d: { sid: string }) => d.sid), ['DBHML', 'DBPROD']);
  assert.equal(fs.statSync(prom).mode & 0o777, 0o644);
  assert.match(fs.readFileSync(prom, 'utf8'), /^dr_transport_gaps\{sid="DBHML"\} 1$/m);
  const none = () => configFilesIn('/nonexistent/etc');
  assert.deepEqual(run('check', none), { code: 3, out: 'DR UNKNOWN - unable to list the configuration directory /nonexistent/etc: ENOENT\n' });
  assert.throws(() => run('json', none), { message: 'unable to list the configuration directory /nonexistent/etc: ENOENT' });
});
