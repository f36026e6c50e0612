// The link speed for a run: configured, remembered from an earlier measurement, or measured
// (a failed measurement is said, and decisions go on without it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Remote } from '../../lib/remote.ts';
import { linkSpeed, MEASUREMENT_TTL_MS } from '../../lib/transfer/link.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'link-test-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

// Nothing listens on port 1: any ssh to it fails at once.
const unreachable = new Remote({ type: 'ssh', host: '127.0.0.1', user: 'nobody', port: 1, sshConfigFile: '/dev/null', controlMaster: false, dataConnections: 'shared', extraSshOptions: ['-o', 'ConnectTimeout=2'] }, dir, 'DBPROD.hot_backup_ts');

test('a configured rate is used as it is; a local destination has no link', async () => {
  const logs: string[] = [];
  assert.deepEqual(await linkSpeed({ remote: unreachable, configuredBytesPerSec: 25e6, cacheFile: path.join(dir, 'a.json') }, (m) => logs.push(m)), { source: 'configured', bytesPerSec: 25e6 });
  assert.deepEqual(await linkSpeed({ remote: new Remote({ type: 'local' }, dir, 'DBPROD.hot_backup_ts'), cacheFile: path.join(dir, 'a.json') }, (m) => logs.push(m)), { source: 'local' });
  assert.deepEqual(logs, []);
});

test('a measurement younger than 6 hours for the same destination is reused and said so', async () => {
  const cacheFile = path.join(dir, 'link.DBPROD.json');
  const measuredAt = '2026-11-21T10:00:00.000Z';
  fs.writeFileSync(cacheFile, JSON.stringify({ destination: unreachable.describe(), bytesPerSec: 23_400_000, bytes: 23_400_000, seconds: 1, measuredAt }));
  const logs: string[] = [];
  const now = new Date(Date.parse(measuredAt) + MEASUREMENT_TTL_MS - 1000);
  assert.deepEqual(await linkSpeed({ remote: unreachable, cacheFile, now }, (m) => logs.push(m)), { source: 'measured', bytesPerSec: 23_400_000 });
  assert.deepEqual(logs, [`link to nobody@127.0.0.1 (port 1): 23.4 MB/s measured at ${measuredAt} (kept 6 h in ${cacheFile}; set transfer.link_rate to skip measuring)`]);
});

test('an old measurement, or one of another destination, is measured again; a failed measurement is said', async () => {
  const cacheFile = path.join(dir, 'link.OLD.json');
  fs.writeFileSync(cacheFile, JSON.stringify({ destination: unreachable.describe(), bytesPerSec: 23_400_000, bytes: 1, seconds: 1, measuredAt: '2026-11-21T10:00:00.000Z' }));
  const logs: string[] = [];
  const r = await linkSpeed({ remote: unreachable, cacheFile, now: new Date('2026-11-21T17:00:00.000Z') }, (m) => logs.push(m));
  assert.deepEqual(r, { source: 'unknown' });
  assert.deepEqual(logs, ['link to nobody@127.0.0.1 (port 1): the measurement failed; deciding without it (set transfer.link_rate)']);
});
