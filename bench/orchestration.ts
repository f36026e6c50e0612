// Bench section `orchestration` (B, C, D), 750 small datafiles in 100 tablespaces:
//  B. orchestration overhead per datafile against raw rsync -a (target <= 20 ms/file);
//  C. a re-run with everything done (target <= 2 s);
//  D. delay from a log being archived to it being complete on DR (target median <= 2 s).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeWorld, waitFor } from '../test/e2e/world.ts';
import { rsyncSingle } from './raw.ts';
import { fmt, Table } from './report.ts';
import { clearDr, datafileTree, runTool, timed } from './tools.ts';

export async function orchestrationSection(o: { parallel: number; logs: number }): Promise<Table> {
  const w = await makeWorld({ tablespaces: 96, datafiles: 750, blocks: 16, seed: 5, parallel: o.parallel, logSize: '256K' });
  const tb = new Table(`B-D. 750 small datafiles, parallel ${o.parallel}`, ['measurement', 'seconds', 'ratio']);
  try {
    const src = await datafileTree(w);
    const dst = path.join(w.sb.dir, 'rawdst');
    const rsyncA = await rsyncSingle(src.dir, dst, { target: w.sshd!.target, sshArgs: () => w.sshd!.sshArgs() });
    fs.rmSync(dst, { recursive: true, force: true });
    await runTool(w, 'copy_archivelog', ['--once']);
    const hot = (await timed(undefined, () => runTool(w, 'hot_backup_ts'))).seconds;
    const [tsCount] = await w.query(`SELECT TO_CHAR(COUNT(*)) FROM dba_tablespaces WHERE contents <> 'TEMPORARY'`);
    tb.note(`${src.files} datafiles of ${fmt(src.bytes / src.files / 1024, 0)} KiB in ${tsCount} tablespaces`);
    tb.add(['B rsync -a (raw)', fmt(rsyncA.seconds), '']);
    tb.add(['B hot_backup_ts (whole tool)', fmt(hot), '']);
    tb.add(['B overhead per datafile ms (target <= 20)', '', fmt(((hot - rsyncA.seconds) / src.files) * 1000, 1)]);
    tb.add(['C re-run, everything done s (target <= 2)', fmt((await timed(undefined, () => runTool(w, 'hot_backup_ts'))).seconds), '']);

    // D: the shipper in its loop with the product's default poll interval, logs archived one
    // by one; arrival seen by polling DR.
    clearDr(w);
    w.updateConfig({ archivelog: { poll_seconds: undefined } });
    const argv = w.toolArgv('copy_archivelog');
    const child = spawn(argv[0]!, argv.slice(1), { env: w.env, stdio: 'ignore' });
    const delays: number[] = [];
    try {
      await waitFor('shipper ready', () => w.readState('last_arch_seq_thread1.DBPROD') ?? (fs.existsSync(path.join(w.sb.dir, 'state', 'copy_archivelog.DBPROD.progress.json')) || undefined), 60_000);
      const archDir = path.join(w.prod, 'u12/fra/DBPROD/archivelog');
      await w.sim(['workload', '--rate', '200']);
      for (let i = 0; i < o.logs; i++) {
        await new Promise((r) => setTimeout(r, 700 + Math.random() * 1500));
        const seq = await w.archiveCurrent();
        const name = fs.readdirSync(archDir).find((f) => f.startsWith(`1_${seq}_`))!;
        const archivedAt = fs.statSync(path.join(archDir, name)).mtimeMs;
        const drFile = path.join(w.dr, 'arch', name);
        await waitFor(`sequence ${seq} on DR`, () => fs.existsSync(drFile) || undefined, 60_000, 20);
        delays.push((Date.now() - archivedAt) / 1000);
      }
    } finally {
      child.kill('SIGTERM');
      await w.sim(['workload', '--stop']);
    }
    delays.sort((a, b) => a - b);
    tb.add([`D archived -> on DR, median of ${delays.length} s (target <= 2)`, fmt(delays[Math.floor(delays.length / 2)]!), '']);
    tb.add(['D archived -> on DR, max s', fmt(delays[delays.length - 1]!), '']);
    console.log(tb.render());
    return tb;
  } finally {
    await w.dispose();
  }
}
