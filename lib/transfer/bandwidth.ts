// Bandwidth politeness: transfer.max_rate is a total for everything this suite sends, not a
// limit per rsync process. rsync can only limit itself (--bwlimit, on the bytes it writes to
// the socket, after compression), so the total is divided:
//  - archived-log shipping gets transfer.archivelog_share of it for its own (one) rsync at a
//    time, always: the datafile copy can never starve it (logs are the RPO);
//  - the datafile copy gets the rest, handed out to its parallel rsync streams as they start
//    (StreamShares): a stream gets an equal part of what is not held by running streams,
//    counting the streams about to start with it, so the sum of running limits never exceeds
//    the budget, and the last streams of a run get what the finished ones gave back.
// A running rsync's limit cannot change, so a stream keeps what it got until it ends.

export interface BandwidthPlan {
  /** Total bytes per second, undefined when unlimited. */
  totalBytesPerSec?: number;
  archivelogBytesPerSec?: number;
  datafileBytesPerSec?: number;
}

export function planBandwidth(maxRateBytesPerSec: number | undefined, archivelogShare: number): BandwidthPlan {
  if (!maxRateBytesPerSec) return {};
  const arch = Math.floor(maxRateBytesPerSec * archivelogShare);
  return { totalBytesPerSec: maxRateBytesPerSec, archivelogBytesPerSec: arch, datafileBytesPerSec: maxRateBytesPerSec - arch };
}

/** rsync's --bwlimit value: KiB (1024 bytes) per second, at least 1 (0 would mean unlimited). */
export function bwlimitArg(bytesPerSec: number): string {
  return `--bwlimit=${Math.max(1, Math.floor(bytesPerSec / 1024))}`;
}

export function describeRate(bytesPerSec: number | undefined): string {
  if (!bytesPerSec) return 'unlimited';
  return `${((bytesPerSec * 8) / 1e6).toFixed(1)} Mbit/s`;
}

export class StreamShares {
  private held = new Map<number, number>();
  private next = 1;

  constructor(
    readonly budgetBytesPerSec: number,
    readonly slots: number,
  ) {}

  get inUse(): number {
    let n = 0;
    for (const v of this.held.values()) n += v;
    return n;
  }

  /**
   * A share for a stream that starts now, with `queuedAfter` streams still waiting to start.
   * Returns its bytes per second and a token for release().
   */
  grant(queuedAfter: number): { bytesPerSec: number; token: number } {
    const idle = Math.max(1, this.slots - this.held.size);
    const starting = Math.min(idle, 1 + Math.max(0, queuedAfter));
    const free = Math.max(0, this.budgetBytesPerSec - this.inUse);
    const bytesPerSec = Math.max(1024, Math.floor(free / starting));
    const token = this.next++;
    this.held.set(token, bytesPerSec);
    return { bytesPerSec, token };
  }

  release(token: number): void {
    this.held.delete(token);
  }
}
