// npm run bench: the suite against raw transfers of the same files over the same sshd, in one
// run, printed as ratios (no wall-clock assertion anywhere). Four measurements:
//  A. copy throughput of hot_backup_ts on a skewed data set vs tar|ssh|tar, rsync -a and the
//     seed's per-file `xargs -P4 rsync -avzP --append-verify` (target >= 0.9x the fastest raw);
//  B. orchestration overhead at 750 small datafiles in 100 tablespaces (target <= 20 ms/file);
//  C. a re-run with everything done (target <= 2 s);
//  D. delay from a log being archived to it being complete on DR (target median <= 2 s).
// Options: --bytes 1G (A's data set), --parallel 2,4 (hot_backup workers; A is measured for
// each, B–D with the largest), --connections per_worker,shared (destination.data_connections, also auto;
// A is measured for each, B–D with the product's default), --logs 10 (D).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { METHODS, type RawResult } from './raw.ts';
import { makeWorld, waitFor, type World } from '../test/e2e/world.ts';

const { values } = parseArgs({ options: { bytes: { type: 'string', default: '1G' }, parallel: { type: 'string', default: '2,4' }, logs: { type: 'string', default: '10' }, connections: { type: 'string', default: 'per_worker,shared' } } });
const totalBytes = parseBytes(values.bytes!);
const parallels = values.parallel!.split(',').map(Number);
const connections = values.connections!.split(',');
const parallel = Math.max(...parallels); // B, C, D run with the largest (the product's default is 4)

function parseBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(s);
  if (!m) throw new Error(`--bytes: ${s}?`);
  return Math.round(Number(m[1]) * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G']);
}

/** Hard links of the world's datafiles under one directory, keeping their relative layout: what the raw methods copy. */
async function datafileTree(w: World): Promise<{ dir: string; bytes: number; files: number }> {
  const dir = path.join(w.sb.dir, 'rawsrc');
  const rows = await w.query(`SELECT file_name FROM dba_data_files`);
  let bytes = 0;
  for (const f of rows) {
    const rel = path.relative(w.prod, f);
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.linkSync(f, path.join(dir, rel));
    bytes += fs.statSync(f).size;
  }
  return { dir, bytes, files: rows.length };
}

async function timeTool(w: World, bin: 'hot_backup_ts' | 'copy_archivelog', args: string[] = []): Promise<number> {
  const t0 = process.hrtime.bigint();
  const r = await w.tool(bin, args, 1_800_000);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.code !== 0) throw new Error(`${bin} failed (${r.code}): ${r.stderr}`);
  return s;
}

const REPEAT = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Each raw method REPEAT times (interleaved, fresh destination each time); the median run of each. */
async function raw(w: World, src: string): Promise<RawResult[]> {
  const runs = new Map<string, RawResult[]>();
  for (let i = 0; i < REPEAT; i++) {
    for (const [name, method] of Object.entries(METHODS)) {
      const dst = path.join(w.sb.dir, `raw-${name}`);
      const r = await method(src, dst, { target: w.sshd!.target, sshArgs: () => w.sshd!.sshArgs() });
      fs.rmSync(dst, { recursive: true, force: true });
      runs.set(name, [...(runs.get(name) ?? []), r]);
    }
  }
  return [...runs.values()].map((rs) => rs.find((r) => r.seconds === median(rs.map((x) => x.seconds)))!);
}

/** The copy phase hot_backup_ts reports in its log (its last 'copy phase:' line): seconds. */
function copyPhaseSeconds(w: World): number {
  const m = [...w.readLog('hot_backup_ts.out').matchAll(/copy phase: \d+ bytes in ([\d.]+) s/g)].pop();
  if (!m) throw new Error('no copy phase line in hot_backup_ts.out');
  return Number(m[1]);
}

function clearDr(w: World): void {
  for (const d of fs.readdirSync(w.dr)) fs.rmSync(path.join(w.dr, d), { recursive: true, force: true });
}

const rows: string[][] = [];
const fmt = (n: number, d = 2) => n.toFixed(d);

// ---- A: throughput on a skewed set ------------------------------------------------------
{
  const files = 40;
  const w = await makeWorld({ tablespaces: 12, datafiles: files, blocks: Math.round(totalBytes / files / 8192), skew: 2, seed: 3 });
  try {
    const src = await datafileTree(w);
    const raws = await raw(w, src.dir);
    await timeTool(w, 'copy_archivelog', ['--once']);
    const best = raws.reduce((a, b) => (b.mbPerSec > a.mbPerSec ? b : a));
    const largest = Math.max(...(await w.query(`SELECT TO_CHAR(bytes) FROM dba_data_files`)).map(Number));
    console.log(`A. skewed set: ${src.files} datafiles, ${fmt(src.bytes / 1e6, 0)} MB (largest ${fmt(largest / 1e6, 0)} MB)`);
    for (const r of raws) rows.push([`A ${r.method} (median of ${REPEAT})`, fmt(r.seconds), fmt(r.mbPerSec, 0), '']);
    for (const p of parallels) {
      const whole = new Map<string, number[]>();
      const copy = new Map<string, number[]>();
      for (let i = 0; i < REPEAT; i++) {
        for (const c of connections) {
          // A fresh cycle each time: no .done markers, an empty DR tree.
          for (const f of fs.readdirSync(path.join(w.sb.dir, 'state'))) if (/^ts_.*\.done$|^consistent_point/.test(f)) fs.rmSync(path.join(w.sb.dir, 'state', f));
          clearDr(w);
          w.updateConfig({ backup: { parallel: p }, destination: { data_connections: c } });
          whole.set(c, [...(whole.get(c) ?? []), await timeTool(w, 'hot_backup_ts')]);
          copy.set(c, [...(copy.get(c) ?? []), copyPhaseSeconds(w)]);
        }
      }
      const mbs = (s: number) => src.bytes / 1e6 / s;
      for (const c of connections) {
        const cp = median(copy.get(c)!);
        const wh = median(whole.get(c)!);
        rows.push([`A hot_backup_ts parallel ${p}, ${c} connections: copy phase (median)`, fmt(cp), fmt(mbs(cp), 0), fmt(mbs(cp) / best.mbPerSec)]);
        rows.push([`A hot_backup_ts parallel ${p}, ${c} connections: whole tool (median)`, fmt(wh), fmt(mbs(wh), 0), fmt(mbs(wh) / best.mbPerSec)]);
      }
      if (connections.length === 2) {
        const [a, b] = connections.map((c) => median(copy.get(c)!));
        rows.push([`A parallel ${p}: copy phase ${connections[0]} / ${connections[1]} speed`, '', '', fmt(b / a)]);
      }
    }
    rows.push([`A ratio = hot_backup_ts / fastest raw (${best.method}); target >= 0.90`, '', '', '']);
  } finally {
    await w.dispose();
  }
}

// ---- B, C, D: 750 small datafiles in 100 tablespaces --------------------------------------
{
  const w = await makeWorld({ tablespaces: 96, datafiles: 750, blocks: 16, seed: 5, parallel, logSize: '256K' });
  try {
    const src = await datafileTree(w);
    const [, rsyncA] = [undefined, (await raw(w, src.dir)).find((r) => r.method === 'rsync -a')!];
    await timeTool(w, 'copy_archivelog', ['--once']);
    const hot = await timeTool(w, 'hot_backup_ts');
    const perFile = ((hot - rsyncA.seconds) / src.files) * 1000;
    const [tsCount] = await w.query(`SELECT TO_CHAR(COUNT(*)) FROM dba_tablespaces WHERE contents <> 'TEMPORARY'`);
    console.log(`B. ${src.files} datafiles of ${fmt(src.bytes / src.files / 1024, 0)} KiB in ${tsCount} tablespaces`);
    rows.push(['B rsync -a (raw)', fmt(rsyncA.seconds), '', '']);
    rows.push(['B hot_backup_ts (whole tool)', fmt(hot), '', '']);
    rows.push(['B overhead per datafile ms (target <= 20)', '', '', fmt(perFile, 1)]);

    const rerun = await timeTool(w, 'hot_backup_ts');
    rows.push(['C re-run, everything done s (target <= 2)', fmt(rerun), '', '']);

    // D: the shipper in its loop with the product's default poll interval (the tests' 0.5 s
    // is removed from the config), logs archived one by one; arrival seen by polling DR.
    clearDr(w);
    w.updateConfig({ archivelog: { poll_seconds: undefined } });
    const argv = w.toolArgv('copy_archivelog');
    const child = spawn(argv[0], argv.slice(1), { env: w.env, stdio: 'ignore' });
    const delays: number[] = [];
    try {
      await waitFor('shipper ready', () => w.readState('last_arch_seq_thread1.DBPROD') ?? (fs.existsSync(path.join(w.sb.dir, 'state', 'copy_archivelog.DBPROD.progress.json')) || undefined), 60_000);
      const archDir = path.join(w.prod, 'u12/fra/DBPROD/archivelog');
      await w.sim(['workload', '--rate', '200']);
      for (let i = 0; i < Number(values.logs); i++) {
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
    const median = delays[Math.floor(delays.length / 2)];
    rows.push([`D archived -> on DR, median of ${delays.length} s (target <= 2)`, fmt(median), '', '']);
    rows.push([`D archived -> on DR, max s`, fmt(delays[delays.length - 1]), '', '']);
  } finally {
    await w.dispose();
  }
}

const head = ['measurement', 'seconds', 'MB/s', 'ratio'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log('\n' + line(head));
console.log(widths.map((n) => '-'.repeat(n)).join('  '));
for (const r of rows) console.log(line(r));
console.log(`\nB-D with parallel ${parallel}. MB = 10^6 bytes. Same files, same sshd on 127.0.0.1, cipher aes128-gcm; the whole tool is timed (start-up, sqlplus session, BEGIN/END BACKUP, ARCHIVE LOG CURRENT, standby controlfile included).`);
