// copy_archivelog: record the cutoff SCN, then every poll check the incarnation, list the
// archived logs needed from it in every local destination (and RMAN's copies), ship one
// readable copy of each not yet on DR (one rsync for all of them, temp name + rename on DR, so
// a log there is always complete), and advance last_arch_seq_thread<N>.<sid> over the
// contiguous run that is verified. A log no copy of which can be read is a gap: logged as an
// error when first seen, kept in the progress file (the monitor shows it every refresh), exit 7
// with --once.
import fs from 'node:fs';
import path from 'node:path';
import type { ToolContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import { GapError, TransferError } from '../errors.ts';
import { run } from '../exec.ts';
import type { Remote } from '../remote.ts';
import { describeExit, startRsync } from '../rsync.ts';
import { readJsonIfExists, readTextIfExists, writeFileAtomic, writeJsonAtomic } from '../state.ts';
import { checkIncarnation } from './cutoff.ts';
import { chooseLocalDests } from './dest.ts';
import { advance, filesToCheck, planShipping, type Gap } from './plan.ts';
import { threadProgress, type ShipProgress } from './progress.ts';
import { ArchiveDestWatch } from './space.ts';
import { bwlimitArg } from '../transfer/bandwidth.ts';
import { prepareTransfer, type TransferSetup } from '../transfer/prepare.ts';

export { ensureCutoff } from './cutoff.ts';

/** Size of each file, undefined for one that does not exist (the planner's view of the filesystem). */
function fileSizes(names: string[]): Map<string, number | undefined> {
  return new Map(
    names.map((n) => {
      try {
        const st = fs.statSync(n);
        return [n, st.isFile() ? st.size : undefined];
      } catch {
        return [n, undefined];
      }
    }),
  );
}

export interface PassResult {
  shipped: number;
  gaps: Gap[];
  inUse: string[];
}

/** Files among `files` that some process holds open (lsof), e.g. still being written. */
async function openFiles(files: string[]): Promise<Set<string>> {
  if (files.length === 0) return new Set();
  const r = await run(['lsof', '-F', 'n', '--', ...files], { timeoutMs: 30_000 });
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new TransferError(`lsof failed (exit ${r.exitCode}): ${r.stderr.trim()}`, 'install lsof (Debian package lsof)');
  return new Set(r.stdout.split('\n').filter((l) => l.startsWith('n')).map((l) => l.slice(1)));
}

export class Shipper {
  private verified = new Map<number, Set<number>>();
  private reportedGaps = new Set<string>();
  private shippedTotal = 0;
  private readonly destWatch: ArchiveDestWatch;
  private destDirReady = false;
  /** Compression, checksum and bandwidth share: decided before the first log is shipped. */
  private transfer: TransferSetup | undefined;
  /** The local archive destination directory seen in the last pass (for waitForNextPass). */
  archiveDir: string | undefined;

  constructor(
    private readonly ctx: ToolContext,
    private readonly db: Database,
    private readonly remote: Remote,
    private readonly cutoff: bigint,
  ) {
    this.destWatch = new ArchiveDestWatch(ctx.state.archiveDests());
  }

  private lastShipped(): Map<number, number> {
    const m = new Map<number, number>();
    for (const f of fs.readdirSync(this.ctx.state.dir)) {
      const match = /^last_arch_seq_thread(\d+)\./.exec(f);
      if (!match) continue;
      const thread = Number(match[1]);
      if (f !== path.basename(this.ctx.state.lastArchSeq(thread))) continue;
      const v = readTextIfExists(path.join(this.ctx.state.dir, f))?.trim();
      if (v && /^\d+$/.test(v)) m.set(thread, Number(v));
    }
    return m;
  }

  async pass(): Promise<PassResult> {
    const { config, log, state } = this.ctx;
    checkIncarnation(this.ctx, await this.db.info());
    const all = await this.db.localArchiveDests();
    await this.destWatch.record(this.db, all); // before the choice: a full destination is seen even when none is VALID
    const dests = chooseLocalDests(all, config.archivelog.localDestId);
    const dest = dests.preferred;
    this.archiveDir = path.isAbsolute(dest.destination) && fs.existsSync(dest.destination) ? dest.destination : undefined;
    const rows = await this.db.archivedLogs(this.cutoff, dests.destIds);
    const current = await this.db.currentLogs();
    const last = this.lastShipped();
    // What production has, recorded before shipping: when the transfer fails, status still sees how far behind DR falls.
    this.writeProgress(dest.destId, threadProgress(rows, last, current));
    const plans = planShipping(rows, last, this.cutoff, fileSizes(filesToCheck(rows, last)), dest.destId);
    const gaps = plans.flatMap((p) => p.gaps);
    const candidates = plans.flatMap((p) => p.toShip).filter((r) => !this.verified.get(r.thread)?.has(r.sequence));
    const busy = await openFiles(candidates.map((r) => r.name));
    const ready = candidates.filter((r) => !busy.has(r.name));
    for (const r of candidates.filter((x) => busy.has(x.name))) log.info(`thread ${r.thread} sequence ${r.sequence} is still open (${r.name}): next pass`);

    if (ready.length) {
      const names = ready.map((r) => r.name);
      if (!this.destDirReady) await this.remote.ensureDirs([config.archivelog.destDir]); // once per run
      this.destDirReady = true;
      this.transfer ??= await prepareTransfer(this.ctx, this.remote);
      const share = this.transfer.bandwidth.archivelogBytesPerSec;
      const res = await startRsync({
        rsync: config.rsync.path,
        args: ['-a', '--copy-links', `--timeout=${config.rsync.timeoutSeconds}`, ...this.transfer.args, ...(share ? [bwlimitArg(share)] : config.rsync.bwlimitKBps > 0 ? [`--bwlimit=${config.rsync.bwlimitKBps}`] : []), ...config.rsync.extraOptions],
        rsh: this.remote.rsyncRsh(),
        files: names,
        destSpec: this.remote.spec(config.archivelog.destDir),
        onOutput: (l) => log.info(`rsync: ${l}`),
      }).done;
      if (res.code !== 0) {
        throw new TransferError(`shipping ${ready.length} archived log(s) to ${this.remote.describe()} failed: ${describeExit(res.code)}${res.errors.length ? `: ${res.errors.slice(-3).join(' | ')}` : ''}`, 'the next pass retries them; check the DR host, its free space and ssh access');
      }
      for (const r of ready) {
        let set = this.verified.get(r.thread);
        if (!set) this.verified.set(r.thread, (set = new Set()));
        set.add(r.sequence);
        log.info(`shipped thread ${r.thread} sequence ${r.sequence} (${r.name} from ${r.destId === 0 ? 'an RMAN restore or catalog (DEST_ID 0)' : `destination ${r.destId}`}, SCN ${r.firstScn}..${r.nextScn})`);
      }
      this.shippedTotal += ready.length;
    }
    for (const p of plans) {
      const next = advance(p.start, this.verified.get(p.thread) ?? new Set(), last.get(p.thread));
      if (next !== undefined && next !== last.get(p.thread)) {
        writeFileAtomic(state.lastArchSeq(p.thread), `${next}\n`);
        log.info(`last_arch_seq_thread${p.thread}: ${next}`);
      }
    }
    for (const g of gaps) {
      const key = `${g.thread}/${g.sequence}/${g.reason}`;
      if (this.reportedGaps.has(key)) continue;
      this.reportedGaps.add(key);
      log.error(`GAP: archived log thread ${g.thread} sequence ${g.sequence}: ${g.reason}; the standby cannot recover past it`);
    }
    this.writeProgress(dest.destId, threadProgress(rows, this.lastShipped(), current), gaps);
    return { shipped: ready.length, gaps, inUse: [...busy] };
  }

  /** The progress file for status: `gaps` given = the pass completed (updatedAt); otherwise an observation only. */
  private writeProgress(destId: number, threads: ShipProgress['threads'], gaps?: Gap[]): void {
    const file = this.ctx.state.progress('copy_archivelog');
    const prev = readJsonIfExists<ShipProgress>(file);
    const same = prev?.cutoffScn === this.cutoff.toString();
    const now = new Date().toISOString();
    const updatedAt = gaps ? now : same ? prev?.updatedAt : undefined;
    const progress: ShipProgress = {
      pid: process.pid,
      ...(updatedAt && { updatedAt }),
      observedAt: now,
      cutoffScn: this.cutoff.toString(),
      destId,
      shippedTotal: this.shippedTotal,
      threads,
      gaps: gaps ?? (same ? prev?.gaps ?? [] : []),
    };
    writeJsonAtomic(file, progress);
  }
}

export function gapError(gaps: Gap[]): GapError {
  return new GapError(
    `archived-log gap: ${gaps.map((g) => `thread ${g.thread} sequence ${g.sequence} (${g.reason})`).join('; ')}`,
    "restore the missing log(s) into the archive destination (RMAN: RESTORE ARCHIVELOG SEQUENCE n THREAD t), or catalog a copy you have (RMAN: CATALOG ARCHIVELOG '/path/file'), then run copy_archivelog again; if it cannot be restored, the standby must be rebuilt from a new hot backup",
  );
}
