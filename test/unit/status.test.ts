// status.ts's three outputs (JSON, Prometheus text, check line + exit code) for the four
// states a DBA must tell apart: healthy, lagging, gap, tool dead. Exact output, one clock.
process.env.TZ = 'UTC'; // the summaries show local time, as the logs do
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { renderCheck } from '../../lib/status/check.ts';
import { lastErrorOf } from '../../lib/status/conditions.ts';
import { renderPrometheus } from '../../lib/status/prometheus.ts';
import { collectStatus, statusDocument } from '../../lib/status/snapshot.ts';
import type { DatabaseStatus } from '../../lib/status/types.ts';
import { DEAD_PID, makeFixture, NOW, type Scenario } from './status-fixture.ts';
import { tempDir } from '../helpers/tempDir.ts';

const host = os.hostname();
const me = process.pid;

function run(scenario: Scenario) {
  const f = makeFixture(scenario);
  const s = collectStatus(f.config, NOW);
  return { f, s, check: renderCheck([{ status: s, thresholds: f.config.thresholds }]), prom: renderPrometheus([s], NOW) };
}

const never = { state: 'never_run', pid: null, host: null, startedAt: null, heartbeatAt: null, heartbeatAgeSeconds: null, stoppedAt: null };

function healthyExpected(config: string): DatabaseStatus {
  return {
    sid: 'DBPROD',
    config,
    session: 'DR_DBPROD',
    status: 'OK',
    conditions: [],
    backup: {
      cycle: 'complete',
      cutoffScn: '1000',
      tablespaces: { done: 3, inBackupMode: 0, pending: 0, failed: 0 },
      inBackupMode: [],
      bytes: { done: 3221225472, total: 3221225472 },
      rateBytesPerSec: null,
      etaSeconds: null,
      progressAt: '2026-11-21T23:30:00.000Z',
      lastRun: { exitCode: 0, finishedAt: '2026-11-21T23:30:00.000Z', message: null },
      consistentPoint: { scn: '2000', threads: [{ thread: 1, sequence: 51 }] },
    },
    transport: {
      observedAt: '2026-11-21T23:39:58.000Z',
      lastPassAt: '2026-11-21T23:39:58.000Z',
      lastPassAgeSeconds: 2,
      destId: 1,
      threads: [
        {
          thread: 1,
          productionSequence: 58,
          archivedSequence: 57,
          shippedSequence: 57,
          lagSequences: 0,
          lagSeconds: 0,
          archivedNextTime: '2026-11-21 23:39:30',
          shippedNextTime: '2026-11-21 23:39:30',
        },
      ],
      lagSequences: 0,
      lagSeconds: 0,
      gaps: [],
      archiveDests: {
        observedAt: '2026-11-21T23:39:58.000Z',
        dests: [{ destId: 1, status: 'VALID', error: null, destination: '/u12/arch', usedPercent: 45.2, freeBytes: 58841051136 }],
        recoveryArea: null,
      },
    },
    standby: { configured: false, state: 'unknown', reason: 'no apply progress: the DR-side apply (apply_standby) is not configured or has not reported yet' },
    tools: {
      copy_archivelog: { state: 'running', pid: me, host, startedAt: '2026-11-21T21:40:00.000Z', heartbeatAt: '2026-11-21T23:39:57.000Z', heartbeatAgeSeconds: 3, stoppedAt: null },
      hot_backup_ts: { state: 'stopped', pid: 4242, host, startedAt: '2026-11-21T22:40:00.000Z', heartbeatAt: '2026-11-21T23:30:00.000Z', heartbeatAgeSeconds: 600, stoppedAt: '2026-11-21T23:30:00.000Z' },
      apply_standby: never,
      alerts: never,
    } as DatabaseStatus['tools'],
    lastErrors: [],
  };
}

const HEALTHY_PROM = `# HELP dr_status Overall status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (as status.ts --check).
# TYPE dr_status gauge
dr_status{sid="DBPROD"} 0
# HELP dr_backup_cycle Backup cycle state (1 for the current one): none, waiting, copying, complete, failed, incomplete.
# TYPE dr_backup_cycle gauge
dr_backup_cycle{sid="DBPROD",state="complete"} 1
# HELP dr_backup_tablespaces Tablespaces of this backup cycle by state.
# TYPE dr_backup_tablespaces gauge
dr_backup_tablespaces{sid="DBPROD",state="done"} 3
dr_backup_tablespaces{sid="DBPROD",state="in_backup_mode"} 0
dr_backup_tablespaces{sid="DBPROD",state="pending"} 0
dr_backup_tablespaces{sid="DBPROD",state="failed"} 0
# HELP dr_backup_copied_bytes Bytes copied by the last hot backup run.
# TYPE dr_backup_copied_bytes gauge
dr_backup_copied_bytes{sid="DBPROD"} 3221225472
# HELP dr_backup_total_bytes Bytes the last hot backup run planned to copy.
# TYPE dr_backup_total_bytes gauge
dr_backup_total_bytes{sid="DBPROD"} 3221225472
# HELP dr_backup_mode_max_seconds Longest time a tablespace has been in backup mode (0: none).
# TYPE dr_backup_mode_max_seconds gauge
dr_backup_mode_max_seconds{sid="DBPROD"} 0
# HELP dr_backup_last_exit_code Exit code of the last finished hot_backup_ts run.
# TYPE dr_backup_last_exit_code gauge
dr_backup_last_exit_code{sid="DBPROD"} 0
# HELP dr_transport_production_sequence Sequence of the current online log on production.
# TYPE dr_transport_production_sequence gauge
dr_transport_production_sequence{sid="DBPROD",thread="1"} 58
# HELP dr_transport_archived_sequence Newest archived sequence on production.
# TYPE dr_transport_archived_sequence gauge
dr_transport_archived_sequence{sid="DBPROD",thread="1"} 57
# HELP dr_transport_shipped_sequence Newest sequence shipped to DR (every earlier one needed is there too).
# TYPE dr_transport_shipped_sequence gauge
dr_transport_shipped_sequence{sid="DBPROD",thread="1"} 57
# HELP dr_transport_lag_sequences Archived sequences not yet on DR.
# TYPE dr_transport_lag_sequences gauge
dr_transport_lag_sequences{sid="DBPROD",thread="1"} 0
# HELP dr_transport_lag_seconds Redo time archived on production but not yet on DR (NEXT_TIME of the newest archived log minus that of the newest shipped one).
# TYPE dr_transport_lag_seconds gauge
dr_transport_lag_seconds{sid="DBPROD",thread="1"} 0
# HELP dr_transport_last_pass_age_seconds Seconds since the shipper last completed a pass (the figures above are as of then).
# TYPE dr_transport_last_pass_age_seconds gauge
dr_transport_last_pass_age_seconds{sid="DBPROD"} 2
# HELP dr_transport_gaps Archived logs missing before the newest shipped one (the standby cannot recover past a gap).
# TYPE dr_transport_gaps gauge
dr_transport_gaps{sid="DBPROD"} 0
# HELP dr_archive_dest_valid Local archive destination status is VALID (1) or not (0: ERROR, FULL, ...).
# TYPE dr_archive_dest_valid gauge
dr_archive_dest_valid{sid="DBPROD",dest_id="1"} 1
# HELP dr_archive_dest_used_percent Used space of the filesystem holding a local archive destination.
# TYPE dr_archive_dest_used_percent gauge
dr_archive_dest_used_percent{sid="DBPROD",dest_id="1"} 45.2
# HELP dr_tool_up The tool runs and its heartbeat is fresh (1), or not (0).
# TYPE dr_tool_up gauge
dr_tool_up{sid="DBPROD",tool="copy_archivelog"} 1
dr_tool_up{sid="DBPROD",tool="hot_backup_ts"} 0
dr_tool_up{sid="DBPROD",tool="apply_standby"} 0
dr_tool_up{sid="DBPROD",tool="alerts"} 0
# HELP dr_tool_heartbeat_age_seconds Seconds since the tool's last heartbeat.
# TYPE dr_tool_heartbeat_age_seconds gauge
dr_tool_heartbeat_age_seconds{sid="DBPROD",tool="copy_archivelog"} 3
dr_tool_heartbeat_age_seconds{sid="DBPROD",tool="hot_backup_ts"} 600
# HELP dr_standby_configured The DR-side apply reports its progress (1), or not yet (0).
# TYPE dr_standby_configured gauge
dr_standby_configured{sid="DBPROD"} 0
# HELP dr_status_generated_timestamp_seconds When this status was computed (Unix time).
# TYPE dr_status_generated_timestamp_seconds gauge
dr_status_generated_timestamp_seconds 1795304400
`;

/** The exact difference of a Prometheus text from the healthy one: lines gone, lines new. */
function promDiff(text: string): { gone: string[]; added: string[] } {
  const h = HEALTHY_PROM.split('\n');
  const t = text.split('\n');
  return { gone: h.filter((l) => !t.includes(l)), added: t.filter((l) => !h.includes(l)) };
}

const PERF_TAIL = 'gaps=0;;0;0 in_backup_mode=0;;;0 backup_mode_max=0s;21600;86400;0 archive_dest_used=45.2%;80;90;0;100';

test('healthy: OK, exit 0, every figure as the tools recorded it', () => {
  const { f, s, check, prom } = run('healthy');
  assert.deepEqual(statusDocument([s], NOW), { version: 1, generatedAt: '2026-11-21T23:40:00.000Z', host, status: 'OK', databases: [healthyExpected(f.config.source)] });
  assert.deepEqual(check, {
    line: `DR DBPROD OK - shipped thread 1 through 57, lag 0 s, 0 sequence(s); backup cycle complete | transport_lag_seconds=0s;900;3600;0 transport_lag_sequences=0;3;10;0 last_pass_age=2s;300;900;0 ${PERF_TAIL}`,
    exitCode: 0,
  });
  assert.equal(prom, HEALTHY_PROM);
});

test('lagging: WARNING, exit 1; lag in seconds from the two NEXT_TIMEs, in sequences from the two sequence numbers', () => {
  const { f, s, check, prom } = run('lagging');
  const e = healthyExpected(f.config.source);
  e.status = 'WARNING';
  e.conditions = [{ id: 'transport_lag', severity: 'WARNING', summary: 'transport lag 20 min, 6 sequence(s) (thread 1 archived 63, shipped 57)' }];
  e.backup = {
    cycle: 'copying',
    cutoffScn: '1000',
    tablespaces: { done: 1, inBackupMode: 2, pending: 1, failed: 0 },
    inBackupMode: [
      { name: 'APP', since: '2026-11-21T22:40:00.000Z', seconds: 3600 },
      { name: 'USERS', since: '2026-11-21T23:10:00.000Z', seconds: 1800 },
    ],
    bytes: { done: 1073741824, total: 3221225472 },
    rateBytesPerSec: 52428800,
    etaSeconds: 41,
    progressAt: '2026-11-21T23:39:59.000Z',
    lastRun: null,
    consistentPoint: null,
  };
  e.transport.threads = [{ thread: 1, productionSequence: 64, archivedSequence: 63, shippedSequence: 57, lagSequences: 6, lagSeconds: 1200, archivedNextTime: '2026-11-21 23:39:30', shippedNextTime: '2026-11-21 23:19:30' }];
  e.transport.lagSequences = 6;
  e.transport.lagSeconds = 1200;
  e.tools.hot_backup_ts = { state: 'running', pid: me, host, startedAt: '2026-11-21T22:38:20.000Z', heartbeatAt: '2026-11-21T23:39:56.000Z', heartbeatAgeSeconds: 4, stoppedAt: null };
  assert.deepEqual(s, e);
  assert.deepEqual(check, {
    line: `DR DBPROD WARNING - transport lag 20 min, 6 sequence(s) (thread 1 archived 63, shipped 57) | transport_lag_seconds=1200s;900;3600;0 transport_lag_sequences=6;3;10;0 last_pass_age=2s;300;900;0 gaps=0;;0;0 in_backup_mode=2;;;0 backup_mode_max=3600s;21600;86400;0 archive_dest_used=45.2%;80;90;0;100`,
    exitCode: 1,
  });
  assert.deepEqual(promDiff(prom), {
    gone: [
      'dr_status{sid="DBPROD"} 0',
      'dr_backup_cycle{sid="DBPROD",state="complete"} 1',
      'dr_backup_tablespaces{sid="DBPROD",state="done"} 3',
      'dr_backup_tablespaces{sid="DBPROD",state="in_backup_mode"} 0',
      'dr_backup_tablespaces{sid="DBPROD",state="pending"} 0',
      'dr_backup_copied_bytes{sid="DBPROD"} 3221225472',
      'dr_backup_mode_max_seconds{sid="DBPROD"} 0',
      '# HELP dr_backup_last_exit_code Exit code of the last finished hot_backup_ts run.',
      '# TYPE dr_backup_last_exit_code gauge',
      'dr_backup_last_exit_code{sid="DBPROD"} 0',
      'dr_transport_production_sequence{sid="DBPROD",thread="1"} 58',
      'dr_transport_archived_sequence{sid="DBPROD",thread="1"} 57',
      'dr_transport_lag_sequences{sid="DBPROD",thread="1"} 0',
      'dr_transport_lag_seconds{sid="DBPROD",thread="1"} 0',
      'dr_tool_up{sid="DBPROD",tool="hot_backup_ts"} 0',
      'dr_tool_heartbeat_age_seconds{sid="DBPROD",tool="hot_backup_ts"} 600',
    ],
    added: [
      'dr_status{sid="DBPROD"} 1',
      '# HELP dr_condition A condition that is active now (1), by id and severity; the same list the alerts use.',
      '# TYPE dr_condition gauge',
      'dr_condition{sid="DBPROD",condition="transport_lag",severity="WARNING"} 1',
      'dr_backup_cycle{sid="DBPROD",state="copying"} 1',
      'dr_backup_tablespaces{sid="DBPROD",state="done"} 1',
      'dr_backup_tablespaces{sid="DBPROD",state="in_backup_mode"} 2',
      'dr_backup_tablespaces{sid="DBPROD",state="pending"} 1',
      'dr_backup_copied_bytes{sid="DBPROD"} 1073741824',
      'dr_backup_mode_max_seconds{sid="DBPROD"} 3600',
      'dr_transport_production_sequence{sid="DBPROD",thread="1"} 64',
      'dr_transport_archived_sequence{sid="DBPROD",thread="1"} 63',
      'dr_transport_lag_sequences{sid="DBPROD",thread="1"} 6',
      'dr_transport_lag_seconds{sid="DBPROD",thread="1"} 1200',
      'dr_tool_up{sid="DBPROD",tool="hot_backup_ts"} 1',
      'dr_tool_heartbeat_age_seconds{sid="DBPROD",tool="hot_backup_ts"} 4',
    ],
  });
});

test('gap: CRITICAL, exit 2, the missing sequence and why', () => {
  const { f, s, check, prom } = run('gap');
  const e = healthyExpected(f.config.source);
  const reason = 'file /u12/arch/1_58_1.arc is missing on production (deleted before it was shipped?)';
  e.status = 'CRITICAL';
  e.conditions = [{ id: 'gap', severity: 'CRITICAL', summary: `archived-log gap: thread 1 sequence 58 (${reason}): the standby cannot recover past it` }];
  e.transport.threads = [{ thread: 1, productionSequence: 60, archivedSequence: 59, shippedSequence: 57, lagSequences: 2, lagSeconds: 570, archivedNextTime: '2026-11-21 23:39:30', shippedNextTime: '2026-11-21 23:30:00' }];
  e.transport.lagSequences = 2;
  e.transport.lagSeconds = 570;
  e.transport.gaps = [{ thread: 1, sequence: 58, reason }];
  assert.deepEqual(s, e);
  assert.deepEqual(check, {
    line: `DR DBPROD CRITICAL - archived-log gap: thread 1 sequence 58 (${reason}): the standby cannot recover past it | transport_lag_seconds=570s;900;3600;0 transport_lag_sequences=2;3;10;0 last_pass_age=2s;300;900;0 gaps=1;;0;0 in_backup_mode=0;;;0 backup_mode_max=0s;21600;86400;0 archive_dest_used=45.2%;80;90;0;100`,
    exitCode: 2,
  });
  assert.deepEqual(promDiff(prom), {
    gone: [
      'dr_status{sid="DBPROD"} 0',
      'dr_transport_production_sequence{sid="DBPROD",thread="1"} 58',
      'dr_transport_archived_sequence{sid="DBPROD",thread="1"} 57',
      'dr_transport_lag_sequences{sid="DBPROD",thread="1"} 0',
      'dr_transport_lag_seconds{sid="DBPROD",thread="1"} 0',
      'dr_transport_gaps{sid="DBPROD"} 0',
    ],
    added: [
      'dr_status{sid="DBPROD"} 2',
      '# HELP dr_condition A condition that is active now (1), by id and severity; the same list the alerts use.',
      '# TYPE dr_condition gauge',
      'dr_condition{sid="DBPROD",condition="gap",severity="CRITICAL"} 1',
      'dr_transport_production_sequence{sid="DBPROD",thread="1"} 60',
      'dr_transport_archived_sequence{sid="DBPROD",thread="1"} 59',
      'dr_transport_lag_sequences{sid="DBPROD",thread="1"} 2',
      'dr_transport_lag_seconds{sid="DBPROD",thread="1"} 570',
      'dr_transport_gaps{sid="DBPROD"} 1',
    ],
  });
});

test('tool dead: the shipper was killed (its lock names a pid that is gone, its heartbeat stopped without a stop): CRITICAL, exit 2', () => {
  const { f, s, check, prom } = run('dead');
  const e = healthyExpected(f.config.source);
  e.status = 'CRITICAL';
  e.conditions = [
    { id: 'tool_dead:copy_archivelog', severity: 'CRITICAL', summary: `copy_archivelog died (pid ${DEAD_PID}) without ending itself; last heartbeat 10 min ago` },
    { id: 'shipping_stopped', severity: 'WARNING', summary: `shipping stopped: the last completed pass was 10 min ago (copy_archivelog died (pid ${DEAD_PID}))` },
  ];
  e.transport.observedAt = '2026-11-21T23:30:00.000Z';
  e.transport.lastPassAt = '2026-11-21T23:30:00.000Z';
  e.transport.lastPassAgeSeconds = 600;
  e.transport.archiveDests!.observedAt = '2026-11-21T23:30:00.000Z';
  e.tools.copy_archivelog = { state: 'dead', pid: DEAD_PID, host, startedAt: '2026-11-21T21:40:00.000Z', heartbeatAt: '2026-11-21T23:29:55.000Z', heartbeatAgeSeconds: 605, stoppedAt: null };
  e.lastErrors = [
    '2026-11-21 23:29:00 [copy_archivelog] shipping 1 archived log(s) to dr failed: rsync exit 12',
    '2026-11-21 23:29:00 [copy_archivelog] HINT: the next pass retries them',
  ];
  assert.deepEqual(s, e);
  assert.deepEqual(check, {
    line:
      `DR DBPROD CRITICAL - copy_archivelog died (pid ${DEAD_PID}) without ending itself; last heartbeat 10 min ago; shipping stopped: the last completed pass was 10 min ago (copy_archivelog died (pid ${DEAD_PID})) ` +
      `| transport_lag_seconds=0s;900;3600;0 transport_lag_sequences=0;3;10;0 last_pass_age=600s;300;900;0 ${PERF_TAIL}`,
    exitCode: 2,
  });
  assert.deepEqual(promDiff(prom), {
    gone: [
      'dr_status{sid="DBPROD"} 0',
      'dr_transport_last_pass_age_seconds{sid="DBPROD"} 2',
      'dr_tool_up{sid="DBPROD",tool="copy_archivelog"} 1',
      'dr_tool_heartbeat_age_seconds{sid="DBPROD",tool="copy_archivelog"} 3',
    ],
    added: [
      'dr_status{sid="DBPROD"} 2',
      '# HELP dr_condition A condition that is active now (1), by id and severity; the same list the alerts use.',
      '# TYPE dr_condition gauge',
      'dr_condition{sid="DBPROD",condition="tool_dead:copy_archivelog",severity="CRITICAL"} 1',
      'dr_condition{sid="DBPROD",condition="shipping_stopped",severity="WARNING"} 1',
      'dr_transport_last_pass_age_seconds{sid="DBPROD"} 600',
      'dr_tool_up{sid="DBPROD",tool="copy_archivelog"} 0',
      'dr_tool_heartbeat_age_seconds{sid="DBPROD",tool="copy_archivelog"} 605',
    ],
  });
});

test('a live pid whose heartbeat stopped is hung: stale, CRITICAL', () => {
  const { f } = run('healthy');
  const hb = JSON.parse(fs.readFileSync(f.state.heartbeat('copy_archivelog'), 'utf8'));
  fs.writeFileSync(f.state.heartbeat('copy_archivelog'), JSON.stringify({ ...hb, at: '2026-11-21T23:38:05.000Z' }));
  const s = collectStatus(f.config, NOW);
  assert.equal(s.tools.copy_archivelog.state, 'stale');
  assert.deepEqual(s.conditions, [{ id: 'tool_dead:copy_archivelog', severity: 'CRITICAL', summary: `copy_archivelog (pid ${me}) has written no heartbeat for 115 s: hung, or dead` }]);
});

test('tablespaces in backup mode while hot_backup_ts is not running are CRITICAL at once; while it runs, only past the threshold', () => {
  const { f } = run('lagging');
  fs.rmSync(f.state.lock('hot_backup_ts'));
  const hb = JSON.parse(fs.readFileSync(f.state.heartbeat('hot_backup_ts'), 'utf8'));
  fs.writeFileSync(f.state.heartbeat('hot_backup_ts'), JSON.stringify({ ...hb, pid: DEAD_PID }));
  let s = collectStatus(f.config, NOW);
  assert.deepEqual(
    s.conditions.filter((c) => c.id !== 'transport_lag'),
    [
      { id: 'tool_dead:hot_backup_ts', severity: 'CRITICAL', summary: `hot_backup_ts died (pid ${DEAD_PID}) without ending itself; last heartbeat 4 s ago` },
      {
        id: 'backup_mode',
        severity: 'CRITICAL',
        summary: 'tablespace(s) APP, USERS may be left in backup mode (since 2026-11-21 22:40:00) while hot_backup_ts is not running: re-run hot_backup_ts, or END BACKUP by hand',
      },
    ],
  );
  assert.equal(s.backup.cycle, 'failed');
  const g = makeFixture('lagging', { thresholds: { backup_mode_seconds: { warning: 1800, critical: 7200 } } });
  s = collectStatus(g.config, NOW);
  assert.deepEqual(s.conditions.find((c) => c.id === 'backup_mode'), { id: 'backup_mode', severity: 'WARNING', summary: `tablespace APP in backup mode for 60 min (hot_backup_ts pid ${me} still copying)` });
});

test('archive destination: ERROR is CRITICAL with Oracle\'s error; a filling filesystem and a filling recovery area warn', () => {
  const { f } = run('healthy');
  const write = (v: unknown) => fs.writeFileSync(f.state.archiveDests(), JSON.stringify(v));
  write({ observedAt: NOW.toISOString(), dests: [{ destId: 1, status: 'ERROR', error: 'ORA-19502: write error on file "/u12/arch/1_60.arc"', destination: '/u12/arch' }] });
  assert.deepEqual(collectStatus(f.config, NOW).conditions, [
    { id: 'archive_dest:1', severity: 'CRITICAL', summary: 'archive destination 1 (/u12/arch) is ERROR: ORA-19502: write error on file "/u12/arch/1_60.arc": the archiver may be stuck' },
  ]);
  write({
    observedAt: NOW.toISOString(),
    dests: [{ destId: 1, status: 'VALID', error: '', destination: '/u12/arch', filesystem: { totalBytes: 100 * 1024 ** 3, freeBytes: 15 * 1024 ** 3, usedPercent: 85 } }],
    recoveryArea: { name: '/u12/fra', limitBytes: 1000, usedBytes: 950, reclaimableBytes: 0, usedPercent: 95 },
  });
  assert.deepEqual(collectStatus(f.config, NOW).conditions, [
    { id: 'recovery_area', severity: 'CRITICAL', summary: 'fast recovery area /u12/fra is 95% used (reclaimable space counted as free)' },
    { id: 'archive_dest:1', severity: 'WARNING', summary: 'archive destination 1 (/u12/arch) is 85% full (15.0 GiB free)' },
  ]);
});

test('a failed or interrupted hot backup is reported while it is not re-run', () => {
  const { f } = run('healthy');
  const result = path.join(f.state.dir, 'hot_backup_ts.DBPROD.result.json');
  fs.writeFileSync(result, JSON.stringify({ pid: 4242, exitCode: 6, finishedAt: '2026-11-21T23:30:00.000Z', message: '1 tablespace(s) not backed up:' }));
  assert.deepEqual(collectStatus(f.config, NOW).conditions, [{ id: 'hot_backup_failed', severity: 'CRITICAL', summary: 'hot_backup_ts failed (exit 6) at 2026-11-21 23:30:00: 1 tablespace(s) not backed up:' }]);
  fs.writeFileSync(result, JSON.stringify({ pid: 4242, exitCode: 130, finishedAt: '2026-11-21T23:30:00.000Z', message: 'interrupted by SIGINT' }));
  assert.deepEqual(collectStatus(f.config, NOW).conditions, [{ id: 'hot_backup_failed', severity: 'WARNING', summary: 'hot_backup_ts was interrupted at 2026-11-21 23:30:00: interrupted by SIGINT' }]);
});

test('nothing has run yet: UNKNOWN, exit 3; the standby block is unknown until apply_standby reports', () => {
  const dir = tempDir('status-');
  const { config } = makeFixture('healthy');
  const empty = { ...config, dirs: { log: path.join(dir, 'log'), state: path.join(dir, 'state') } };
  const s = collectStatus(empty, NOW);
  assert.deepEqual(s.conditions, [{ id: 'no_state', severity: 'UNKNOWN', summary: `no state yet for DBPROD in ${dir}/state: has copy_archivelog been started (orquestra_dr)?` }]);
  const check = renderCheck([{ status: s, thresholds: config.thresholds }]);
  assert.equal(check.exitCode, 3);
  assert.match(check.line, /^DR DBPROD UNKNOWN - no state yet for DBPROD in \S+: has copy_archivelog been started \(orquestra_dr\)\? \| transport_lag_seconds=U;900;3600;0 transport_lag_sequences=U;3;10;0 last_pass_age=U;300;900;0 gaps=0;;0;0 /);
  assert.deepEqual(s.standby, { configured: false, state: 'unknown', reason: 'no apply progress: the DR-side apply (apply_standby) is not configured or has not reported yet' });
});

test('the standby block, once apply_standby reports: applied sequence, lag, consistent, last error', () => {
  const { f } = run('healthy');
  fs.writeFileSync(
    f.state.progress('apply_standby'),
    JSON.stringify({ updatedAt: '2026-11-21T23:39:00.000Z', threads: [{ thread: 1, appliedSequence: 40, appliedScn: '1900', appliedTime: '2026-11-21 22:00:00', nextNeeded: 41 }], lagSeconds: 6000, consistent: false, lastError: 'ORA-00308: cannot open archived log' }),
  );
  const s = collectStatus(f.config, NOW);
  assert.deepEqual(s.standby, {
    configured: true,
    observedAt: '2026-11-21T23:39:00.000Z',
    lastPassAgeSeconds: 60,
    threads: [{ thread: 1, appliedSequence: 40, appliedScn: '1900', appliedTime: '2026-11-21 22:00:00', nextNeeded: 41, lagSequences: 17 }],
    lagSequences: 17,
    lagSeconds: 6000,
    consistent: false,
    lastError: 'ORA-00308: cannot open archived log',
    gaps: [],
  });
  assert.deepEqual(s.conditions, [
    { id: 'apply_lag', severity: 'WARNING', summary: 'apply lag 100 min, 17 sequence(s)' },
    { id: 'apply_error', severity: 'WARNING', summary: 'standby apply error: ORA-00308: cannot open archived log' },
  ]);
  const check = renderCheck([{ status: s, thresholds: f.config.thresholds }]);
  assert.match(check.line, / apply_lag_seconds=6000s;3600;14400;0 apply_lag_sequences=17;10;50;0$/);
  const prom = renderPrometheus([s], NOW);
  for (const line of [
    'dr_standby_configured{sid="DBPROD"} 1',
    'dr_standby_applied_sequence{sid="DBPROD",thread="1"} 40',
    'dr_standby_apply_lag_sequences{sid="DBPROD"} 17',
    'dr_standby_apply_lag_seconds{sid="DBPROD"} 6000',
    'dr_standby_consistent{sid="DBPROD"} 0',
  ])
    assert.ok(prom.split('\n').includes(line), line);
});

test('a tool\'s last error is read back whole from errors.log, without its HINT', () => {
  const tail = [
    '2026-11-21 23:29:00 [copy_archivelog] old error',
    '2026-11-21 23:30:00 [copy_archivelog] shipping 1 archived log(s) failed: rsync exit code 255: ssh: connect refused',
    '2026-11-21 23:30:00 [copy_archivelog]  | rsync: connection unexpectedly closed',
    '2026-11-21 23:30:00 [copy_archivelog] HINT: the next pass retries them',
    '2026-11-21 23:30:01 [hot_backup_ts] something else',
  ];
  assert.equal(lastErrorOf(tail, 'copy_archivelog'), 'shipping 1 archived log(s) failed: rsync exit code 255: ssh: connect refused | rsync: connection unexpectedly closed');
  assert.equal(lastErrorOf(tail, 'hot_backup_ts'), 'something else');
  assert.equal(lastErrorOf(tail, 'apply_standby'), undefined);
});

test('before the first archived log is needed (the cutoff is in the current log), the lag is zero, not unknown', () => {
  const { f } = run('healthy');
  const file = f.state.progress('copy_archivelog');
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  p.threads = [{ thread: 1, productionSequence: 2, archivedSequence: null, archivedNextTime: null, firstNeeded: null, lastShipped: null, shippedNextTime: null }];
  fs.writeFileSync(file, JSON.stringify(p));
  const s = collectStatus(f.config, NOW);
  assert.deepEqual([s.transport.lagSequences, s.transport.lagSeconds, s.status], [0, 0, 'OK']);
});
