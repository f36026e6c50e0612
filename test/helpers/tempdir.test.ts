// The unit tests that make temporary directories remove them, whether they pass or fail: run
// them with a TMPDIR of their own, which must be empty afterwards (tsx's compile cache aside).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exec } from './proc.ts';
import { makeSandbox } from './sandbox.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('unit tests leave no directory behind in TMPDIR', async () => {
  const sb = makeSandbox('tdir');
  try {
    const unit = path.join(ROOT, 'test', 'unit');
    const files = fs
      .readdirSync(unit)
      .filter((f) => f.endsWith('.test.ts') && /mkdtemp|tmpdir|status-fixture|tempDir/.test(fs.readFileSync(path.join(unit, f), 'utf8')))
      .map((f) => path.join(unit, f));
    assert.ok(files.length >= 10, files.join(' '));
    const r = await exec([process.execPath, '--import', 'tsx', '--test', ...files], { cwd: ROOT, env: sb.env({ PATH: process.env.PATH }), timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stdout.slice(-3000) + r.stderr);
    assert.deepEqual(fs.readdirSync(sb.tmp).filter((n) => !n.startsWith('tsx-')), []);
  } finally {
    sb.cleanup();
  }
});

test('an e2e world that cannot be made (sim create fails) leaves no sandbox behind', async () => {
  const { makeWorld } = await import('../e2e/world.ts');
  const err = await makeWorld({ blocks: -1, ssh: false }).then(
    () => assert.fail('sim create --size -1 must fail'),
    (e: Error) => e,
  );
  const dir = /--home (\/tmp\/e2e\w+)\/oh /.exec(err.message)?.[1];
  assert.ok(dir, err.message);
  assert.equal(fs.existsSync(dir), false, `${dir} left behind`);
});
