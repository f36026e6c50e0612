// bin/status as a monitoring system runs it: the command line's mistakes in --check mode are
// UNKNOWN (exit 3, Nagios plugin guidelines), not a usage error (2), which Nagios would read as
// CRITICAL. Other modes keep exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import YAML from 'yaml';
import { tempDir } from '../helpers/tempDir.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const status = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin', 'status.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DR_CONFIG: '/nonexistent/dr.yaml' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

test('--check with a mistyped flag: UNKNOWN on stdout, exit 3; the usage on stderr', () => {
  const r = status('--check', '--warnign');
  assert.equal(r.stdout, "DR UNKNOWN - status: unknown option '--warnign'\n");
  assert.equal(r.code, 3);
  assert.match(r.stderr, /^status: unknown option '--warnign'\nHINT: usage: status \[--config FILE\]/);
});

test('--check with a second mode is UNKNOWN too (exit 3)', () => {
  const r = status('--json', '--check');
  assert.deepEqual([r.code, r.stdout], [3, 'DR UNKNOWN - status: choose one of --json, --check\n']);
});

test('a mistyped flag without --check is a usage error (exit 2), named once', () => {
  const r = status('--jsno');
  assert.deepEqual([r.code, r.stdout], [2, '']);
  assert.match(r.stderr, /^status: unknown option '--jsno'\nHINT: usage: /);
});

test('--all --config DIR reads every configuration there; with --alert it is a usage error', () => {
  const dir = tempDir('status-cli-');
  for (const sid of ['DBPROD', 'DBHML']) {
    const lower = sid.toLowerCase();
    const config = {
      oracle: { sid },
      destination: { type: 'local' },
      path_map: { '/u05': `/dr/${lower}/u15` },
      archivelog: { dest_dir: `/dr/${lower}/arch` },
      standby_controlfile: { dr_path: `/dr/${lower}/ctl/control01.ctl` },
      dirs: { log: path.join(dir, 'log'), state: path.join(dir, 'state') },
    };
    fs.writeFileSync(path.join(dir, `${lower}.yaml`), YAML.stringify(config));
  }
  const r = status('--all', '--config', dir);
  assert.deepEqual([r.code, r.stderr], [0, '']);
  assert.equal(
    r.stdout,
    `DBHML   UNKNOWN   no state yet for DBHML in ${dir}/state: has copy_archivelog been started (orquestra_dr)?\n` +
      `DBPROD  UNKNOWN   no state yet for DBPROD in ${dir}/state: has copy_archivelog been started (orquestra_dr)?\n`,
  );
  const c = status('--all', '--check', '--config', path.join(dir, 'dbprod.yaml'));
  assert.equal(c.code, 3);
  assert.match(c.stdout, /^DR UNKNOWN - DBHML: no state yet for DBHML .*; DBPROD: no state yet for DBPROD .* \| DBHML_transport_lag_seconds=U;/);
  const a = status('--all', '--alert', '--config', dir);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /^status: --all goes with --json, --prometheus or --check; alerts are evaluated per database \(status --config FILE --alert\)\nHINT: run with --help to see the options\n$/);
});
