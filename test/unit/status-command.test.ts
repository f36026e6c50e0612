process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../lib/errors.ts';
import { statusCommand } from '../../lib/status/command.ts';
import { makeFixture } from './status-fixture.ts';

const never = new AbortController().signal;
// these tests run at the real time: the fixture's heartbeats and passes must not look old
const timeless = { thresholds: { heartbeat_stale_seconds: 1e12, shipping_stopped_seconds: { warning: 1e12, critical: 1e12 } } };

async function run(load: Parameters<typeof statusCommand>[0], o: Parameters<typeof statusCommand>[1]) {
  let out = '';
  const code = await statusCommand(load, o, (t) => void (out += t), never);
  return { code, out };
}

test('--check: a configuration that cannot be read is UNKNOWN, exit 3, on one line', async () => {
  const r = await run(() => {
    throw new ConfigError('/etc/dr.yaml', ['oracle.sid: is required', 'archivelog.dest_dir: is required']);
  }, { mode: 'check' });
  assert.deepEqual(r, { code: 3, out: 'DR UNKNOWN - invalid configuration in /etc/dr.yaml: 2 problems\n' });
});

test('--json prints one document; --prometheus-file writes the text atomically, mode 0644, in any mode', async () => {
  const f = makeFixture('gap', timeless);
  const prom = path.join(f.dir, 'textfile', 'dr.prom');
  fs.mkdirSync(path.dirname(prom));
  const r = await run(() => f.config, { mode: 'json', prometheusFile: prom });
  assert.equal(r.code, 0);
  const doc = JSON.parse(r.out);
  assert.deepEqual([doc.version, doc.status, doc.databases.length, doc.databases[0].conditions[0].id], [1, 'CRITICAL', 1, 'gap']);
  assert.equal(fs.statSync(prom).mode & 0o777, 0o644);
  assert.match(fs.readFileSync(prom, 'utf8'), /^dr_transport_gaps\{sid="DBPROD"\} 1$/m);
  assert.deepEqual(fs.readdirSync(path.dirname(prom)), ['dr.prom']);
  const c = await run(() => f.config, { mode: 'check' });
  assert.equal(c.code, 2);
  assert.match(c.out, /^DR DBPROD CRITICAL - archived-log gap: thread 1 sequence 58 /);
});

test('--alert without a channel logs the conditions and says no channel is configured; its heartbeat shows it ran', async () => {
  const f = makeFixture('gap', { ...timeless, alerts: { daily_summary_at: 'off' } });
  const r = await run(() => f.config, { mode: 'alert' });
  assert.equal(r.code, 0);
  const log = fs.readFileSync(path.join(f.config.dirs.log, 'alerts.DBPROD.log'), 'utf8');
  assert.match(log, /\[WARN\] no alert channel is configured \(alerts\.channels\): conditions are only logged here\n/);
  assert.match(log, /\[INFO\] raised gap \(CRITICAL\): archived-log gap: thread 1 sequence 58 /);
  const hb = JSON.parse(fs.readFileSync(f.state.heartbeat('alerts'), 'utf8'));
  assert.equal(hb.tool, 'alerts');
  assert.ok(hb.stoppedAt);
  assert.equal(fs.existsSync(f.state.lock('alerts')), false);
});
