// The transfer side of hot_backup_ts: per run, the choices of prepare.ts; per round of
// copies, whether this is a refresh of an existing DR copy (sizes of the DR files), which
// files go whole and which by delta with which block size, the bandwidth shares of the
// streams, and afterwards what was sent against the file bytes (logged, shown by the
// monitor, remembered to decide the next run's whole-file/delta question).
import path from 'node:path';
import type { BackupPlan } from '../backup/plan.ts';
import type { ToolContext } from '../context.ts';
import type { Remote } from '../remote.ts';
import { fileSafeName, readJsonIfExists, writeJsonAtomic } from '../state.ts';
import { bwlimitArg, StreamShares } from './bandwidth.ts';
import { planRefresh, type RefreshPlan } from './batches.ts';
import { decideRunMode, type RefreshHistory } from './delta.ts';
import { drFileSizes, localFileSizes } from './drFiles.ts';
import type { LinkCapabilities } from './capabilities.ts';
import { prepareTransfer, type TransferSetup } from './prepare.ts';
import { compressionForData, describeDataCompression, type CompressionChoice } from './compression.ts';
import { sampleCompressibility } from './sample.ts';
import { describeStats, type RsyncStats } from './stats.ts';
import { BatchTransfers } from './streams.ts';

export interface TransferReport {
  kind: 'refresh' | 'full copy';
  summary: string;
  fileBytes: number;
  sentBytes: number;
}

export class DatafileTransfer {
  private constructor(
    private readonly ctx: ToolContext,
    private readonly remote: Remote,
    readonly setup: TransferSetup,
  ) {}

  /** `caps`: detected beforehand (openHotBackupLink); otherwise asked now. */
  static async start(ctx: ToolContext, remote: Remote, caps?: LinkCapabilities): Promise<DatafileTransfer> {
    return new DatafileTransfer(ctx, remote, await prepareTransfer(ctx, remote, caps));
  }

  private historyFile(): string {
    return path.join(this.ctx.state.dir, `refresh.${fileSafeName(this.ctx.config.oracle.sid)}.json`);
  }

  /** Flags for every datafile rsync of a round: its compression, then the run's checksum. */
  roundArgs(round: { compression: CompressionChoice }): string[] {
    return [...round.compression.args, ...this.setup.checksum.args];
  }

  /** Flags for the standby controlfile's copy: the same, limited to the datafile budget. */
  get singleFileArgs(): string[] {
    const b = this.setup.bandwidth.datafileBytesPerSec;
    return [...this.setup.args, ...(b ? [bwlimitArg(b)] : [])];
  }

  /** Decides the transfer of one round's files; returns its batches and the per-batch hooks for copyPlan. */
  async planRound(plan: BackupPlan, onStats: (r: TransferReport) => void): Promise<{ refresh: RefreshPlan; hooks: BatchTransfers; report: TransferReport; compression: CompressionChoice }> {
    const { config, log } = this.ctx;
    const files = plan.batches.flatMap((b) => b.files);
    const drSizes = drFileSizes(this.remote, files.map((f) => f.dest)); // over ssh while the sample is read here
    drSizes.catch(() => undefined);
    const compression = compressionForData(this.setup.compression, config.transfer.compression, this.setup.compression.args.length ? sampleCompressibility(files) : undefined);
    log.info(describeDataCompression(compression));
    const sizes = { source: localFileSizes(files.map((f) => f.source)), dr: await drSizes };
    const anySame = files.some((f) => sizes.dr.get(f.dest) === sizes.source.get(f.source));
    const history = readJsonIfExists<RefreshHistory>(this.historyFile()) ?? {};
    const run = anySame ? decideRunMode(config.transfer.delta, await this.setup.link(), history) : { mode: 'whole' as const, reason: 'nothing to refresh' };
    const refresh = planRefresh(plan.batches, sizes, run);
    log.info(refresh.summary);
    const report: TransferReport = { kind: refresh.refresh ? 'refresh' : 'full copy', summary: refresh.summary, fileBytes: 0, sentBytes: 0 };
    const budget = this.setup.bandwidth.datafileBytesPerSec;
    const shares = budget ? new StreamShares(budget, config.backup.parallel) : undefined;
    const hooks = new BatchTransfers(refresh, log, shares, (all: RsyncStats) => {
      report.fileBytes = all.fileBytes;
      report.sentBytes = all.sentBytes;
      onStats(report);
    });
    return { refresh, hooks, report, compression };
  }

  /** After a round: the totals in the log, and what the next run's whole-file/delta decision learns from them. */
  finishRound(r: { refresh: RefreshPlan; hooks: BatchTransfers; report: TransferReport }, copySeconds: number): void {
    const { log } = this.ctx;
    const all = r.hooks.all();
    if (all.fileBytes === 0) return;
    log.info(`${r.report.kind}: ${describeStats(all)} in ${copySeconds.toFixed(1)} s`);
    const d = r.hooks.totals.delta;
    if (d.fileBytes > 0) {
      const h: RefreshHistory = { changedFraction: d.literalBytes / d.fileBytes, at: new Date().toISOString() };
      if (d.fileBytes >= 0.8 * all.fileBytes && copySeconds > 0) h.scanBytesPerSec = Math.round(d.fileBytes / copySeconds);
      else h.scanBytesPerSec = readJsonIfExists<RefreshHistory>(this.historyFile())?.scanBytesPerSec;
      writeJsonAtomic(this.historyFile(), h);
    }
  }
}
