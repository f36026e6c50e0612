// The README's first command ends with `npm run demo`: it must run to its end on a fresh
// checkout. A smaller data set, its own tmux socket and output directory (a user's demo-run/
// and tmux session are not touched).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './world.ts';

test('npm run demo: the orchestration runs, the standby recovers and verifies, logs and state are kept', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-test-'));
  try {
    const socket = `drdemo-test-${process.pid}`;
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        path.join(ROOT, 'node_modules', '.bin', 'tsx'),
        ['demo/run.ts', '--tablespaces', '4', '--datafiles', '10', '--socket', socket, '--out', path.join(out, 'run')],
        { cwd: ROOT, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^== bin\/orquestra_dr$/m);
    assert.match(r.stdout, /\[INFO\] apply: created\n/);
    assert.match(r.stdout, /^archived logs shipped and applied through sequence \d+$/m);
    assert.match(r.stdout, /\[INFO\] drill: the standby is open READ ONLY at SCN \d+ /);
    assert.match(r.stdout, /\[INFO\] drill over: the standby is mounted and recovering again\n/);
    assert.match(r.stdout, /^verify: 10 files, \d+ blocks identical at SCN \d+$/m);
    assert.match(r.stdout, /^DEMO OK: the standby is applied while production runs, and every block is identical to production\.$/m);
    assert.ok(fs.existsSync(path.join(out, 'run', 'log', 'hot_backup_ts.DBPROD.out')));
    assert.ok(fs.existsSync(path.join(out, 'run', 'state', 'consistent_point.DBPROD')));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
