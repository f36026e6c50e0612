// copy_archivelog: record the cutoff SCN, then every poll check the incarnation, list the
// archived logs needed from it in every local destination (and RMAN's copies), ship one
// readable copy of each not yet on DR (one rsync for all of them, temp name + rename on DR, so
// a log there is always complete), and advance last_arch_seq_thread<N>.<sid> over the
// contiguous run that is verified. A log no copy of which can be read is a gap: logged as an
// error when first seen, with where the log still exists (gaps.ts), kept in the progress file
// (the monitor shows it every refresh), exit 7 with --once. A log apply_standby found missing on
// DR is shipped again (reship.ts); a log whose transfer failed is recorded as such until it ships.
// A log whose production name is not LOG_ARCHIVE_FORMAT's (OMF names in a fast recovery area) is
// shipped under the format's name, the one the standby's RECOVER AUTOMATIC looks for (drNames.ts):
// rsync copies it through a symbolic link of that name (--copy-links).
import fs from 'node:fs';
import path from 'node:path';
import type { ToolContext } from '../context.ts';
import type { ArchivedLogRow, Database } from '../db/database.ts';
import { GapError, TransferError } from '../errors.ts';
import { run } from '../exec.ts';
import type { Remote } from '../remote.ts';
import { describeExit, startRsync } from '../rsync.ts';
import { ensureDir, readJsonIfExists, writeFileAtomic, writeJsonAtomic } from '../state.ts';
import { checkIncarnation } from './cutoff.ts';
import { chooseLocalDests } from './dest.ts';
import { drNameOf, type DrName } from './drNames.ts';
import { gapHint, gapText, locateGaps } from './gaps.ts';
import { advance, filesToCheck, planShipping, type Gap } from './plan.ts';
import { threadProgress, type FailedShipment, type ShipProgress } from './progress.ts';
import { readReshipRequests, reshipKey } from './reship.ts';
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
  /** Reship requests (reship.ts) served by this run. */
  private servedReship = new Set<string>();
  /** Production's LOG_ARCHIVE_FORMAT ('' when not set), read once per run. */
  private format: string | undefined;
  private warnedUnmatched = false;
  /** Logs whose last transfer failed, with rsync's words, until they ship. */
  private failed = new Map<string, FailedShipment>();
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
    const last = state.shippedSequences();
    // What production has, recorded before shipping: when the transfer fails, status still sees how far behind DR falls.
    this.writeProgress(dest.destId, threadProgress(rows, last, current));
    const requests = readReshipRequests(state).filter((q) => !this.servedReship.has(reshipKey(q)) && q.sequence <= (last.get(q.thread) ?? -1));
    const again = new Map<number, Set<number>>();
    for (const q of requests) again.set(q.thread, (again.get(q.thread) ?? new Set()).add(q.sequence));
    const isAgain = (r: { thread: number; sequence: number }) => again.get(r.thread)?.has(r.sequence) === true;
    const plans = planShipping(rows, last, this.cutoff, fileSizes(filesToCheck(rows, last, again)), dest.destId, again);
    let gaps = plans.flatMap((p) => p.gaps);
    if (gaps.length) gaps = locateGaps(gaps, rows, await this.db.backupRedologs(this.cutoff));
    const candidates = plans.flatMap((p) => p.toShip).filter((r) => isAgain(r) || !this.verified.get(r.thread)?.has(r.sequence));
    const busy = await openFiles(candidates.map((r) => r.name));
    const ready = candidates.filter((r) => !busy.has(r.name));
    for (const r of candidates.filter((x) => busy.has(x.name))) log.info(`thread ${r.thread} sequence ${r.sequence} is still open (${r.name}): next pass`);

    if (ready.length) {
      this.format ??= (await this.db.logArchiveFormat()) ?? '';
      const dr = new Map(ready.map((r) => [r, drNameOf(r, this.format || undefined)]));
      const names = this.sources(dr);
      this.warnUnmatched(dr);
      for (const r of ready.filter(isAgain)) log.info(`shipping thread ${r.thread} sequence ${r.sequence} again: apply_standby found it missing on DR`);
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
        this.recordFailed(dr, res.errors.length ? res.errors : [describeExit(res.code)]);
        this.writeProgress(dest.destId, threadProgress(rows, last, current));
        throw new TransferError(`shipping ${ready.length} archived log(s) to ${this.remote.describe()} failed: ${describeExit(res.code)}${res.errors.length ? `: ${res.errors.slice(-3).join(' | ')}` : ''}`, 'the next pass retries them; check the DR host, its free space and ssh access');
      }
      for (const r of ready) {
        let set = this.verified.get(r.thread);
        if (!set) this.verified.set(r.thread, (set = new Set()));
        set.add(r.sequence);
        this.failed.delete(`${r.thread}/${r.sequence}`);
        const as = dr.get(r)!.renamed ? ` as ${dr.get(r)!.name} (LOG_ARCHIVE_FORMAT ${this.format}: the name the standby's recovery looks for)` : '';
        log.info(`shipped thread ${r.thread} sequence ${r.sequence} (${r.name} from ${r.destId === 0 ? 'an RMAN restore or catalog (DEST_ID 0)' : `destination ${r.destId}`}, SCN ${r.firstScn}..${r.nextScn})${as}`);
      }
      this.shippedTotal += ready.length;
      for (const q of requests) if (ready.some((r) => r.thread === q.thread && r.sequence === q.sequence)) this.servedReship.add(reshipKey(q));
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
      log.error(`GAP: archived log ${gapText(g)}: the standby cannot recover past it`);
    }
    this.writeProgress(dest.destId, threadProgress(rows, state.shippedSequences(), current), gaps);
    return { shipped: ready.length, gaps, inUse: [...busy] };
  }

  /**
   * What rsync is given for each log: its own name, or a symbolic link named as on DR (in a
   * private directory emptied each time) when it is shipped under another name.
   */
  private sources(dr: Map<ArchivedLogRow, DrName>): string[] {
    if (![...dr.values()].some((d) => d.renamed)) return [...dr.keys()].map((r) => r.name);
    const dir = this.ctx.state.shipNames();
    fs.rmSync(dir, { recursive: true, force: true });
    ensureDir(dir);
    return [...dr].map(([r, d]) => {
      if (!d.renamed) return r.name;
      const link = path.join(dir, d.name);
      fs.symlinkSync(r.name, link);
      return link;
    });
  }

  /** Said once per run: production's log names cannot be given the standby's names. */
  private warnUnmatched(dr: Map<ArchivedLogRow, DrName>): void {
    const odd = [...dr].find(([, d]) => d.unmatched);
    if (!odd || this.warnedUnmatched) return;
    this.warnedUnmatched = true;
    this.ctx.log.warn(`archived logs are named like ${path.basename(odd[0].name)} on production, not by LOG_ARCHIVE_FORMAT (${this.format}), and copy_archivelog fills in only %t, %s and %r: the standby's RECOVER AUTOMATIC will not find them under that name; set LOG_ARCHIVE_FORMAT to e.g. %t_%s_%r.arc on production and the standby`);
  }

  /** The logs of a failed transfer that rsync's error lines name (all of them when it names none). */
  private recordFailed(dr: Map<ArchivedLogRow, DrName>, errors: string[]): void {
    const ready = [...dr.keys()];
    const mentions = (e: string, r: ArchivedLogRow) => e.includes(path.basename(r.name)) || e.includes(dr.get(r)!.name);
    const named = ready.filter((r) => errors.some((e) => mentions(e, r)));
    const at = new Date().toISOString();
    for (const r of named.length ? named : ready) {
      const error = errors.find((e) => mentions(e, r)) ?? errors.at(-1)!;
      this.failed.set(`${r.thread}/${r.sequence}`, { thread: r.thread, sequence: r.sequence, error, at });
    }
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
      ...(this.failed.size && { failed: [...this.failed.values()] }),
    };
    writeJsonAtomic(file, progress);
  }
}

export function gapError(gaps: Gap[]): GapError {
  return new GapError(`archived-log gap: ${gaps.map(gapText).join('; ')}`, gapHint(gaps));
}
