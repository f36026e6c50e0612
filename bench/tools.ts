// Bench helpers around an e2e world: the datafile tree the raw methods copy, timed tool runs,
// the figures hot_backup_ts logs (copy phase, refresh totals), and a fresh backup cycle.
import fs from 'node:fs';
import path from 'node:path';
import type { World } from '../test/e2e/world.ts';
import { CpuMeter, cpuBetween, type CpuSample } from './cpu.ts';

export function parseBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(s);
  if (!m) throw new Error(`not a size: ${s}`);
  return Math.round(Number(m[1]) * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G']);
}

/** Hard links of the world's datafiles under one directory, keeping their relative layout: what the raw methods copy. */
export async function datafileTree(w: World, name = 'rawsrc'): Promise<{ dir: string; bytes: number; files: number }> {
  const dir = path.join(w.sb.dir, name);
  fs.rmSync(dir, { recursive: true, force: true });
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

export interface Timed {
  seconds: number;
  cpu?: CpuSample;
}

export async function timed(cpu: CpuMeter | undefined, fn: () => Promise<unknown>): Promise<Timed> {
  const c0 = cpu?.sample();
  const t0 = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, cpu: cpuBetween(c0, cpu?.sample()) };
}

export async function runTool(w: World, bin: 'hot_backup_ts' | 'copy_archivelog', args: string[] = []): Promise<void> {
  const r = await w.tool(bin, args, 3_600_000);
  if (r.code !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
}

/** The copy phase hot_backup_ts reports in its log (its last 'copy phase:' line): seconds. */
export function copyPhaseSeconds(w: World): number {
  const m = [...w.readLog('hot_backup_ts.DBPROD.out').matchAll(/copy phase: \d+ bytes in ([\d.]+) s/g)].pop();
  if (!m) throw new Error('no copy phase line in hot_backup_ts.DBPROD.out');
  return Number(m[1]);
}

/** What hot_backup_ts chose for its datafiles (its last 'datafile compression:' line). */
export function dataCompression(w: World): string | undefined {
  return [...w.readLog('hot_backup_ts.DBPROD.out').matchAll(/\] (datafile compression: .*)$/gm)].pop()?.[1];
}

/** The last "<kind>: X MiB sent for Y MiB of files" line of hot_backup_ts: bytes sent, file bytes. */
export function transferTotals(w: World): { kind: string; sentMiB: number; fileMiB: number } {
  const m = [...w.readLog('hot_backup_ts.DBPROD.out').matchAll(/\] (refresh|full copy): ([\d.]+) MiB sent for ([\d.]+) MiB of files/g)].pop();
  if (!m) throw new Error('no transfer totals line in hot_backup_ts.DBPROD.out');
  return { kind: m[1]!, sentMiB: Number(m[2]), fileMiB: Number(m[3]) };
}

export function clearDr(w: World): void {
  for (const d of fs.readdirSync(w.dr)) fs.rmSync(path.join(w.dr, d), { recursive: true, force: true });
}

/** A new cycle: no .done markers, no consistent point (the DR copy is left as it is). */
export function forgetCycle(w: World): void {
  for (const f of fs.readdirSync(path.join(w.sb.dir, 'state'))) if (/^ts_.*\.done$|^consistent_point/.test(f)) fs.rmSync(path.join(w.sb.dir, 'state', f));
}

/** Copies a directory tree (DR snapshot / restore), keeping sparse files and times. */
export async function copyTree(from: string, to: string): Promise<void> {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true, preserveTimestamps: true });
}
