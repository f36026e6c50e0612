// The hot backup's progress for the monitor window: bytes, rate, ETA and the state of each
// tablespace, rewritten atomically once a second (the monitor never talks to the database).
import { writeJsonAtomic } from '../state.ts';
import type { BackupPlan } from './plan.ts';

export interface BackupProgress {
  pid: number;
  startedAt: string;
  updatedAt: string;
  totalBytes: number;
  doneBytes: number;
  rateBytesPerSec: number;
  etaSeconds: number | null;
  tablespaces: Record<string, 'pending' | 'done' | 'failed'>; // in backup mode: see the in-flight file
  finished: boolean;
  /** Refresh of an existing DR copy or full copy, and rsync's bytes sent for the file bytes of finished batches. */
  transfer?: { kind: 'refresh' | 'full copy'; fileBytes: number; sentBytes: number };
}

export class Progress {
  private data: BackupProgress | undefined;
  private timer: NodeJS.Timeout | undefined;
  private samples: { t: number; b: number }[] = [];

  constructor(private readonly file: string) {}

  start(plan: BackupPlan): void {
    const now = new Date().toISOString();
    this.data = {
      pid: process.pid,
      startedAt: this.data?.startedAt ?? now,
      updatedAt: now,
      totalBytes: plan.totalBytes,
      doneBytes: 0,
      rateBytesPerSec: 0,
      etaSeconds: null,
      tablespaces: Object.fromEntries(plan.tablespaces.map((t) => [t.name, 'pending' as const])),
      finished: false,
    };
    this.samples = [];
    this.write();
    this.timer ??= setInterval(() => this.write(), 1000);
    this.timer.unref();
  }

  bytes(done: number): void {
    if (!this.data) return;
    this.data.doneBytes = Math.min(done, this.data.totalBytes);
    const t = Date.now();
    this.samples.push({ t, b: this.data.doneBytes });
    while (this.samples.length > 2 && t - this.samples[0].t > 10_000) this.samples.shift();
  }

  transfer(t: { kind: 'refresh' | 'full copy'; fileBytes: number; sentBytes: number }): void {
    if (this.data) this.data.transfer = { kind: t.kind, fileBytes: t.fileBytes, sentBytes: t.sentBytes };
  }

  tablespaceDone(ts: string): void {
    if (this.data) this.data.tablespaces[ts] = 'done';
  }

  tablespaceFailed(ts: string): void {
    if (this.data) this.data.tablespaces[ts] = 'failed';
  }

  private write(): void {
    if (!this.data) return;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const dt = first && last ? (last.t - first.t) / 1000 : 0;
    this.data.rateBytesPerSec = dt > 0 ? Math.round((last.b - first.b) / dt) : 0;
    const left = this.data.totalBytes - this.data.doneBytes;
    this.data.etaSeconds = this.data.rateBytesPerSec > 0 ? Math.round(left / this.data.rateBytesPerSec) : null;
    this.data.updatedAt = new Date().toISOString();
    writeJsonAtomic(this.file, this.data);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.data) {
      this.data.finished = true;
      this.write();
    }
  }
}
