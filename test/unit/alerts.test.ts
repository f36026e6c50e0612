// Alerts: each condition raised once and cleared once, the daily summary, escalation, a
// receiver that is down (kept, retried, logged without the secret), and nothing re-sent by a
// new evaluator process (every evaluation reads the persisted state, as a restart would).
// Real HTTP to a receiver on 127.0.0.1 and a fake sendmail on PATH.
process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { dailyDue, transitions } from '../../lib/alerts/events.ts';
import { evaluateAlerts } from '../../lib/alerts/run.ts';
import { redact } from '../../lib/alerts/secrets.ts';
import { validateConfig, type DrConfig } from '../../lib/config/index.ts';
import { ConfigError } from '../../lib/errors.ts';
import { createLogger } from '../../lib/log.ts';
import { makeFakeSendmail, startReceiver, type FakeSendmail, type Receiver } from '../helpers/alertSinks.ts';
import { makeFixture, NOW, type Scenario } from './status-fixture.ts';

const SECRET = 'T0KEN-s3cret-9f8e7d6c5b4a';
const BEARER = 'bearer-Zq81-secret-token';
let rx: Receiver;
before(async () => {
  rx = await startReceiver();
});
after(async () => {
  await rx.close();
});

interface Setup {
  config: DrConfig;
  dir: string;
  mail: FakeSendmail;
  env: NodeJS.ProcessEnv;
  /** Replace the world's state files with those of a scenario (alert state kept). */
  become(s: Scenario, tweak?: (state: string) => void): void;
  at(seconds: number): Promise<Awaited<ReturnType<typeof evaluateAlerts>>>;
  log(): string;
}

function setup(channels: 'all' | 'generic' = 'all', alerts: Record<string, unknown> = {}): Setup {
  const base = makeFixture('healthy');
  const dir = base.dir;
  const urlFile = path.join(dir, 'hook.url');
  fs.writeFileSync(urlFile, `http://127.0.0.1:${rx.port}/hooks/${SECRET}\n`, { mode: 0o600 });
  const mail = makeFakeSendmail(dir);
  const all = [
    { type: 'webhook', name: 'ops-generic', format: 'generic', url_file: urlFile, token_env: 'DR_TEST_BEARER' },
    { type: 'webhook', name: 'ops-slack', format: 'slack', url_env: 'DR_TEST_SLACK_URL' },
    { type: 'webhook', name: 'ops-teams', format: 'teams', url_file: urlFile },
    { type: 'mail', name: 'dba-mail', to: ['dba@example.com', 'oncall@example.com'], from: 'dr@dbhost.example.com' },
  ];
  const raw = {
    oracle: { sid: 'DBPROD' },
    destination: { type: 'local' },
    path_map: { '/u05': '/u15' },
    archivelog: { dest_dir: '/dr/arch' },
    standby_controlfile: { dr_path: '/dr/ctl/control01.ctl' },
    dirs: { log: path.join(dir, 'log'), state: path.join(dir, 'state') },
    // the clock moves in these tests; heartbeats and passes written at NOW must not look stale
    thresholds: { heartbeat_stale_seconds: 864000, shipping_stopped_seconds: { warning: 864000, critical: 900000 } },
    alerts: { channels: channels === 'all' ? all : [all[0]], daily_summary_at: '00:00', retry_seconds: 60, ...alerts },
  };
  const config = validateConfig(raw, path.join(dir, 'dr.yaml'), dir);
  const env = { PATH: `${mail.bin}:/usr/bin:/bin`, FAKE_MAIL_DIR: mail.spool, DR_TEST_BEARER: BEARER, DR_TEST_SLACK_URL: `http://127.0.0.1:${rx.port}/slack/${SECRET}` };
  const log = createLogger({ file: path.join(dir, 'log', 'alerts.log'), errorsFile: path.join(dir, 'log', 'errors.log'), tool: 'alerts', now: () => NOW });
  return {
    config,
    dir,
    mail,
    env,
    become(s, tweak) {
      const src = makeFixture(s);
      for (const d of ['state', 'log']) {
        const to = path.join(dir, d);
        for (const f of fs.readdirSync(to)) if (!f.startsWith('alerts.')) fs.rmSync(path.join(to, f));
        for (const f of fs.readdirSync(path.join(src.dir, d))) fs.copyFileSync(path.join(src.dir, d, f), path.join(to, f));
      }
      tweak?.(path.join(dir, 'state'));
    },
    at: (seconds) => evaluateAlerts(config, log, { now: new Date(NOW.getTime() + seconds * 1000), env }),
    log: () => fs.readFileSync(path.join(dir, 'log', 'alerts.log'), 'utf8'),
  };
}

const bodies = (from: number) => rx.received.slice(from).map((r) => r.json as Record<string, unknown>);

test('the daily summary is sent once a day to every channel, in each channel\'s shape; nothing else while all is well', async () => {
  const s = setup();
  const n = rx.received.length;
  const r = await s.at(0);
  assert.deepEqual(r.events.map((e) => [e.kind, e.id, e.severity]), [['daily', 'daily', 'OK']]);
  assert.equal(r.sent, 4);
  const got = rx.received.slice(n);
  assert.deepEqual(got.map((x) => x.path), [`/hooks/${SECRET}`, `/slack/${SECRET}`, `/hooks/${SECRET}`]);
  const summary = 'all good, transport lag 0 s, 0 sequence(s) (thread 1 shipped through 57); backup cycle complete; standby apply: not configured';
  const generic = got[0].json as Record<string, unknown>;
  assert.equal(got[0].headers.authorization, `Bearer ${BEARER}`);
  assert.equal(got[0].headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(
    { ...generic, host: undefined, text: undefined },
    { source: 'oracle-dr-suite', version: 1, kind: 'daily', condition: 'daily', severity: 'OK', summary, sid: 'DBPROD', host: undefined, at: NOW.toISOString(), status: 'OK', active: [], subject: `[DR DBPROD] daily: ${summary}`, text: undefined },
  );
  assert.match((got[1].json as { text: string }).text, /^\[DR DBPROD\] daily: all good, transport lag 0 s/);
  const card = got[2].json as { type: string; attachments: { contentType: string; content: { type: string; body: { text: string }[] } }[] };
  assert.equal(card.type, 'message');
  assert.equal(card.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
  assert.equal(card.attachments[0].content.type, 'AdaptiveCard');
  assert.match(card.attachments[0].content.body[0].text, /^\[DR DBPROD\] daily: all good/);
  const [m] = s.mail.messages();
  assert.deepEqual(m.argv, ['-t', '-oi']);
  assert.match(m.text, /^From: dr@dbhost\.example\.com\nTo: dba@example\.com, oncall@example\.com\nSubject: \[DR DBPROD\] daily: all good, transport lag 0 s.*\nDate: Sat, 21 Nov 2026 23:40:00 \+0000\nMIME-Version: 1\.0\nContent-Type: text\/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\nAuto-Submitted: auto-generated\n\nall good, /);
  // later the same day: nothing; the next day after 00:00: one more
  assert.equal((await s.at(600)).sent, 0);
  assert.deepEqual((await s.at(86400)).events.map((e) => e.kind), ['daily']);
  assert.equal(s.mail.messages().length, 2);
});

test('every condition is raised once and cleared once, each by a new evaluation (as after a restart)', async () => {
  const s = setup('generic', { daily_summary_at: 'off' });
  const cases: [string, Scenario, ((state: string) => void) | undefined, string[]][] = [
    ['lag', 'lagging', undefined, ['transport_lag']],
    ['gap', 'gap', undefined, ['gap']],
    ['dead shipper', 'dead', undefined, ['tool_dead:copy_archivelog']],
    [
      'archive destination',
      'healthy',
      (st) => fs.writeFileSync(path.join(st, 'archive_dest.DBPROD.json'), JSON.stringify({ observedAt: NOW.toISOString(), dests: [{ destId: 1, status: 'FULL', error: '', destination: '/u12/arch' }] })),
      ['archive_dest:1'],
    ],
    [
      'failed hot backup',
      'healthy',
      (st) => fs.writeFileSync(path.join(st, 'hot_backup_ts.DBPROD.result.json'), JSON.stringify({ pid: 1, exitCode: 6, finishedAt: NOW.toISOString(), message: 'x' })),
      ['hot_backup_failed'],
    ],
    [
      'left in backup mode',
      'healthy',
      (st) => fs.writeFileSync(path.join(st, 'hot_backup_ts.DBPROD.inflight.json'), JSON.stringify({ tablespaces: ['USERS'], since: { USERS: NOW.toISOString() } })),
      ['backup_mode'],
    ],
    [
      'apply lag',
      'healthy',
      (st) => fs.writeFileSync(path.join(st, 'apply_standby.DBPROD.progress.json'), JSON.stringify({ updatedAt: NOW.toISOString(), threads: [{ thread: 1, appliedSequence: 1, appliedScn: null, appliedTime: null, nextNeeded: 2 }], lagSeconds: 100000, consistent: false, lastError: null })),
      ['apply_lag'],
    ],
  ];
  let t = 0;
  for (const [what, scenario, tweak, ids] of cases) {
    s.become(scenario, tweak);
    let from = rx.received.length;
    await s.at((t += 10));
    await s.at((t += 10)); // a second evaluation (a restart, a cron run) sends nothing again
    const raisedNow = bodies(from);
    assert.deepEqual(raisedNow.map((b) => [b.kind, b.condition]), ids.map((id) => ['raised', id]), what);
    s.become('healthy');
    from = rx.received.length;
    await s.at((t += 10));
    await s.at((t += 10));
    assert.deepEqual(bodies(from).map((b) => [b.kind, b.condition, b.severity]), ids.map((id) => ['cleared', id, 'OK']), what);
  }
});

test('a condition that gets worse is escalated once; one that eases stays raised without a message', async () => {
  const s = setup('generic', { daily_summary_at: 'off' });
  s.become('lagging');
  const from = rx.received.length;
  await s.at(1);
  const critical = (st: string) => {
    const f = path.join(st, 'copy_archivelog.DBPROD.progress.json');
    const p = JSON.parse(fs.readFileSync(f, 'utf8'));
    p.threads[0].archivedSequence = 80;
    fs.writeFileSync(f, JSON.stringify(p));
  };
  s.become('lagging', critical);
  await s.at(2);
  s.become('lagging');
  await s.at(3);
  s.become('lagging', critical);
  await s.at(4);
  assert.deepEqual(bodies(from).map((b) => [b.kind, b.severity]), [['raised', 'WARNING'], ['escalated', 'CRITICAL']]);
});

test('min_severity critical: warnings are not sent', async () => {
  const s = setup('generic', { daily_summary_at: 'off', min_severity: 'critical' });
  s.become('lagging');
  const from = rx.received.length;
  assert.deepEqual((await s.at(1)).events, []);
  assert.equal(rx.received.length, from);
});

test('a receiver that is down: the message is kept, retried after retry_seconds, logged once as an error without the secret; the clear is not lost', async () => {
  const s = setup('all', { daily_summary_at: 'off' });
  s.become('gap');
  await s.at(0);
  assert.equal(s.mail.messages().length, 1);
  await rx.down();
  s.mail.failing(true);
  try {
    s.become('healthy');
    let r = await s.at(10);
    assert.deepEqual(r.events.map((e) => [e.kind, e.id]), [['cleared', 'gap']]);
    assert.deepEqual(r.failed.map((f) => f.channel).sort(), ['dba-mail', 'ops-generic', 'ops-slack', 'ops-teams']);
    assert.equal(r.pending, 4);
    assert.match(r.failed.find((f) => f.channel === 'ops-slack')!.error, /^alerts channel ops-slack: the webhook could not be reached: ECONNREFUSED /);
    assert.equal(r.failed.find((f) => f.channel === 'dba-mail')!.error, `alerts channel dba-mail: ${s.mail.bin}/sendmail exited with 75: sendmail: cannot connect to the mail relay`);
    // before retry_seconds: no attempt at all
    r = await s.at(40);
    assert.deepEqual([r.sent, r.failed.length, r.pending], [0, 0, 4]);
    // still down after retry_seconds: tried, failed again (a warning now, not another error)
    r = await s.at(71);
    assert.equal(r.failed.length, 4);
  } finally {
    s.mail.failing(false);
    await rx.up();
  }
  const from = rx.received.length;
  const r = await s.at(140);
  assert.deepEqual([r.sent, r.pending], [4, 0]);
  assert.deepEqual(bodies(from).filter((b) => b.kind).map((b) => [b.kind, b.condition]), [['cleared', 'gap']]);
  assert.equal(s.mail.messages().length, 2);
  assert.match(s.mail.messages()[1].text, /^Subject: \[DR DBPROD\] cleared: archived-log gap: thread 1 sequence 58/m);
  const log = s.log();
  assert.equal(log.match(/\[ERROR\] alert delivery failed: alerts channel ops-slack: the webhook could not be reached: ECONNREFUSED/g)?.length, 1);
  assert.equal(log.match(/\[WARN\] alert delivery failed: alerts channel ops-slack/g)?.length, 1);
  assert.match(log, /\[INFO\] channel ops-slack works again \(failing since 2026-11-21 23:40:10\)/);
  assert.match(log, /\[INFO\] sent cleared gap to ops-slack/);
  for (const f of [...fs.readdirSync(path.join(s.dir, 'log')).map((x) => path.join(s.dir, 'log', x)), ...fs.readdirSync(path.join(s.dir, 'state')).map((x) => path.join(s.dir, 'state', x))]) {
    const text = fs.readFileSync(f, 'utf8');
    assert.ok(!text.includes(SECRET) && !text.includes(BEARER), `secret in ${f}`);
  }
});

test('an HTTP error answer is a failure too, with the status and what the receiver said', async () => {
  const s = setup('generic', { daily_summary_at: 'off' });
  s.become('gap');
  rx.status = 500;
  try {
    const r = await s.at(0);
    assert.deepEqual(r.failed, [{ channel: 'ops-generic', error: 'alerts channel ops-generic: the webhook answered HTTP 500: receiver says no' }]);
  } finally {
    rx.status = 200;
  }
});

test('webhook URLs and tokens never in the configuration file; secret files must be private', () => {
  const base = { oracle: { sid: 'x' }, destination: { type: 'local' }, archivelog: { dest_dir: '/a' }, standby_controlfile: { dr_path: '/c' } };
  const err = (() => {
    try {
      validateConfig({ ...base, alerts: { channels: [{ type: 'webhook', name: 'a', url: 'https://hooks.slack.com/services/T/B/xyz' }, { type: 'webhook', name: 'a', url_env: 'X', url_file: '/f', token: 'abc' }, { type: 'mail', name: 'm', to: ['-oQ/tmp@x'] }] }, thresholds: { transport_lag_seconds: { warning: 10, critical: 5 } } }, '/etc/dr.yaml', '/');
    } catch (e) {
      return e as ConfigError;
    }
  })();
  assert.ok(err instanceof ConfigError);
  assert.deepEqual(err.problems, [
    'thresholds.transport_lag_seconds: warning (10) must not be above critical (5)',
    'alerts.channels[0].url: a webhook URL carries its token, so it must never be written in this file; use url_env (the name of an environment variable) or url_file (a file of mode 0600)',
    'alerts.channels[1].token: a token must never be written in this file; use token_env (the name of an environment variable) or token_file (a file of mode 0600)',
    'alerts.channels[2].to[0]: must be an e-mail address such as dba@example.com',
    'alerts.channels[0]: set exactly one of url_env and url_file for a webhook (neither is set)',
    'alerts.channels[1].name: a is used by another channel; names must be unique (they name the channel in logs)',
    'alerts.channels[1]: set exactly one of url_env and url_file for a webhook (both are set)',
  ]);
});

test('redact removes the URL, its path, query and long path segments', () => {
  const url = `https://hooks.example.com/services/${SECRET}?sig=abcdef123`;
  assert.equal(redact(`POST ${url} failed; path /services/${SECRET}; token ${SECRET}; sig=abcdef123`, [url]), 'POST *** failed; path ***; token ***; ***');
});

test('transitions and the daily clock are pure', () => {
  const c = [{ id: 'gap', severity: 'CRITICAL' as const, summary: 'g' }];
  const a = transitions({}, c, 'warning', NOW);
  assert.deepEqual(a.events.map((e) => e.kind), ['raised']);
  assert.deepEqual(transitions(a.raised, c, 'warning', NOW).events, []);
  assert.deepEqual(transitions(a.raised, [], 'warning', NOW).events.map((e) => [e.kind, e.since]), [['cleared', NOW.toISOString()]]);
  assert.deepEqual(transitions({}, [{ id: 'no_state', severity: 'UNKNOWN', summary: 'x' }], 'warning', NOW).events, []);
  assert.equal(dailyDue('08:00', undefined, new Date('2026-11-21T07:59:00Z')), false);
  assert.equal(dailyDue('08:00', undefined, new Date('2026-11-21T08:00:00Z')), true);
  assert.equal(dailyDue('08:00', '2026-11-21', new Date('2026-11-21T23:00:00Z')), false);
  assert.equal(dailyDue(undefined, undefined, NOW), false);
});
