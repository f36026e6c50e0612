// npm run demo: the whole orchestration against the simulated Oracle instance, DR on this
// machine (over a private sshd on 127.0.0.1). It creates a production database with a
// workload, runs orquestra_dr (tmux session DR_DBPROD on tmux socket "dr-demo": attach with
// `tmux -L dr-demo attach -t DR_DBPROD` while it runs), waits for the hot backup and the
// archived logs, then recovers the DR copy with the simulator and verifies every block.
// --keep leaves everything running at the end (instance, sshd, tmux) to look around.
// --socket and --out (tmux socket, where logs and state are kept) let the demo's own test run
// it without touching a user's demo.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { makeWorld, ROOT, waitFor } from '../test/e2e/world.ts';

const { values } = parseArgs({
  options: {
    keep: { type: 'boolean' },
    tablespaces: { type: 'string', default: '20' },
    datafiles: { type: 'string', default: '60' },
    socket: { type: 'string', default: 'dr-demo' },
    out: { type: 'string', default: path.join(ROOT, 'demo-run') },
  },
});
const SOCKET = values.socket!;
const tmux = (...args: string[]) => {
  try {
    return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
};
const step = (msg: string) => console.log(`\n== ${msg}`);

tmux('kill-server'); // a previous demo's session
step('creating a simulated production database (ARCHIVELOG, skewed datafiles, quoted tablespace names)');
const w = await makeWorld({ tablespaces: Number(values.tablespaces), datafiles: Number(values.datafiles), blocks: 256, skew: 1.5, seed: 42, oddNames: true, tmuxSocket: SOCKET, logSize: '512K', parallel: 2 });
console.log(`ORACLE_HOME=${w.home} ORACLE_SID=${w.sid}\nproduction files under ${w.prod}\nDR host: ${w.sshd!.target} port ${w.sshd!.port}, DR tree ${w.dr}\nconfiguration: ${w.configFile}`);
const drHome = path.join(w.dr, 'oh'); // the standby instance's ORACLE_HOME on DR
let ok = false;
try {
  await w.sim(['workload', '--rate', '300']);
  console.log('workload: 300 block changes per second, redo logs switching as they fill');

  step('bin/orquestra_dr');
  const t0 = Date.now();
  const o = await w.tool('orquestra_dr');
  process.stdout.write(o.stdout + o.stderr);
  if (o.code !== 0) throw new Error('orquestra_dr failed');

  step(`hot backup running (watch it live: tmux -L ${SOCKET} attach -t DR_DBPROD)`);
  let last = '';
  const result = await waitFor('the hot backup to finish', () => {
    const screen = tmux('capture-pane', '-p', '-t', '=DR_DBPROD:monitor').trimEnd();
    const progress = screen.split('\n').find((l) => /copied .* of /.test(l));
    if (progress && progress !== last) console.log(progress.trim());
    last = progress ?? last;
    const r = w.readState('hot_backup_ts.DBPROD.result.json');
    const parsed = r ? (JSON.parse(r) as { exitCode: number; finishedAt: string }) : undefined;
    return parsed && Date.parse(parsed.finishedAt) >= t0 ? parsed : undefined;
  }, 600_000, 1000);
  if (result.exitCode !== 0) throw new Error(`hot_backup_ts failed (exit ${result.exitCode}); see ${path.join(w.sb.dir, 'log')}`);
  await new Promise((r) => setTimeout(r, 2500));
  console.log('\n' + tmux('capture-pane', '-p', '-t', '=DR_DBPROD:monitor').trimEnd());

  step('the standby instance on DR (done once by the DBA: pfile, CONTROL_FILES = the shipped standby controlfile), then bin/orquestra_dr again: it adds the apply window');
  const init = await w.sim(['standby-init', '--home', drHome, '--sid', 'DBPROD', '--controlfile', path.join(w.dr, 'ctl', 'standby.ctl'), '--archive-dest', path.join(w.dr, 'arch')]);
  if (init.code !== 0) throw new Error(`sim standby-init failed: ${init.stdout}${init.stderr}`);
  w.updateConfig({ standby: { apply: true, oracle_home: drHome, poll_seconds: 1 } });
  const o2 = await w.tool('orquestra_dr');
  process.stdout.write(o2.stdout + o2.stderr);
  if (o2.code !== 0) throw new Error('orquestra_dr failed');
  type Applied = { threads: { appliedSequence: number | null }[]; consistent: boolean; lagSeconds: number | null };
  const applied = () => JSON.parse(w.readState('apply_standby.DBPROD.progress.json') ?? '{"threads":[],"consistent":false}') as Applied;
  await waitFor('the standby to be consistent', () => applied().consistent || undefined, 120_000, 500);
  console.log('\n' + tmux('capture-pane', '-p', '-t', '=DR_DBPROD:apply').trimEnd().split('\n').slice(-4).join('\n'));

  step('production keeps changing for 5 s while the standby is applied, then the workload stops and the DBA archives the current log');
  await new Promise((r) => setTimeout(r, 5000));
  await w.sim(['workload', '--stop']);
  const seq = await w.archiveCurrent();
  await waitFor(`sequence ${seq} on DR`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= seq || undefined, 120_000);
  await waitFor(`sequence ${seq} applied`, () => (applied().threads[0]?.appliedSequence ?? 0) >= seq || undefined, 120_000, 500);
  console.log(`archived logs shipped and applied through sequence ${seq}`);
  await new Promise((r) => setTimeout(r, 2500));
  console.log('\n' + tmux('capture-pane', '-p', '-t', '=DR_DBPROD:monitor').trimEnd());

  step('a DR drill: the apply loop stopped (SIGTERM, as systemctl stop does), apply_standby --drill-open (READ ONLY), then --drill-close (mounted and recovering again)');
  const holder = JSON.parse(w.readState('apply_standby.DBPROD.lock') ?? '{}') as { pid?: number };
  if (holder.pid) process.kill(holder.pid, 'SIGTERM');
  await waitFor('apply_standby to stop', () => (w.readState('apply_standby.DBPROD.lock') ? undefined : true), 60_000, 200).catch((err: Error) => {
    console.log(`${err.message}; the end of its log:\n${w.readLog('apply_standby.DBPROD.log').trimEnd().split('\n').slice(-8).join('\n')}`);
    throw err;
  });
  for (const flag of ['--drill-open', '--drill-close']) {
    const d = await w.tool('apply_standby', [flag]);
    process.stdout.write(d.stdout + d.stderr);
    if (d.code !== 0) throw new Error(`apply_standby ${flag} failed`);
  }

  step('the standby shut down (SHUTDOWN IMMEDIATE on DR), then every block verified against production');
  await w.sim(['stop', '--home', drHome, '--sid', 'DBPROD']);
  const verify = await w.sim(['verify', '--home', drHome, '--sid', 'DBPROD'], 300_000);
  console.log(verify.stdout.trim() || verify.stderr.trim());
  ok = verify.code === 0;
  console.log(ok ? '\nDEMO OK: the standby is applied while production runs, and every block is identical to production.' : '\nDEMO FAILED: see above.');
  // Keep the logs and state files after the sandbox is gone, to read at leisure.
  const keep = path.resolve(values.out!);
  fs.rmSync(keep, { recursive: true, force: true });
  // not the ssh control sockets in state/ssh (the shipper still runs: a socket cannot be copied)
  for (const d of ['log', 'state']) fs.cpSync(path.join(w.sb.dir, d), path.join(keep, d), { recursive: true, filter: (src) => !fs.lstatSync(src).isSocket() });
  console.log(`logs and state files copied to ${keep}/log (hot_backup_ts.<SID>.out, ts_<SID>.<TS>.log, copy_archivelog.<SID>.log, errors.<SID>.log) and ${keep}/state`);
} finally {
  if (values.keep) {
    console.log(`\n--keep: the instance and the tmux session are left running (the demo's sshd stops with it). tmux -L ${SOCKET} attach -t DR_DBPROD ; clean up with: tmux -L ${SOCKET} kill-server; test/sim/bin/sim crash --home ${w.home} --sid ${w.sid}; rm -rf ${w.sb.dir}`);
  } else {
    tmux('kill-server');
    await w.sim(['crash', '--home', drHome, '--sid', 'DBPROD']);
    await w.dispose();
  }
}
process.exit(ok ? 0 : 1);
