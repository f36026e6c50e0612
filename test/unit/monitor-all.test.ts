process.env.TZ = 'UTC';
// monitor --all: every database of the configuration directory on one screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DrConfig } from '../../lib/config/index.ts';
import { monitorAllScreen, renderMonitorAll } from '../../lib/monitorAll.ts';
import { configFilesIn } from '../../lib/config/directory.ts';
import { collectAll } from '../../lib/status/all.ts';
import { DEAD_PID, makeFixture, NOW } from './status-fixture.ts';

const HML = { oracle: { sid: 'DBHML' }, path_map: { '/u05': '/u25' }, archivelog: { dest_dir: '/dr/hml/arch' }, standby_controlfile: { dr_path: '/dr/hml/ctl/control01.ctl' }, tmux: { session: 'DR_DBHML' } };

function two() {
  const p = makeFixture('lagging');
  const h = makeFixture('dead', { ...HML, dirs: { log: p.config.dirs.log, state: p.config.dirs.state } });
  const cfg = new Map<string, DrConfig>([
    ['/etc/dr/dbprod.yaml', { ...p.config, source: '/etc/dr/dbprod.yaml' }],
    ['/etc/dr/dbhml.yaml', { ...h.config, source: '/etc/dr/dbhml.yaml' }],
  ]);
  return collectAll(['/etc/dr/dbhml.yaml', '/etc/dr/dbprod.yaml'], (f) => cfg.get(f)!, NOW);
}

test('two databases fit 80x24 with every block whole', () => {
  const lines = renderMonitorAll(two(), NOW, 80, 24);
  assert.deepEqual(lines, [
    'DR  2 database(s)  2026-11-21 23:40:00  STATUS CRITICAL',
    'DBHML  CRITICAL (2 problems)  session DR_DBHML  cutoff SCN 1000',
    `  ! copy_archivelog died (pid ${DEAD_PID}) without ending itself; last heartbeat 10~`,
    '  ! shipping stopped: the last completed pass was 10 min ago (copy_archivelog d~',
    '  HOT BACKUP finished 23:30:00; 3 done, 0 in backup mode, 0 pending, 0 failed',
    `  ARCHIVED LOGS shipper DIED (pid ${DEAD_PID}), last pass 10 min ago`,
    '    thread 1: production at sequence 58, shipped through 57 (0 behind, 0 s)',
    '  STANDBY  apply not configured (no report from apply_standby)',
    '  last error: 2026-11-21 23:29:00 [copy_archivelog] HINT: the next pass retries~',
    '',
    'DBPROD  WARNING  session DR_DBPROD  cutoff SCN 1000',
    '  ! transport lag 20 min, 6 sequence(s) (thread 1 archived 63, shipped 57)',
    `  HOT BACKUP running (pid ${process.pid}); 1 done, 2 in backup mode, 1 pending, 0 failed`,
    `  ARCHIVED LOGS shipping (pid ${process.pid}), last pass 2 s ago`,
    '    thread 1: production at sequence 64, shipped through 57 (6 behind, 20 min)',
    '  STANDBY  apply not configured (no report from apply_standby)',
  ]);
});

test('more databases: blocks shrink to their first lines, then one line each, then a count of the rest', () => {
  const a = two();
  const six = renderMonitorAll({ dbs: [...a.dbs, ...a.dbs, ...a.dbs], unreadable: [] }, NOW, 80, 24);
  assert.equal(six.length, 24);
  assert.deepEqual(six.slice(1, 9), [
    'DBHML  CRITICAL (2 problems)  session DR_DBHML  cutoff SCN 1000',
    `  ! copy_archivelog died (pid ${DEAD_PID}) without ending itself; last heartbeat 10~`,
    '  ! shipping stopped: the last completed pass was 10 min ago (copy_archivelog d~',
    '',
    'DBPROD  WARNING  session DR_DBPROD  cutoff SCN 1000',
    '  ! transport lag 20 min, 6 sequence(s) (thread 1 archived 63, shipped 57)',
    `  HOT BACKUP running (pid ${process.pid}); 1 done, 2 in backup mode, 1 pending, 0 failed`,
    '',
  ]);
  const many = renderMonitorAll({ dbs: Array.from({ length: 15 }, () => a.dbs).flat(), unreadable: [{ config: '/etc/dr/broken.yaml', sid: null, error: 'invalid configuration in /etc/dr/broken.yaml: 1 problem' }] }, NOW, 80, 24);
  assert.equal(many.length, 24);
  assert.equal(many[0], 'DR  31 database(s)  2026-11-21 23:40:00  STATUS CRITICAL');
  assert.deepEqual(many.slice(1, 3), ['DBHML  CRITICAL (2 problems)  session DR_DBHML  cutoff SCN 1000', 'DBPROD  WARNING  session DR_DBPROD  cutoff SCN 1000']);
  assert.equal(many[23], '(+9 more databases: status --all)');
  const twelve = renderMonitorAll({ dbs: Array.from({ length: 6 }, () => a.dbs).flat(), unreadable: [] }, NOW, 80, 24);
  assert.deepEqual(twelve.slice(1, 5), [
    'DBHML  CRITICAL (2 problems)  session DR_DBHML  cutoff SCN 1000',
    `  ! copy_archivelog died (pid ${DEAD_PID}) without ending itself; last heartbeat 10~`,
    'DBPROD  WARNING  session DR_DBPROD  cutoff SCN 1000',
    '  ! transport lag 20 min, 6 sequence(s) (thread 1 archived 63, shipped 57)',
  ]);
  for (const l of [...six, ...many, ...twelve]) assert.ok(l.length <= 80, l);
});

test('configurations that cannot be listed: the screen says so and stays up', () => {
  assert.deepEqual(monitorAllScreen(() => configFilesIn('/nonexistent/etc'), () => assert.fail('nothing to load'), NOW, 80, 24), [
    'DR  2026-11-21 23:40:00',
    '',
    'STATUS UNKNOWN: the configurations cannot be listed',
    'unable to list the configuration directory /nonexistent/etc: ENOENT',
    'HINT: --all reads every *.yaml of the directory of --config (or --config DIR, DR',
    '_CONFIG, etc/)',
  ]);
});
