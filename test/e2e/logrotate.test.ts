// etc/logrotate/dr-suite run by the real logrotate while a tool logs through lib/log.ts: every
// line ends up in exactly one file (current, renamed or compressed), in order, none lost.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { exec, sleep, waitExit } from '../helpers/proc.ts';
import { makeSandbox } from '../helpers/sandbox.ts';
import { ROOT } from './world.ts';

const LOGROTATE = ['/usr/sbin/logrotate', '/sbin/logrotate'].find((p) => fs.existsSync(p));
const TSX = path.join(ROOT, 'node_modules/tsx/dist/loader.mjs');

test('logrotate (etc/logrotate/dr-suite, forced 4 times) while a tool logs: no line lost, none duplicated, none out of order', { skip: LOGROTATE ? false : 'logrotate is not installed (scripts/install-deps.sh installs it)' }, async () => {
  const sb = makeSandbox('logrot');
  try {
    const logDir = sb.mkdir('log');
    fs.chmodSync(logDir, 0o700);
    const user = (await exec(['id', '-un'])).stdout.trim();
    const group = (await exec(['id', '-gn'])).stdout.trim();
    const conf = fs
      .readFileSync(path.join(ROOT, 'etc/logrotate/dr-suite'), 'utf8')
      .replaceAll('/home/oracle/dr-suite/log', logDir)
      .replace(/^(\s*)su oracle oinstall$/m, `$1su ${user} ${group}`);
    assert.notEqual(conf, fs.readFileSync(path.join(ROOT, 'etc/logrotate/dr-suite'), 'utf8'));
    const confFile = path.join(sb.dir, 'logrotate.conf');
    fs.writeFileSync(confFile, conf, { mode: 0o644 });

    const N = 20_000;
    const writer = path.join(sb.dir, 'writer.mts');
    fs.writeFileSync(
      writer,
      `import { createLogger } from ${JSON.stringify(path.join(ROOT, 'lib/log.ts'))};\n` +
        `const log = createLogger({ file: ${JSON.stringify(path.join(logDir, 'copy_archivelog.log'))}, errorsFile: ${JSON.stringify(path.join(logDir, 'errors.log'))}, tool: 'copy_archivelog' });\n` +
        `for (let i = 1; i <= ${N}; i++) { (i % 10 ? log.info : log.error)('line ' + String(i).padStart(6, '0')); if (i % 50 === 0) await new Promise((r) => setTimeout(r, 1)); }\n`,
    );
    const child = spawn(process.execPath, ['--import', TSX, writer], { env: sb.env(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const state = path.join(sb.dir, 'logrotate.state');
    let rotations = 0;
    while (rotations < 4 && child.exitCode === null) {
      await sleep(150);
      if (!fs.existsSync(path.join(logDir, 'copy_archivelog.log'))) continue;
      const r = await exec([LOGROTATE!, '-f', '-s', state, confFile]);
      assert.equal(r.code, 0, r.stderr);
      rotations++;
    }
    assert.ok(await waitExit(child, 120_000), 'the writer did not finish');
    assert.equal(child.exitCode, 0, stderr);
    assert.equal(stderr, '', 'no log file was ever unwritable');
    assert.equal(rotations, 4, 'the writer finished before 4 rotations: raise N');

    for (const [name, every] of [['copy_archivelog.log', 1], ['errors.log', 10]] as const) {
      const files = fs.readdirSync(logDir).filter((f) => f.startsWith(name));
      assert.ok(files.some((f) => f.endsWith('.gz')), `${name}: some rotated files are compressed: ${files.join(' ')}`);
      assert.ok(files.includes(`${name}.1`), `${name}: the newest rotated file waits uncompressed (delaycompress): ${files.join(' ')}`);
      const age = (f: string) => (f === name ? 0 : Number(/\.(\d+)(\.gz)?$/.exec(f)![1]));
      const numbers: number[] = [];
      for (const f of files.sort((a, b) => age(b) - age(a))) {
        const raw = fs.readFileSync(path.join(logDir, f));
        const text = (f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
        for (const l of text.split('\n').filter(Boolean)) numbers.push(Number(/line (\d+)$/.exec(l)![1]));
      }
      const expected = Array.from({ length: N / every }, (_, i) => (i + 1) * every);
      assert.deepEqual(numbers, expected, `${name}: every line once, in order, across ${files.join(' ')}`);
    }
    assert.equal(fs.statSync(path.join(logDir, 'copy_archivelog.log')).mode & 0o777, 0o600);
  } finally {
    sb.cleanup();
  }
});
