// bin/status as a monitoring system runs it: the command line's mistakes in --check mode are
// UNKNOWN (exit 3, Nagios plugin guidelines), not a usage error (2), which Nagios would read as
// CRITICAL. Other modes keep exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

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
