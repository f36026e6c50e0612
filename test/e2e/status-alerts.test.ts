// status.ts and its alerts against the real tools: a shipper over a real sshd, the simulated
// instance, a webhook receiver on 127.0.0.1 and a fake sendmail first on PATH. Phases: healthy
// (daily summary), DR unreachable (lag grows), shipper killed -9 (tool dead), archive
// destination full, a log missing before it was shipped (gap). In each phase every alert is
// raised once and cleared once; every argv seen in /proc during the alert runs and every log
// and state file afterwards are free of the secrets.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { makeFakeSendmail, startReceiver } from '../helpers/alertSinks.ts';
import { exec, type ExecResult } from '../helpers/proc.ts';
import { makeWorld, waitFor, type World } from './world.ts';

const SECRET = 'T0KEN-e2e-7c1d9a0b3e5f';
const BEARER = 'bearer-e2e-Qw93-zz81';

/** Every process's argv (as /proc shows it to anyone on the host), sampled until stopped. */
function sampleArgv(): { stop(): string[] } {
  const seen = new Set<string>();
  const look = () => {
    for (const p of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue;
      try {
        const a = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').trim();
        if (a) seen.add(a);
      } catch {
        // gone already
      }
    }
  };
  look();
  const timer = setInterval(look, 15);
  return {
    stop() {
      clearInterval(timer);
      look();
      return [...seen];
    },
  };
}

interface Ev {
  kind: string;
  condition: string;
  severity: string;
  summary: string;
}

test('status, check, Prometheus and alerts follow the real tools; each alert once, cleared once; no secret in any argv or log', async () => {
  const rx = await startReceiver();
  let w: World | undefined;
  let shipper: ChildProcess | undefined;
  const secretsDir = fs.mkdtempSync('/tmp/drsec');
  try {
    const urlFile = path.join(secretsDir, 'hook.url');
    const tokenFile = path.join(secretsDir, 'hook.token');
    fs.writeFileSync(urlFile, `http://127.0.0.1:${rx.port}/hooks/${SECRET}\n`, { mode: 0o600 });
    fs.writeFileSync(tokenFile, `${BEARER}\n`, { mode: 0o600 });
    w = await makeWorld({
      tablespaces: 2,
      datafiles: 4,
      ssh: true,
      logSize: '64K',
      extraConfig: {
        thresholds: { transport_lag_sequences: { warning: 1, critical: 50 }, shipping_stopped_seconds: { warning: 4, critical: 3600 } },
        alerts: {
          channels: [
            { type: 'webhook', name: 'ops', format: 'generic', url_file: urlFile, token_file: tokenFile },
            { type: 'webhook', name: 'chat', format: 'slack', url_env: 'DR_TEST_CHAT_URL' },
            { type: 'mail', name: 'dba', to: ['dba@example.com'] },
          ],
          daily_summary_at: '00:00',
          retry_seconds: 5,
        },
      },
    });
    const world = w;
    const mail = makeFakeSendmail(world.sb.dir, { sleepSeconds: 0.4 });
    Object.assign(world.env, { PATH: `${mail.bin}:${world.env.PATH}`, FAKE_MAIL_DIR: mail.spool, DR_TEST_CHAT_URL: `http://127.0.0.1:${rx.port}/chat/${SECRET}` });
    const argvSeen: string[] = [];

    const status = (args: string[]) => world.tool('status', args, 60_000);
    const json = async () => {
      const r = await status(['--json']);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).databases[0];
    };
    /** One alert evaluation (as cron runs it); returns what the generic webhook received. */
    const alertRun = async (): Promise<Ev[]> => {
      const from = rx.received.length;
      const sampler = sampleArgv();
      let r: ExecResult;
      try {
        r = await status(['--alert']);
      } finally {
        argvSeen.push(...sampler.stop());
      }
      assert.equal(r.code, 0, r.stdout + r.stderr);
      return rx.received.slice(from).filter((x) => x.path === `/hooks/${SECRET}`).map((x) => x.json as Ev);
    };
    /** Provoke, then alert runs: every required condition raised once; heal, then each raised one cleared once. */
    const phase = async (what: string, required: string[], provoke: () => Promise<void>, heal: () => Promise<void>) => {
      const events: Ev[] = [];
      await provoke();
      events.push(...(await alertRun()));
      events.push(...(await alertRun())); // a second evaluation sends nothing again
      const raised = events.filter((e) => e.kind === 'raised').map((e) => e.condition);
      for (const id of required) assert.ok(raised.includes(id), `${what}: ${id} raised (got ${JSON.stringify(events)})`);
      assert.equal(new Set(raised).size, raised.length, `${what}: each raised once`);
      await heal();
      await waitFor(`${what}: healthy again`, async () => ((await json()).conditions.length === 0 ? true : undefined), 90_000, 500);
      events.push(...(await alertRun()));
      events.push(...(await alertRun()));
      const cleared = events.filter((e) => e.kind === 'cleared').map((e) => e.condition);
      assert.deepEqual([...cleared].sort(), [...raised].sort(), `${what}: each cleared once`);
      assert.deepEqual(events.filter((e) => e.kind !== 'raised' && e.kind !== 'cleared'), [], `${what}: nothing else sent`);
    };
    const startShipper = () => {
      const argv = world.toolArgv('copy_archivelog');
      shipper = spawn(argv[0], argv.slice(1), { env: world.env, stdio: 'ignore' });
      return shipper;
    };
    const stopShipper = async (sig: NodeJS.Signals) => {
      const c = shipper!;
      shipper = undefined;
      c.kill(sig);
      await new Promise((r) => c.once('exit', r));
    };

    // Healthy: the shipper runs and everything is shipped.
    const first = startShipper();
    const shipped = async (seq: number) => (await json()).transport.threads[0]?.shippedSequence >= seq || undefined;
    await waitFor('cutoff recorded', () => world.readState('scn_cutoff.DBPROD'), 30_000);
    let seq = await world.archiveCurrent();
    await waitFor('everything shipped', () => shipped(seq), 60_000, 300);
    const ok = await status(['--check']);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, new RegExp(`^DR DBPROD OK - shipped thread 1 through ${seq}, lag 0 s, 0 sequence\\(s\\); backup cycle waiting \\| transport_lag_seconds=0s;900;3600;0 transport_lag_sequences=0;1;50;0 last_pass_age=\\d+s;4;3600;0 gaps=0;;0;0 in_backup_mode=0;;;0 backup_mode_max=0s;21600;86400;0 archive_dest_used=[\\d.]+%;80;90;0;100\\n$`));
    const j = await json();
    assert.deepEqual([j.tools.copy_archivelog.state, j.tools.copy_archivelog.pid], ['running', first.pid]);
    assert.ok(j.tools.copy_archivelog.heartbeatAgeSeconds <= 15);
    assert.deepEqual(j.transport.threads[0].archivedSequence, seq);
    assert.match(j.transport.threads[0].shippedNextTime, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(j.transport.archiveDests.dests[0].status, 'VALID');
    assert.equal(typeof j.transport.archiveDests.dests[0].usedPercent, 'number');
    // the monitor draws the same document
    const mon = await world.tool('monitor', ['--once']);
    assert.match(mon.stdout, new RegExp(`^ARCHIVED LOGS  shipping \\(pid ${first.pid}\\), last pass \\d+ s ago$`, 'm'));
    assert.match(mon.stdout, new RegExp(`^  thread 1: production at sequence ${seq + 1}, shipped through ${seq}  \\(0 behind, 0 s\\)$`, 'm'));
    // Prometheus textfile: atomically written, readable by node_exporter
    const prom = path.join(world.sb.dir, 'textfile', 'dr.prom');
    fs.mkdirSync(path.dirname(prom));
    assert.equal((await status(['--prometheus-file', prom])).code, 0);
    assert.equal(fs.statSync(prom).mode & 0o777, 0o644);
    const text = fs.readFileSync(prom, 'utf8');
    assert.match(text, /^dr_tool_up\{sid="DBPROD",tool="copy_archivelog"\} 1$/m);
    assert.match(text, new RegExp(`^dr_transport_shipped_sequence\\{sid="DBPROD",thread="1"\\} ${seq}$`, 'm'));
    assert.deepEqual(fs.readdirSync(path.dirname(prom)), ['dr.prom']);

    // The daily summary: once, to every channel.
    const daily = await alertRun();
    assert.deepEqual(daily.map((e) => [e.kind, e.severity]), [['daily', 'OK']]);
    assert.match(daily[0].summary, new RegExp(`^all good, transport lag 0 s, 0 sequence\\(s\\) \\(thread 1 shipped through ${seq}\\)`));
    assert.equal(rx.received.filter((x) => x.path === `/chat/${SECRET}`).length, 1);
    assert.equal(rx.received.find((x) => x.path === `/hooks/${SECRET}`)!.headers.authorization, `Bearer ${BEARER}`);
    assert.equal(mail.messages().length, 1);
    assert.deepEqual(mail.messages()[0].argv, ['-t', '-oi']);
    assert.match(mail.messages()[0].text, /^To: dba@example\.com$/m);
    assert.deepEqual(await alertRun(), []);

    // DR unreachable: the shipper runs but cannot ship; the lag it sees grows.
    await phase(
      'DR unreachable',
      ['transport_lag', 'shipping_stopped'],
      async () => {
        await world.sshd!.stop();
        const before = seq;
        for (let i = 0; i < 3; i++) seq = await world.archiveCurrent();
        await waitFor('lag seen', async () => ((await json()).transport.lagSequences === 3 ? true : undefined), 30_000, 300);
        await new Promise((r) => setTimeout(r, 4500)); // past shipping_stopped_seconds.warning
        const c = await status(['--check']);
        assert.equal(c.code, 1, c.stdout);
        assert.match(
          c.stdout,
          new RegExp(
            `^DR DBPROD WARNING - shipping stopped: the last completed pass was \\d+ s ago \\(copy_archivelog runs \\(pid ${shipper!.pid}\\) but its passes fail: shipping \\d+ archived log\\(s\\) to root@127\\.0\\.0\\.1 \\(port \\d+\\) failed: rsync exit code \\d+.*\\); ` +
              `transport lag \\d+ s, 3 sequence\\(s\\) \\(thread 1 archived ${seq}, shipped ${before}\\) \\| transport_lag_seconds=\\d+s;900;3600;0 transport_lag_sequences=3;1;50;0 `,
          ),
        );
      },
      async () => {
        await world.sshd!.start();
        await waitFor('caught up', () => shipped(seq), 60_000, 300);
      },
    );

    // The shipper killed with -9: its lock and heartbeat say it died.
    await phase(
      'shipper killed',
      ['tool_dead:copy_archivelog'],
      async () => {
        const pid = shipper!.pid;
        await stopShipper('SIGKILL');
        const c = await status(['--check']);
        assert.equal(c.code, 2, c.stdout);
        assert.match(c.stdout, new RegExp(`^DR DBPROD CRITICAL - copy_archivelog died \\(pid ${pid}\\) without ending itself; last heartbeat \\d+ s ago`));
      },
      async () => {
        startShipper();
        seq = await world.archiveCurrent();
        await waitFor('shipping again', () => shipped(seq), 60_000, 300);
      },
    );

    // The archive destination full: V$ARCHIVE_DEST says ERROR, the shipper records it.
    await phase(
      'archive destination full',
      ['archive_dest:1'],
      async () => {
        assert.equal((await world.sim(['fault', 'dest-full', '--dest', '1'])).code, 0);
        assert.equal((await world.sim(['workload', '--rate', '2000'])).code, 0);
        await waitFor('destination in error', async () => ((await json()).transport.archiveDests.dests[0].status === 'ERROR' ? true : undefined), 60_000, 300);
        const c = await status(['--check']);
        assert.equal(c.code, 2, c.stdout);
        assert.match(c.stdout, /archive destination 1 \(\S+\) is ERROR: ORA-19502: write error on file .*: the archiver may be stuck/);
      },
      async () => {
        assert.equal((await world.sim(['fault', 'dest-full', '--dest', '1', '--off'])).code, 0);
        assert.equal((await world.sim(['workload', '--stop'])).code, 0);
        seq = await world.archiveCurrent();
        await waitFor('shipping again', () => shipped(seq), 60_000, 300);
      },
    );

    // A log removed before it was shipped: a gap, named; put back: shipped, cleared.
    await stopShipper('SIGTERM');
    assert.equal((await json()).tools.copy_archivelog.state, 'stopped');
    const archDir = path.join(world.prod, 'u12/fra/DBPROD/archivelog');
    let moved = '';
    await phase(
      'gap',
      ['gap'],
      async () => {
        const gapSeq = await world.archiveCurrent();
        const name = fs.readdirSync(archDir).find((f) => f.startsWith(`1_${gapSeq}_`))!;
        moved = path.join(world.sb.dir, name);
        fs.renameSync(path.join(archDir, name), moved);
        seq = await world.archiveCurrent();
        startShipper();
        await waitFor('gap seen', async () => ((await json()).transport.gaps.length ? true : undefined), 30_000, 300);
        const c = await status(['--check']);
        assert.equal(c.code, 2, c.stdout);
        assert.match(c.stdout, new RegExp(`^DR DBPROD CRITICAL - archived-log gap: thread 1 sequence ${gapSeq} \\(file \\S+ is missing on production \\(deleted before it was shipped\\?\\); it is in no RMAN backup either: it exists nowhere\\): the standby cannot recover past it`));
      },
      async () => {
        fs.renameSync(moved, path.join(archDir, path.basename(moved)));
        await waitFor('caught up', () => shipped(seq), 60_000, 300);
      },
    );

    // Every mail went through sendmail -t -oi; no secret in any argv seen, nor in any log or state file.
    assert.ok(mail.messages().every((m) => m.argv.join(' ') === '-t -oi'));
    assert.ok(argvSeen.some((a) => a.includes('status.ts') && a.includes('--alert')), 'the sampler saw the alert runs');
    assert.ok(argvSeen.some((a) => a.includes('fakebin/sendmail')), 'the sampler saw sendmail');
    for (const a of argvSeen) assert.ok(!a.includes(SECRET) && !a.includes(BEARER) && !a.includes(`127.0.0.1:${rx.port}`), `secret in argv: ${a}`);
    const files = ['log', 'state'].flatMap((d) => fs.readdirSync(path.join(world.sb.dir, d)).map((f) => path.join(world.sb.dir, d, f)));
    assert.ok(files.some((f) => f.endsWith('alerts.DBPROD.log')));
    for (const f of files) {
      if (!fs.statSync(f).isFile()) continue;
      const t = fs.readFileSync(f, 'utf8');
      assert.ok(!t.includes(SECRET) && !t.includes(BEARER), `secret in ${f}`);
    }
    assert.match(world.readLog('alerts.DBPROD.log'), /\[INFO\] sent raised gap to ops\n/);
  } finally {
    if (shipper) {
      shipper.kill('SIGKILL');
      await new Promise((r) => shipper!.once('exit', r));
    }
    await rx.close();
    await w?.dispose();
    fs.rmSync(secretsDir, { recursive: true, force: true });
  }
});
