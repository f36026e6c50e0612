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

  step('production keeps changing for 5 s, then the workload stops and the DBA archives the current log');
  await new Promise((r) => setTimeout(r, 5000));
  await w.sim(['workload', '--stop']);
  const seq = await w.archiveCurrent();
  await waitFor(`sequence ${seq} on DR`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= seq || undefined, 120_000);
  console.log(`archived logs shipped through sequence ${seq}`);

  step('standby recovery on the DR copy (RECOVER AUTOMATIC STANDBY DATABASE, simulated), then block-by-block verification');
  const { recover, verify } = await w.recoverAndVerify();
  // the end of the recovery pass: the last log asked for, ORA-00308 for the next one (not shipped yet), then the outcome
  const out = recover.stdout.trim().split('\n');
  const lastAsk = out.map((l) => l.startsWith('ORA-00279')).lastIndexOf(true);
  console.log(out.slice(lastAsk >= 0 ? lastAsk : -3).join('\n'));
  console.log(verify.stdout.trim() || verify.stderr.trim());
  ok = recover.code === 0 && verify.code === 0;
  console.log(ok ? '\nDEMO OK: the standby recovers and every block is identical to production.' : '\nDEMO FAILED: see above.');
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
    await w.dispose();
  }
}
process.exit(ok ? 0 : 1);
