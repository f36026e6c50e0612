// Bench section `loopback` (A): copy throughput of hot_backup_ts on a skewed data set over the
// harness sshd on 127.0.0.1 (CPU-bound: two cores), against the raw methods of bench/raw.ts,
// the strongest being two long-lived rsyncs with aes128-gcm over files split by size (gcm2).
// Target: copy phase >= 1.0x gcm2 in the same run.
import fs from 'node:fs';
import path from 'node:path';
import { makeWorld } from '../test/e2e/world.ts';
import type { CpuMeter } from './cpu.ts';
import { METHODS, type RawResult } from './raw.ts';
import { cpuText, fmt, median, spread, Table } from './report.ts';
import { clearDr, copyPhaseSeconds, datafileTree, forgetCycle, runTool, timed, type Timed } from './tools.ts';

export interface LoopbackOptions {
  bytes: number;
  parallels: number[];
  /** destination.data_connections values to measure (auto, per_worker, shared). */
  connections: string[];
  repeat: number;
  cpu?: CpuMeter;
  /** sim --fill for the data set (undefined: every block formatted and empty, as before). */
  fill?: number;
}

export async function loopbackSection(o: LoopbackOptions): Promise<Table> {
  const files = 40;
  const w = await makeWorld({
    tablespaces: 12,
    datafiles: files,
    blocks: Math.round(o.bytes / files / 8192),
    skew: 2,
    seed: 3,
    ...(o.fill !== undefined && { fill: o.fill, fillStyle: 'random' as const }),
    ...(o.cpu && { sshdWrap: o.cpu.wrap('dr') }),
  });
  try {
    const src = await datafileTree(w);
    const runs = new Map<string, { r: RawResult; t: Timed }[]>();
    for (let i = 0; i < o.repeat; i++) {
      for (const [name, method] of Object.entries(METHODS)) {
        const dst = path.join(w.sb.dir, `raw-${name}`);
        let r: RawResult | undefined;
        const t = await timed(o.cpu, async () => (r = await method(src.dir, dst, { target: w.sshd!.target, sshArgs: () => w.sshd!.sshArgs() })));
        fs.rmSync(dst, { recursive: true, force: true });
        runs.set(name, [...(runs.get(name) ?? []), { r: r!, t }]);
      }
    }
    await runTool(w, 'copy_archivelog', ['--once']);
    const largest = Math.max(...(await w.query(`SELECT TO_CHAR(bytes) FROM dba_data_files`)).map(Number));
    const tb = new Table(
      `A. loopback: ${src.files} datafiles, ${fmt(src.bytes / 1e6, 0)} MB (largest ${fmt(largest / 1e6, 0)} MB)${o.fill !== undefined ? `, ${o.fill * 100} % of blocks random payload` : ', formatted empty blocks'}; median of ${o.repeat}`,
      ['measurement', 'seconds', 'spread', 'MB/s', 'x gcm2', 'CPU s (prod+DR)'],
    );
    const med = (xs: { t: Timed }[]) => median(xs.map((x) => x.t.seconds));
    const cpuMed = (xs: { t: Timed }[]) => (xs.every((x) => x.t.cpu) ? { prod: median(xs.map((x) => x.t.cpu!.prod)), dr: median(xs.map((x) => x.t.cpu!.dr)) } : undefined);
    const anchor = src.bytes / 1e6 / med(runs.get('gcm2')!);
    for (const xs of runs.values()) {
      const s = med(xs);
      tb.add([`raw ${xs[0]!.r.method}`, fmt(s), `${fmt(spread(xs.map((x) => x.t.seconds)) * 100, 0)} %`, fmt(src.bytes / 1e6 / s, 0), fmt(src.bytes / 1e6 / s / anchor), cpuText(cpuMed(xs))]);
    }
    for (const p of o.parallels) {
      for (const c of o.connections) {
        const whole: { t: Timed }[] = [];
        const copy: number[] = [];
        for (let i = 0; i < o.repeat; i++) {
          forgetCycle(w);
          clearDr(w);
          w.updateConfig({ backup: { parallel: p }, destination: { data_connections: c } });
          whole.push({ t: await timed(o.cpu, () => runTool(w, 'hot_backup_ts')) });
          copy.push(copyPhaseSeconds(w));
        }
        const mbs = (s: number) => src.bytes / 1e6 / s;
        const name = `hot_backup_ts parallel ${p}, ${c} connections`;
        tb.add([`${name}: copy phase`, fmt(median(copy)), `${fmt(spread(copy) * 100, 0)} %`, fmt(mbs(median(copy)), 0), fmt(mbs(median(copy)) / anchor), '']);
        tb.add([`${name}: whole tool`, fmt(med(whole)), `${fmt(spread(whole.map((x) => x.t.seconds)) * 100, 0)} %`, fmt(mbs(med(whole)), 0), fmt(mbs(med(whole)) / anchor), cpuText(cpuMed(whole))]);
      }
    }
    const log = w.readLog('hot_backup_ts.DBPROD.out');
    tb.note(`hot_backup_ts chose: ${/compression: (.*)/.exec(log)?.[1] ?? '?'}`);
    tb.note('target: hot_backup_ts copy phase >= 1.00 x gcm2 (two long-lived rsyncs, aes128-gcm, files split by size)');
    console.log(tb.render());
    return tb;
  } finally {
    await w.dispose();
  }
}
