// etc/systemd/*: the keys a service for these tools needs (restart on failure but not on what
// only a person can fix, SIGTERM to the tool only, journald identifiers, timers that catch up),
// no unknown key (systemd ignores a misspelt one with a mere warning), templates for tools not
// written yet clearly marked; and `systemd-analyze verify` where systemd is installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIR = path.join(ROOT, 'etc/systemd');
const INSTALL = '/home/oracle/dr-suite/current'; // the layout of docs/DEPLOYMENT.md
const TOOLS = new Set(fs.readdirSync(path.join(ROOT, 'bin')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)));

type Unit = Map<string, Map<string, string[]>>;

export function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | undefined;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(\w+)\]$/.exec(line);
    if (s) {
      section = new Map();
      unit.set(s[1], section);
      continue;
    }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    assert.ok(kv && section, `line ${i + 1}: not a key=value inside a section: ${raw}`);
    section.set(kv[1], [...(section.get(kv[1]) ?? []), kv[2]]);
  }
  return unit;
}

const KNOWN: Record<string, string[]> = {
  Unit: ['Description', 'Documentation', 'Wants', 'After', 'Requires', 'OnFailure'],
  Service: ['Type', 'User', 'Group', 'UMask', 'Environment', 'EnvironmentFile', 'ExecStart', 'SyslogIdentifier', 'Restart', 'RestartSec', 'RestartPreventExitStatus', 'SuccessExitStatus', 'KillMode', 'TimeoutStopSec', 'TimeoutStartSec'],
  Timer: ['OnBootSec', 'OnCalendar', 'AccuracySec', 'RandomizedDelaySec', 'Persistent'],
  Install: ['WantedBy'],
};

const files = fs.readdirSync(DIR).sort();
const one = (u: Unit, s: string, k: string) => {
  const v = u.get(s)?.get(k);
  assert.ok(v && v.length === 1, `[${s}] ${k}= must be set once`);
  return v[0];
};

/** The tool a service starts: <INSTALL>/bin/<tool>. */
function toolOf(u: Unit): string {
  const m = new RegExp(`^${INSTALL}/bin/([a-z_]+) --config /home/oracle/dr-suite/etc/%i\\.yaml( |$)`).exec(one(u, 'Service', 'ExecStart'));
  assert.ok(m, `ExecStart must run ${INSTALL}/bin/<tool> --config /home/oracle/dr-suite/etc/%i.yaml`);
  return m[1];
}

test('etc/systemd has the shipper and apply services, and the check and alert evaluations with their timers', () => {
  assert.deepEqual(files, ['dr-apply-standby@.service', 'dr-check@.service', 'dr-check@.timer', 'dr-copy-archivelog@.service', 'dr-status-alert@.service', 'dr-status-alert@.timer']);
});

for (const f of files) {
  test(`etc/systemd/${f}: required keys, no unknown key`, () => {
    const text = fs.readFileSync(path.join(DIR, f), 'utf8');
    const u = parseUnit(text);
    for (const [s, keys] of u) {
      assert.ok(KNOWN[s], `unknown section [${s}]`);
      for (const k of keys.keys()) assert.ok(KNOWN[s].includes(k), `[${s}] ${k}= is not a key these units use (misspelt?)`);
    }
    assert.match(one(u, 'Unit', 'Description'), /%i/);
    assert.match(one(u, 'Unit', 'Documentation'), /(DEPLOYMENT|MONITORING)\.md$/);
    if (f.endsWith('.timer')) {
      assert.ok(files.includes(f.replace(/\.timer$/, '.service')), 'a timer needs its service');
      one(u, 'Timer', 'OnCalendar');
      assert.equal(one(u, 'Timer', 'Persistent'), 'true', 'a run missed while the host was down is made up');
      assert.equal(one(u, 'Install', 'WantedBy'), 'timers.target');
      return;
    }
    const tool = toolOf(u);
    assert.equal(one(u, 'Service', 'User'), 'oracle');
    assert.equal(one(u, 'Service', 'UMask'), '0077', 'logs and state files private');
    assert.equal(one(u, 'Service', 'SyslogIdentifier'), `${tool}-%i`, 'journal lines named after the tool, not "node"');
    assert.ok(!u.get('Service')!.has('NoNewPrivileges'), 'sqlplus / as sysdba runs the setuid/setgid oracle binary');
    if (one(u, 'Service', 'Type') === 'simple') {
      assert.equal(one(u, 'Service', 'Restart'), 'on-failure');
      one(u, 'Service', 'RestartSec');
      assert.deepEqual(one(u, 'Service', 'RestartPreventExitStatus').split(' '), ['2', '3', '4', '8'], 'usage, configuration, lock held, precondition: a person must act');
      assert.equal(one(u, 'Service', 'KillMode'), 'mixed', 'SIGTERM to the tool only: it stops its own children');
      assert.match(one(u, 'Install', 'WantedBy'), /^multi-user\.target$/);
    } else {
      assert.equal(one(u, 'Service', 'Type'), 'oneshot');
      assert.ok(files.includes(f.replace(/\.service$/, '.timer')), 'a oneshot service is started by its timer');
    }
    if (!TOOLS.has(tool)) {
      assert.match(text, /^# TEMPLATE, NOT READY: bin\/\S+ does not exist yet/, `bin/${tool}.ts does not exist: the unit must say it is a template`);
      assert.match(text, new RegExp(`TODO\\(${tool}\\)`));
    } else {
      assert.doesNotMatch(text, /TEMPLATE, NOT READY|TODO\(/, `bin/${tool}.ts exists now: finish the template`);
    }
  });
}

test('systemd-analyze verify accepts every unit (ExecStart pointed at this checkout)', (t) => {
  const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip('systemd-analyze is not installed (systemd); the keys are checked above');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'units-'));
  try {
    for (const f of files) {
      const text = fs.readFileSync(path.join(DIR, f), 'utf8').replace(new RegExp(`${INSTALL}/bin/([a-z_]+)`, 'g'), (_m, tool: string) =>
        TOOLS.has(tool) ? path.join(ROOT, 'bin', tool) : '/bin/true',
      );
      fs.writeFileSync(path.join(dir, f), text);
    }
    const units = files.map((f) => path.join(dir, f.replace('@.', '@dbprod.')));
    for (const f of files) fs.copyFileSync(path.join(dir, f), path.join(dir, f.replace('@.', '@dbprod.')));
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', ...units], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim(), '', 'systemd-analyze warned');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
