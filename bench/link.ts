// Bench section `link`: the DR host behind a shaped link (test/helpers/netns.ts, tbf at
// --rate Mbit/s), optionally with round-trip delay from the relay (--delay 40: 20 ms each way).
// For each data set: tar|ssh, rsync -a, rsync -a with zstd, and hot_backup_ts with default
// settings (compression auto, parallel 4), each --repeat times interleaved; medians.
// Figures: effective MB/s (source bytes / seconds), ratio to the link rate and to the best raw
// method of the same run, CPU seconds of both ends (cgroup accounting).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeWorld, type World } from '../test/e2e/world.ts';
import type { CpuMeter, CpuSample } from './cpu.ts';
import { rsyncSingle, rsyncStreams, rsyncZstd, tarOverSsh, type RawMethod, type RawTarget } from './raw.ts';
import { cpuText, fmt, median, spread, Table } from './report.ts';
import { clearDr, copyPhaseSeconds, dataCompression, datafileTree, forgetCycle, runTool, timed, type Timed } from './tools.ts';

const RELAY = fileURLToPath(new URL('../test/helpers/netns-relay.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/tsx/dist/esm/index.mjs', import.meta.url));

export type DataSet = 'half' | 'rows' | 'random';
export const DATASETS: Record<DataSet, { fill: number; style: 'rows' | 'random'; title: string }> = {
  half: { fill: 0.5, style: 'random', title: 'half-used datafiles (half the blocks random payload, half formatted and empty)' },
  rows: { fill: 0.5, style: 'rows', title: 'half-used datafiles with row data (sim --fill 0.5: partly compressible rows)' },
  random: { fill: 1, style: 'random', title: 'incompressible datafiles (every block full of random payload)' },
};

export interface LinkBenchOptions {
  bytes: number;
  rateMbit: number;
  oneWayMs: number;
  repeat: number;
  datasets: DataSet[];
  parallels: number[];
  cpu?: CpuMeter;
}

/** A world whose DR sshd is in a namespace behind the shaped link (and its CPU in the `dr` group). */
export async function linkWorld(o: { bytes: number; rateMbit: number; set: DataSet; cpu?: CpuMeter; seed?: number }): Promise<World> {
  const d = DATASETS[o.set];
  const files = 12;
  return makeWorld({
    tablespaces: 6,
    datafiles: files,
    blocks: Math.round(o.bytes / files / 8192),
    skew: 1,
    seed: o.seed ?? 5,
    fill: d.fill,
    fillStyle: d.style,
    logSize: '4M',
    link: { rateMbit: o.rateMbit },
    ...(o.cpu && { sshdWrap: o.cpu.wrap('dr') }),
  });
}

/** The delaying relay as a child process (own CPU group), in front of the world's sshd; the world's config points at it. */
export async function startRelay(w: World, oneWayMs: number, cpu?: CpuMeter): Promise<{ target: RawTarget; stop: () => void }> {
  const argv = [...(cpu?.wrap('net') ?? []), process.execPath, '--import', TSX, RELAY, w.sshd!.host, String(w.sshd!.port), String(oneWayMs)];
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      const m = /listening (\d+)/.exec(b.toString());
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (c) => reject(new Error(`relay exited (${c})`)));
  });
  w.sshd!.addKnownHost('127.0.0.1', port);
  w.updateConfig({ destination: { host: '127.0.0.1', port } });
  const args = w.sshd!.sshArgs().map((a, i, all) => (all[i - 1] === '-p' ? String(port) : a));
  return {
    target: { target: `${w.sshd!.user}@127.0.0.1`, sshArgs: () => args },
    stop: () => {
      child.stdin!.end();
      w.updateConfig({ destination: { host: w.sshd!.host, port: w.sshd!.port } });
    },
  };
}

interface Run {
  name: string;
  runs: Timed[];
  copy?: number[];
  /** What hot_backup_ts chose for the datafiles (its 'datafile compression:' log line). */
  chose?: string;
}

async function measure(w: World, src: { dir: string; bytes: number }, t: RawTarget, o: LinkBenchOptions, extraRaw: Record<string, RawMethod>): Promise<Run[]> {
  const raw: Record<string, RawMethod> = { 'tar | ssh': tarOverSsh, 'rsync -a': rsyncSingle, 'rsync -a zstd': rsyncZstd, ...extraRaw };
  const results = new Map<string, Run>();
  const add = (name: string, r: Timed, copy?: number, chose?: string) => {
    const x: Run = results.get(name) ?? { name, runs: [], ...(copy !== undefined && { copy: [] }) };
    x.runs.push(r);
    if (copy !== undefined) x.copy!.push(copy);
    if (chose !== undefined) x.chose = chose;
    results.set(name, x);
  };
  for (let i = 0; i < o.repeat; i++) {
    for (const [name, method] of Object.entries(raw)) {
      const dst = path.join(w.sb.dir, 'rawdst');
      fs.rmSync(dst, { recursive: true, force: true });
      add(name, await timed(o.cpu, () => method(src.dir, dst, t)));
      fs.rmSync(dst, { recursive: true, force: true });
    }
    for (const p of o.parallels) {
      forgetCycle(w);
      clearDr(w);
      w.updateConfig({ backup: { parallel: p } });
      const r = await timed(o.cpu, () => runTool(w, 'hot_backup_ts'));
      add(`hot_backup_ts parallel ${p}${p === 4 ? ' (default)' : ''}`, r, copyPhaseSeconds(w), dataCompression(w));
    }
  }
  return [...results.values()];
}

function table(title: string, rows: Run[], bytes: number, rateMbit: number): Table {
  const t = new Table(title, ['method (median of runs)', 'seconds', 'spread', 'MB/s', 'x link', 'x best raw', 'CPU s (prod+DR)']);
  const link = (rateMbit * 1e6) / 8 / 1e6;
  const mbs = (s: number) => bytes / 1e6 / s;
  const rawRows = rows.filter((r) => !r.copy);
  const best = Math.max(...rawRows.map((r) => mbs(median(r.runs.map((x) => x.seconds)))));
  const cpu = (runs: Timed[]): CpuSample | undefined =>
    runs.every((x) => x.cpu) ? { prod: median(runs.map((x) => x.cpu!.prod)), dr: median(runs.map((x) => x.cpu!.dr)) } : undefined;
  for (const r of rows) {
    const secs = r.runs.map((x) => x.seconds);
    const s = median(secs);
    t.add([r.copy ? `${r.name}: whole tool` : r.name, fmt(s), `${fmt(spread(secs) * 100, 0)} %`, fmt(mbs(s), 1), fmt(mbs(s) / link), fmt(mbs(s) / best), cpuText(cpu(r.runs))]);
    if (r.copy) {
      const c = median(r.copy);
      t.add([`${r.name}: copy phase`, fmt(c), `${fmt(spread(r.copy) * 100, 0)} %`, fmt(mbs(c), 1), fmt(mbs(c) / link), fmt(mbs(c) / best), '']);
      // Everything but the copy phase: process start, sqlplus, ssh, planning, then ARCHIVE LOG
      // CURRENT, standby controlfile, consistent point. Paid once per run whatever the size.
      const fixed = r.runs.map((x, i) => x.seconds - r.copy![i]!);
      t.add([`${r.name}: fixed start-up + finish (whole - copy)`, fmt(median(fixed)), `${fmt(spread(fixed) * 100, 0)} %`, '', '', '', '']);
      if (r.chose) t.note(`  ${r.chose}`);
    }
  }
  t.note(`link ${rateMbit} Mbit/s = ${fmt(link, 1)} MB/s; best raw ${fmt(best, 1)} MB/s; ${fmt(bytes / 1e6, 0)} MB of datafiles`);
  return t;
}

export async function linkSection(o: LinkBenchOptions): Promise<Table[]> {
  const tables: Table[] = [];
  for (const set of o.datasets) {
    const w = await linkWorld({ bytes: o.bytes, rateMbit: o.rateMbit, set, cpu: o.cpu });
    try {
      const src = await datafileTree(w);
      await runTool(w, 'copy_archivelog', ['--once']);
      const direct: RawTarget = { target: w.sshd!.target, sshArgs: () => w.sshd!.sshArgs() };
      tables.push(table(`link ${o.rateMbit} Mbit/s, no added delay: ${DATASETS[set].title}`, await measure(w, src, direct, o, {}), src.bytes, o.rateMbit));
      console.log(tables.at(-1)!.render());
      if (o.oneWayMs > 0 && set === o.datasets[0]) {
        const relay = await startRelay(w, o.oneWayMs, o.cpu);
        try {
          const rows = await measure(w, src, relay.target, { ...o, parallels: [1, 2, 4] }, { '2 x rsync zstd --files-from': rsyncStreams(2, ['--compress', '--compress-choice=zstd', '--compress-level=1']) });
          tables.push(table(`link ${o.rateMbit} Mbit/s + ${2 * o.oneWayMs} ms round trip (relay): ${DATASETS[set].title}`, rows, src.bytes, o.rateMbit));
          console.log(tables.at(-1)!.render());
        } finally {
          relay.stop();
        }
      }
    } finally {
      await w.dispose();
    }
  }
  return tables;
}
