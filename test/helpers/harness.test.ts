// Self-tests of the test harness: real sshd, rsync, tmux. Run:
//   node --import tsx --test test/helpers/harness.test.ts
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeSandbox, type Sandbox } from './sandbox.ts';
import { startSshd, type Sshd } from './sshd.ts';
import { createTmux } from './tmux.ts';
import { exec } from './proc.ts';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('sandbox', () => {
  it('gives a short dir, a fresh HOME and a clean env', () => {
    const sb = makeSandbox('hx');
    try {
      assert.ok(sb.dir.length < 20, sb.dir);
      assert.ok(existsSync(sb.home) && existsSync(sb.tmp));
      const env = sb.env({ FOO: 'bar' });
      assert.deepEqual(Object.keys(env).sort(), ['FOO', 'HOME', 'LANG', 'PATH', 'TERM', 'TMPDIR']);
      assert.equal(env.HOME, sb.home);
      assert.equal(env.LANG, 'C.UTF-8');
      const p = sb.buildPath(['/opt/x/bin']).split(':');
      assert.equal(p[0], '/opt/x/bin');
      assert.ok(p.includes('/usr/bin') && p.includes('/bin'));
      assert.equal(new Set(p).size, p.length, 'no duplicates');
    } finally {
      sb.cleanup();
    }
    assert.ok(!existsSync(sb.dir));
  });
});

describe('sshd harness', () => {
  let sshd: Sshd;
  let sb: Sandbox;
  before(async () => {
    sb = makeSandbox('hs');
    sshd = await startSshd();
  });
  after(async () => {
    await sshd?.dispose();
    sb?.cleanup();
  });

  it('files are plain, private and usable by a product ssh config', () => {
    assert.equal(statSync(sshd.dir).mode & 0o777, 0o700);
    assert.equal(statSync(sshd.identityFile).mode & 0o077, 0, 'identity file must be private for ssh');
    assert.match(readFileSync(sshd.knownHostsFile, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `));
    const a = sshd.sshArgs();
    for (const want of ['BatchMode=yes', `UserKnownHostsFile=${sshd.knownHostsFile}`, 'StrictHostKeyChecking=yes']) {
      assert.ok(a.includes(want), want);
    }
    assert.deepEqual(a.slice(a.indexOf('-F'), a.indexOf('-F') + 2), ['-F', '/dev/null']);
  });

  it('logs in, runs a command, and the remote bash does not source ~/.bashrc (no pyenv)', async () => {
    // Run from the sandbox env (clean HOME, no SSH_AUTH_SOCK): the harness must not rely on ~/.ssh.
    const t0 = performance.now();
    const r = await exec(['ssh', ...sshd.sshArgs(), sshd.target, 'echo ok; echo "SHLVL=$SHLVL"; type pyenv >/dev/null 2>&1 && echo PYENV || echo NOPYENV; echo "PATH=$PATH"'], {
      env: sb.env(),
    });
    const ms = performance.now() - t0;
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'ok', 'nothing may be printed before the command output');
    assert.ok(lines.includes('SHLVL=2'), r.stdout);
    assert.ok(lines.includes('NOPYENV'), 'pyenv init from ~/.bashrc must not run: ' + r.stdout);
    assert.ok(!/pyenv/.test(lines.find((l) => l.startsWith('PATH=')) ?? ''), r.stdout);
    assert.equal(r.stderr, '', 'ssh must be silent on stderr');
    assert.ok(ms < 3000, `ssh round trip took ${ms.toFixed(0)} ms`);
  });

  it('rsync of a file with a space in its name arrives byte-identical', async () => {
    const src = sb.mkdir('src dir');
    const dst = sb.mkdir('dst');
    const f = join(src, 'users 01.dbf');
    writeFileSync(f, randomBytes(3 * 1024 * 1024 + 123));
    const r = await exec(['rsync', '-a', '-e', sshd.sshCommand(['-c', 'aes128-gcm@openssh.com']), f, `${sshd.target}:${dst}/`], {
      env: sb.env(),
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sha(join(dst, 'users 01.dbf')), sha(f));
    // and into a destination dir whose name has a space
    const dst2 = sb.mkdir('dst 2');
    const r2 = await exec(['rsync', '-a', '-e', sshd.sshCommand(), src + '/', `${sshd.target}:${dst2}/`], { env: sb.env(), timeoutMs: 60_000 });
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(sha(join(dst2, 'users 01.dbf')), sha(f));
  });

  it('stop() refuses connections; start() brings it back on the same port', async () => {
    const port = sshd.port;
    await sshd.stop();
    assert.equal(sshd.running(), false);
    const r = await exec(['ssh', ...sshd.sshArgs(), sshd.target, 'true'], { env: sb.env() });
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Connection refused/);
    await sshd.start();
    assert.equal(sshd.port, port);
    const r2 = await sshd.ssh('echo back');
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(r2.stdout, 'back\n');
  });

  it('stop() drops established sessions too (hard outage)', async () => {
    const { spawn } = await import('node:child_process');
    const c = spawn('ssh', [...sshd.sshArgs(), sshd.target, 'echo started; sleep 30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((res) => c.stdout.once('data', () => res()));
    const t0 = Date.now();
    const exited = new Promise<number | null>((res) => c.on('exit', (code) => res(code)));
    await sshd.stop();
    const code = await exited;
    assert.ok(Date.now() - t0 < 10_000);
    assert.notEqual(code, 0);
    await sshd.start();
  });
});

describe('tmux harness', () => {
  it('private server with a controlled env: 3 windows, capture, waitFor, kill', async () => {
    const sb = makeSandbox('ht');
    const tmux = createTmux(undefined, { env: sb.env({ MARKER: 'from-test' }) });
    try {
      await tmux.newSession('dr', { window: 'w0', command: ['bash', '--norc', '--noprofile'] });
      await tmux.run(['new-window', '-d', '-t', 'dr', '-n', 'w1', 'bash', '--norc', '--noprofile']);
      await tmux.run(['new-window', '-d', '-t', 'dr', '-n', 'w 2', 'bash', '--norc', '--noprofile']);
      assert.deepEqual(await tmux.windows('dr'), ['w0', 'w1', 'w 2']);
      await tmux.run(['send-keys', '-t', 'dr:w1', 'echo "M=$MARKER H=$HOME T=${TMUX:+set}"; echo D""ONE', 'Enter']);
      const text = await tmux.waitFor('dr:w1', /DONE/, 10_000);
      assert.match(text, new RegExp(`M=from-test H=${sb.home} T=set`));
      // The server env is the one we passed, not the runner's.
      const g = await tmux.run(['show-environment', '-g']);
      assert.match(g.stdout, /^MARKER=from-test$/m);
      assert.match(g.stdout, new RegExp(`^HOME=${sb.home}$`, 'm'));
      assert.doesNotMatch(g.stdout, /^PYENV_ROOT=/m);
      await assert.rejects(tmux.waitFor('dr:w0', /never-appears/, 300), /no match/);
      assert.ok(existsSync(tmux.socketPath), tmux.socketPath);
    } finally {
      await tmux.kill();
      sb.cleanup();
    }
    assert.equal(await tmux.alive(), false);
    assert.ok(!existsSync(tmux.socketPath));
    await tmux.kill(); // idempotent
  });
});
