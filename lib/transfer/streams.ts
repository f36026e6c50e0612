// The per-batch side of a backup run's transfer: each rsync gets the flags of its files' mode
// (whole-file, or delta with its block size), --stats, and its share of the bandwidth budget;
// when it ends, its share goes back and its statistics are logged and added up.
import type { Batch } from '../backup/plan.ts';
import type { Logger } from '../log.ts';
import { bwlimitArg, describeRate, type StreamShares } from './bandwidth.ts';
import type { RefreshPlan } from './batches.ts';
import { modeArgs } from './delta.ts';
import { addStats, describeStats, StatsParser, zeroStats, type RsyncStats } from './stats.ts';

export interface RunTotals {
  delta: RsyncStats;
  whole: RsyncStats;
  /** Seconds the delta batches ran (summed over streams). */
  deltaSeconds: number;
}

export class BatchTransfers {
  private parsers = new Map<number, { parser: StatsParser; started: number; token?: number }>();
  readonly totals: RunTotals = { delta: zeroStats(), whole: zeroStats(), deltaSeconds: 0 };

  constructor(
    private readonly plan: RefreshPlan,
    private readonly log: Logger,
    private readonly shares?: StreamShares,
    private readonly onStats?: (all: RsyncStats) => void,
  ) {}

  private modeOf(batch: Batch) {
    return this.plan.modes.get(batch.files[0]!.fileId) ?? { mode: 'whole' as const, why: 'no DR copy' as const };
  }

  /** Flags for a batch about to start; `queuedAfter` batches are still waiting. */
  args(batch: Batch, queuedAfter: number): string[] {
    const args = [...modeArgs(this.modeOf(batch)), '--stats'];
    const entry: { parser: StatsParser; started: number; token?: number } = { parser: new StatsParser(), started: Date.now() };
    if (this.shares) {
      const g = this.shares.grant(queuedAfter);
      entry.token = g.token;
      args.push(bwlimitArg(g.bytesPerSec));
      const others = this.shares.inUse - g.bytesPerSec;
      this.log.info(`batch ${batch.id}: bandwidth share ${describeRate(g.bytesPerSec)} of the datafile budget ${describeRate(this.shares.budgetBytesPerSec)} (${others ? describeRate(others) : 'none'} held by the other running streams)`);
    }
    this.parsers.set(batch.id, entry);
    return args;
  }

  output(batch: Batch, line: string): void {
    this.parsers.get(batch.id)?.parser.line(line);
  }

  done(batch: Batch): void {
    const e = this.parsers.get(batch.id);
    if (!e) return;
    this.parsers.delete(batch.id);
    if (e.token !== undefined) this.shares?.release(e.token);
    if (!e.parser.complete) return; // failed or killed: rsync printed no statistics
    const m = this.modeOf(batch);
    const s = e.parser.stats;
    if (m.mode === 'delta') {
      this.totals.delta = addStats(this.totals.delta, s);
      this.totals.deltaSeconds += (Date.now() - e.started) / 1000;
    } else {
      this.totals.whole = addStats(this.totals.whole, s);
    }
    this.log.info(`batch ${batch.id} (${m.mode === 'delta' ? `delta, ${m.blockSize! / 1024} KiB blocks` : 'whole files'}): ${describeStats(s)}`);
    this.onStats?.(this.all());
  }

  all(): RsyncStats {
    return addStats(this.totals.delta, this.totals.whole);
  }
}
