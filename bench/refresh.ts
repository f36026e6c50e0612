// Bench section `refresh`: after a full copy, 2 % of the blocks change, then the DR copy is
// refreshed. hot_backup_ts (default settings) against raw
// `rsync -a --inplace --no-whole-file --block-size=8192` from the same old DR copy (restored
// from a snapshot before every run): bytes sent and time, against the full copy.
// Then the block-size sweep that justifies the rule in lib/transfer/delta.ts (bytes sent,
// checksum bytes back per block, time), and, on loopback, whole-file against delta (the scan
// rate behind transfer.delta: auto).
import fs from 'node:fs';
import path from 'node:path';
import { makeWorld, type World } from '../test/e2e/world.ts';
import type { CpuMeter } from './cpu.ts';
import { linkWorld, type DataSet } from './link.ts';
import { rsyncSingle, type RawTarget } from './raw.ts';
import { cpuText, fmt, median, spread, Table } from './report.ts';
import { copyPhaseSeconds, copyTree, datafileTree, forgetCycle, runTool, timed, transferTotals, type Timed } from './tools.ts';
import { spawn } from 'node:child_process';

export interface RefreshBenchOptions {
  bytes: number;
  rateMbit: number;
  repeat: number;
  set: DataSet;
  fraction: number;
  cpu?: CpuMeter;
}

interface RsyncRun {
  seconds: number;
  sent: number;
  received: number;
  literal: number;
  fileBytes: number;
}

/** One rsync with --stats over the target; its statistics. */
async function rsyncStats(args: string[], src: string, dst: string, t: RawTarget): Promise<RsyncRun> {
  const rsh = ['ssh', ...t.sshArgs(), '-c', 'aes128-gcm@openssh.com'].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(' ');
  const argv = ['rsync', '-a', ...args, '--stats', '-e', rsh, `${src}/`, `${t.target}:${dst}/`];
  const t0 = process.hrtime.bigint();
  const out = await new Promise<string>((resolve, reject) => {
    const c = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let o = '';
    let e = '';
    c.stdout.on('data', (b: Buffer) => (o += b));
    c.stderr.on('data', (b: Buffer) => (e += b));
    c.on('close', (code) => (code === 0 ? resolve(o) : reject(new Error(`rsync ${args.join(' ')} exit ${code}: ${e}`))));
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const n = (re: RegExp) => Number((re.exec(out)?.[1] ?? '0').replace(/\D/g, ''));
  return {
    seconds,
    sent: n(/Total bytes sent: ([\d,.]+)/),
    received: n(/Total bytes received: ([\d,.]+)/),
    literal: n(/Literal data: ([\d,.]+)/),
    fileBytes: n(/Total transferred file size: ([\d,.]+)/),
  };
}

const MB = (n: number) => fmt(n / 1e6, 1);

export async function refreshSection(o: RefreshBenchOptions): Promise<Table[]> {
  const tables: Table[] = [];
  const w = await linkWorld({ bytes: o.bytes, rateMbit: o.rateMbit, set: o.set, cpu: o.cpu, seed: 11 });
  try {
    const src = await datafileTree(w);
    const t: RawTarget = { target: w.sshd!.target, sshArgs: () => w.sshd!.sshArgs() };
    await runTool(w, 'copy_archivelog', ['--once']);
    // the full copy (cycle 1) by hot_backup_ts, and the raw reference's own full copy
    const fullRun = await timed(o.cpu, () => runTool(w, 'hot_backup_ts'));
    const fullCopy = copyPhaseSeconds(w);
    const full = transferTotals(w);
    const rawDst = path.join(w.sb.dir, 'rawdst');
    const rawFull = await rsyncStats(['--inplace'], src.dir, rawDst, t);
    const snapDr = path.join(w.sb.dir, 'dr.snap');
    const snapRaw = path.join(w.sb.dir, 'rawdst.snap');
    await copyTree(w.dr, snapDr);
    await copyTree(rawDst, snapRaw);

    const changes = await w.changeBlocks(o.fraction);
    const totalBlocks = Math.round(src.bytes / 8192);
    const hot: { run: Timed; copy: number; sentMiB: number; fileMiB: number }[] = [];
    const raw: RsyncRun[] = [];
    for (let i = 0; i < o.repeat; i++) {
      await copyTree(snapRaw, rawDst);
      raw.push(await rsyncStats(['--inplace', '--no-whole-file', '--block-size=8192'], src.dir, rawDst, t));
      await copyTree(snapDr, w.dr);
      forgetCycle(w);
      await runTool(w, 'copy_archivelog', ['--once', '--new-cutoff']);
      const run = await timed(o.cpu, () => runTool(w, 'hot_backup_ts'));
      const tt = transferTotals(w);
      if (tt.kind !== 'refresh') throw new Error(`expected a refresh, hot_backup_ts did a ${tt.kind}`);
      hot.push({ run, copy: copyPhaseSeconds(w), sentMiB: tt.sentMiB, fileMiB: tt.fileMiB });
    }
    const tb = new Table(
      `refresh over ${o.rateMbit} Mbit/s after ${changes} block changes (${fmt((changes / totalBlocks) * 100, 1)} % of ${totalBlocks} blocks; ${MB(src.bytes)} MB), median of ${o.repeat}`,
      ['method', 'seconds', 'spread', 'MB sent', 'sent/full sent', 'sent/file bytes', 'time/full', 'CPU s (prod+DR)'],
    );
    const fullSent = full.sentMiB * 2 ** 20;
    tb.add(['hot_backup_ts full copy (cycle 1): whole tool', fmt(fullRun.seconds), '', MB(fullSent), '1.00', fmt(fullSent / src.bytes, 3), '1.00', cpuText(fullRun.cpu)]);
    tb.add(['hot_backup_ts full copy (cycle 1): copy phase', fmt(fullCopy), '', '', '', '', '', '']);
    tb.add(['raw rsync -a --inplace full copy (no compression)', fmt(rawFull.seconds), '', MB(rawFull.sent), '', fmt(rawFull.sent / src.bytes, 3), '', '']);
    const hs = hot.map((h) => h.run.seconds);
    const hSent = median(hot.map((h) => h.sentMiB)) * 2 ** 20;
    const hCpu = hot.every((h) => h.run.cpu) ? { prod: median(hot.map((h) => h.run.cpu!.prod)), dr: median(hot.map((h) => h.run.cpu!.dr)) } : undefined;
    tb.add(['hot_backup_ts refresh: whole tool', fmt(median(hs)), `${fmt(spread(hs) * 100, 0)} %`, MB(hSent), fmt(hSent / fullSent, 3), fmt(hSent / src.bytes, 3), fmt(median(hs) / fullRun.seconds), cpuText(hCpu)]);
    tb.add(['hot_backup_ts refresh: copy phase', fmt(median(hot.map((h) => h.copy))), `${fmt(spread(hot.map((h) => h.copy)) * 100, 0)} %`, '', '', '', fmt(median(hot.map((h) => h.copy)) / fullCopy), '']);
    const rs = raw.map((r) => r.seconds);
    const rSent = median(raw.map((r) => r.sent));
    tb.add(['raw rsync --inplace --no-whole-file --block-size=8192', fmt(median(rs)), `${fmt(spread(rs) * 100, 0)} %`, MB(rSent), fmt(rSent / rawFull.sent, 3), fmt(rSent / src.bytes, 3), fmt(median(rs) / rawFull.seconds), '']);
    tb.note(`sent/full sent: against the same method's full copy (hot_backup_ts compresses both); sent/file bytes: against the ${MB(src.bytes)} MB of datafiles`);
    tables.push(tb);
    console.log(tb.render());

    // block sizes, from the same old copy each time
    const sweep = new Table(`rsync block size for the same refresh (raw rsync --inplace --no-whole-file, no compression), median of ${o.repeat}`, [
      'block size',
      'seconds',
      'MB sent',
      'MB back (checksums)',
      'bytes back per block',
      'sent/file bytes',
    ]);
    for (const bs of [undefined, 8192, 16384, 32768, 65536, 131072]) {
      const runs: RsyncRun[] = [];
      for (let i = 0; i < o.repeat; i++) {
        await copyTree(snapRaw, rawDst);
        runs.push(await rsyncStats(['--inplace', '--no-whole-file', ...(bs ? [`--block-size=${bs}`] : [])], src.dir, rawDst, t));
      }
      const sent = median(runs.map((r) => r.sent));
      const back = median(runs.map((r) => r.received));
      // rsync's default: sqrt(file size) rounded to 8 bytes, 700..128 KiB, per file
      const blocks = bs ? src.bytes / bs : runs[0]!.fileBytes / Math.max(700, Math.sqrt(runs[0]!.fileBytes / src.files));
      sweep.add([bs ? `${bs / 1024} KiB` : 'default (sqrt of size)', fmt(median(runs.map((r) => r.seconds))), MB(sent), MB(back), fmt(back / blocks, 1), fmt(sent / src.bytes, 4)]);
    }
    tables.push(sweep);
    console.log(sweep.render());
  } finally {
    await w.dispose();
  }
  tables.push(await loopbackScan(o));
  console.log(tables.at(-1)!.render());
  return tables;
}

/** On loopback (no link limit): whole files against delta for the same 2 % refresh, raw rsync; the delta's scan rate. */
async function loopbackScan(o: RefreshBenchOptions): Promise<Table> {
  const w: World = await makeWorld({ tablespaces: 6, datafiles: 12, blocks: Math.round(o.bytes / 12 / 8192), seed: 12, fill: 0.5, fillStyle: 'random', logSize: '4M', ...(o.cpu && { sshdWrap: o.cpu.wrap('dr') }) });
  try {
    const src = await datafileTree(w);
    const t: RawTarget = { target: w.sshd!.target, sshArgs: () => w.sshd!.sshArgs() };
    const dst = path.join(w.sb.dir, 'rawdst');
    await rsyncSingle(src.dir, dst, t);
    const snap = path.join(w.sb.dir, 'rawdst.snap');
    await copyTree(dst, snap);
    await w.changeBlocks(o.fraction);
    const tb = new Table(`loopback refresh after ${fmt(o.fraction * 100, 0)} % of blocks changed (${MB(src.bytes)} MB, raw rsync -a --inplace), median of ${o.repeat}`, [
      'mode',
      'seconds',
      'spread',
      'file MB/s',
    ]);
    for (const [name, args] of [
      ['whole files (--whole-file)', ['--inplace', '--whole-file']],
      ['delta, 8 KiB blocks', ['--inplace', '--no-whole-file', '--block-size=8192']],
    ] as const) {
      const secs: number[] = [];
      for (let i = 0; i < o.repeat; i++) {
        await copyTree(snap, dst);
        secs.push((await rsyncStats([...args], src.dir, dst, t)).seconds);
      }
      tb.add([name, fmt(median(secs)), `${fmt(spread(secs) * 100, 0)} %`, fmt(src.bytes / 1e6 / median(secs), 0)]);
    }
    tb.note('delta file MB/s is the scan rate S of transfer.delta: auto (delta while link < S x (1 - changed fraction))');
    fs.rmSync(dst, { recursive: true, force: true });
    return tb;
  } finally {
    await w.dispose();
  }
}
