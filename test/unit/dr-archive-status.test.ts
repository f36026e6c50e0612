// The DR archive directory's space, as apply_standby's housekeeping records it in its progress
// file (drArchive, optional): status passes it through, the monitor's STANDBY block and
// monitor --all show one line, Prometheus two gauges; a progress file without it (written
// before housekeeping existed) still reads, and then none of these appear.
process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { renderMonitor } from '../../lib/monitor.ts';
import { renderMonitorAll } from '../../lib/monitorAll.ts';
import { renderPrometheus } from '../../lib/status/prometheus.ts';
import { collectStatus } from '../../lib/status/snapshot.ts';
import { makeFixture, NOW } from './status-fixture.ts';

const OLD = { updatedAt: NOW.toISOString(), threads: [{ thread: 1, appliedSequence: 56, appliedScn: '900', appliedTime: '2026-11-21 23:30:00', nextNeeded: 57 }], lagSeconds: 600, consistent: true, lastError: null };
const ARCHIVE = {
  dir: '/u12/fra/DBPROD/arch',
  observedAt: NOW.toISOString(),
  mount: '/u12',
  totalBytes: 100 * 2 ** 30,
  usedBytes: 42 * 2 ** 30,
  availBytes: 58 * 2 ** 30,
  usedPercent: 42,
  housekeeping: { deleted: 3, kept: 4, retentionHours: 24 },
};

function statusWith(progress: object) {
  const f = makeFixture('healthy');
  fs.writeFileSync(f.state.progress('apply_standby'), JSON.stringify(progress));
  return collectStatus(f.config, NOW);
}

test('a progress file without drArchive still reads; no DR archive line, no gauge', () => {
  const s = statusWith(OLD);
  assert.equal(s.standby.configured, true);
  assert.equal(s.standby.configured && s.standby.drArchive, undefined);
  const lines = renderMonitor(s, NOW, 80, 24);
  const i = lines.findIndex((l) => l.startsWith('STANDBY  '));
  assert.equal(lines[i + 1], '');
  assert.doesNotMatch(renderPrometheus([s], NOW), /dr_standby_archive_dir/);
});

test('drArchive: passed through by status, one line under STANDBY in the monitor and monitor --all, two Prometheus gauges', () => {
  const s = statusWith({ ...OLD, drArchive: ARCHIVE });
  assert.deepEqual(s.standby.configured && s.standby.drArchive, ARCHIVE);
  const lines = renderMonitor(s, NOW, 80, 24);
  const i = lines.findIndex((l) => l.startsWith('STANDBY  '));
  assert.equal(lines[i + 1], '  DR archive dir: used 42% (58.0 GiB free) in /u12/fra/DBPROD/arch');
  const all = renderMonitorAll({ dbs: [{ config: '/etc/dr.yaml', status: s }], unreadable: [] } as never, NOW, 80, 24);
  assert.ok(all.includes('    DR archive dir: used 42% (58.0 GiB free) in /u12/fra/DBPROD/arch'), all.join('\n'));
  const prom = renderPrometheus([s], NOW);
  assert.match(prom, /^dr_standby_archive_dir_used_percent\{sid="DBPROD"\} 42$/m);
  assert.match(prom, new RegExp(`^dr_standby_archive_dir_free_bytes\\{sid="DBPROD"\\} ${58 * 2 ** 30}$`, 'm'));
});

test('a DR archive directory filling up is a condition, by the archive_dest_used_percent thresholds (80 / 90)', () => {
  const at = (usedPercent: number) => statusWith({ ...OLD, drArchive: { ...ARCHIVE, usedPercent, availBytes: 2 * 2 ** 30 } }).conditions.filter((c) => c.id === 'dr_archive_dir');
  assert.deepEqual(at(42), []);
  assert.deepEqual(at(85), [{ id: 'dr_archive_dir', severity: 'WARNING', summary: 'DR archive directory /u12/fra/DBPROD/arch is 85% full (2.0 GiB free): shipping stops when it is full; apply behind, or standby.housekeeping.retention_hours too long?' }]);
  assert.equal(at(95)[0]!.severity, 'CRITICAL');
});
