// Self-tests of the link test bed: a namespace behind a shaped veth pair, an sshd inside it,
// the delaying relay, and clean-up (also of what a crashed process left).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { createLink, OWNER_DIR, sweepStaleLinks, type Link } from './netns.ts';
import { startRelay } from './netns-relay.ts';
import { exec, execOk } from './proc.ts';
import { startSshd } from './sshd.ts';

const root = process.getuid?.() === 0;
const nsList = async () => (await execOk(['ip', 'netns', 'list'])).stdout;
const linkExists = async (name: string) => (await exec(['ip', 'link', 'show', name])).code === 0;
const HERE = fileURLToPath(new URL('.', import.meta.url));

describe('link test bed', { skip: !root && 'needs root' }, () => {
  const links: Link[] = [];
  after(async () => {
    for (const l of links) await l.dispose();
  });

  it('creates a namespace behind a veth pair shaped with tbf at the given rate, and removes all of it', async () => {
    const l = await createLink({ rateMbit: 40 });
    links.push(l);
    assert.match(l.ns, new RegExp(`^drlink-${process.pid}-\\d+$`));
    assert.match(await nsList(), new RegExp(`^${l.ns}\\b`, 'm'));
    const hostQdisc = (await execOk(['tc', 'qdisc', 'show', 'dev', l.hostIf])).stdout;
    assert.match(hostQdisc, /qdisc tbf \S+ root .*rate 40Mbit/);
    const nsQdisc = (await l.exec(['tc', 'qdisc', 'show', 'dev', l.nsIf])).stdout;
    assert.match(nsQdisc, /qdisc tbf \S+ root .*rate 40Mbit/);
    assert.match((await l.exec(['ip', '-o', '-4', 'addr', 'show', 'dev', l.nsIf])).stdout, new RegExp(`inet ${l.nsAddr.replace(/\./g, '\\.')}/30`));
    assert.equal(JSON.parse(readFileSync(join(OWNER_DIR, `${l.ns}.json`), 'utf8')).pid, process.pid);

    await l.dispose();
    assert.doesNotMatch(await nsList(), new RegExp(`^${l.ns}\\b`, 'm'));
    assert.equal(await linkExists(l.hostIf), false);
    assert.equal(existsSync(join(OWNER_DIR, `${l.ns}.json`)), false);
    await l.dispose(); // idempotent
  });

  it('two links at once get distinct subnets', async () => {
    const [a, b] = await Promise.all([createLink({ rateMbit: 10 }), createLink({ rateMbit: 10 })]);
    links.push(a!, b!);
    assert.notEqual(a!.nsAddr, b!.nsAddr);
    const subnet = (addr: string) => addr.replace(/\.(\d+)$/, (_, d: string) => `.${Number(d) & ~3}`);
    assert.notEqual(subnet(a!.hostAddr), subnet(b!.hostAddr));
    assert.equal(subnet(a!.hostAddr), subnet(a!.nsAddr));
    await a!.dispose();
    await b!.dispose();
  });

  it('an sshd in the namespace is reached over the shaped link', async () => {
    const l = await createLink({ rateMbit: 200 });
    links.push(l);
    const sshd = await startSshd({ prefix: 'nsd', listenAddress: l.nsAddr, wrap: l.wrap, logLevel: 'ERROR' });
    try {
      const before = await l.shapedBytes();
      const r = await sshd.ssh('cat >/dev/null; grep -c drl /proc/self/net/dev', { input: Buffer.alloc(3_000_000, 7) });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), '1', 'the remote command runs inside the namespace (only its veth end is there)');
      assert.ok((await l.shapedBytes()) - before >= 3_000_000, 'the data went through the shaper');
    } finally {
      await sshd.dispose();
      await l.dispose();
    }
  });

  it('the sweeper removes what a killed process left, and leaves live links alone', async () => {
    const mine = await createLink({ rateMbit: 10 });
    links.push(mine);
    // A child creates a link, reports it, then is SIGKILLed: no exit hook runs.
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'netns-crash.fixture.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ns = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /^created (\S+)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`fixture exited ${code} before creating a link: ${out}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.match(await nsList(), new RegExp(`^${ns}\\b`, 'm'), 'left behind by the killed process');
    const swept = sweepStaleLinks();
    assert.ok(swept.includes(ns), JSON.stringify(swept));
    assert.doesNotMatch(await nsList(), new RegExp(`^${ns}\\b`, 'm'));
    assert.match(await nsList(), new RegExp(`^${mine.ns}\\b`, 'm'), 'a live owner keeps its link');
    await mine.dispose();
  });

  it('the relay delays each direction and forwards bytes unchanged', async () => {
    const echo = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    const port = (echo.address() as { port: number }).port;
    const relay = await startRelay({ target: { host: '127.0.0.1', port }, oneWayMs: 30 });
    try {
      const { connect } = await import('node:net');
      const s = connect({ host: relay.host, port: relay.port });
      await new Promise((r) => s.once('connect', r));
      const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
      const t0 = performance.now();
      const got: Buffer[] = [];
      let n = 0;
      const done = new Promise<number>((resolve) =>
        s.on('data', (b: Buffer) => {
          if (!got.length) resolve(performance.now() - t0);
          got.push(b);
          n += b.length;
          if (n >= payload.length) s.end();
        }),
      );
      s.write(payload);
      const firstByteMs = await done;
      await new Promise((r) => s.once('close', r));
      assert.ok(Buffer.concat(got).equals(payload));
      assert.ok(firstByteMs >= 59, `round trip through the relay took ${firstByteMs.toFixed(1)} ms, at least 2 x 30 expected`);
      assert.equal(relay.bytesForward(), payload.length);
    } finally {
      await relay.close();
      echo.close();
    }
  });
});
