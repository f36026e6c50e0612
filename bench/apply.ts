// Bench section `apply`: the delay from a log switch on production to its redo being applied
// on the standby, with the product's default poll settings (copy_archivelog's and
// apply_standby's loops running, as in the tmux session). Median of --logs switches.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { makeWorld, waitFor, type World } from '../test/e2e/world.ts';
import { fmt, median, Table } from './report.ts';
import { runTool } from './tools.ts';

const applied = (w: World): number => {
  const p = JSON.parse(w.readState('apply_standby.DBPROD.progress.json') ?? '{"threads":[]}') as { threads: { appliedSequence: number | null }[] };
  return p.threads[0]?.appliedSequence ?? 0;
};

export async function applySection(o: { logs: number }): Promise<Table> {
  const w = await makeWorld({ tablespaces: 8, datafiles: 24, blocks: 128, seed: 7 });
  const drHome = path.join(w.dr, 'oh');
  const tb = new Table(`E. log switch on production -> redo applied on the standby (default poll settings), ${o.logs} switches`, ['measurement', 'seconds']);
  const children: ChildProcess[] = [];
  try {
    await w.sim(['workload', '--rate', '200']);
    await runTool(w, 'copy_archivelog', ['--once']);
    await runTool(w, 'hot_backup_ts');
    const init = await w.sim(['standby-init', '--home', drHome, '--sid', 'DBPROD', '--controlfile', path.join(w.dr, 'ctl', 'standby.ctl'), '--archive-dest', path.join(w.dr, 'arch')]);
    if (init.code !== 0) throw new Error(`sim standby-init: ${init.stdout}${init.stderr}`);
    // the product's defaults: no poll_seconds in either section
    w.updateConfig({ archivelog: { poll_seconds: undefined }, standby: { apply: true, oracle_home: drHome } });
    for (const tool of ['copy_archivelog', 'apply_standby']) {
      const argv = w.toolArgv(tool);
      children.push(spawn(argv[0]!, argv.slice(1), { env: w.env, stdio: 'ignore' }));
    }
    await waitFor('the standby applied once', () => applied(w) || undefined, 120_000, 100);
    const delays: number[] = [];
    for (let i = 0; i < o.logs; i++) {
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 2000));
      const t0 = Date.now();
      const seq = await w.archiveCurrent();
      await waitFor(`sequence ${seq} applied`, () => applied(w) >= seq || undefined, 120_000, 50);
      delays.push((Date.now() - t0) / 1000);
    }
    delays.sort((a, b) => a - b);
    tb.add([`E switch -> applied, median of ${delays.length} (issue 8 target <= 5)`, fmt(median(delays))]);
    tb.add(['E switch -> applied, max', fmt(delays[delays.length - 1]!)]);
    tb.note('(the switch is ALTER SYSTEM ARCHIVE LOG CURRENT; the time includes archiving, shipping and one recovery pass)');
    console.log(tb.render());
    return tb;
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await w.sim(['workload', '--stop']);
    await w.sim(['crash', '--home', drHome, '--sid', 'DBPROD']);
    await w.dispose();
  }
}
