// CPU seconds of each end of a transfer, from cgroup (v1 cpuacct) accounting: this process and
// everything it starts (rsync, ssh and its ControlMaster, the tools, the simulated database)
// are in `prod`; the DR sshd and every session it forks are in `dr` (its start argv is
// prefixed with drWrap()); the delay relay is in `net`. Unavailable (no cgroup fs, not root):
// every figure is undefined and the tables say n/a.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = '/sys/fs/cgroup/cpuacct';

export interface CpuSample {
  prod: number;
  dr: number;
}

export class CpuMeter {
  private constructor(readonly dir: string) {}

  static create(): CpuMeter | undefined {
    if (!existsSync(join(ROOT, 'cpuacct.usage'))) return undefined;
    try {
      for (const d of readdirSync(ROOT)) {
        const m = /^drbench-(\d+)$/.exec(d);
        if (m && !existsSync(`/proc/${m[1]}`)) for (const sub of ['prod', 'dr', 'net', '']) rmdirSync(join(ROOT, d, sub), { recursive: false } as never);
      }
    } catch {
      /* a stale group still holding processes: leave it */
    }
    const dir = join(ROOT, `drbench-${process.pid}`);
    try {
      for (const sub of ['', 'prod', 'dr', 'net']) mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, 'prod', 'cgroup.procs'), String(process.pid));
      return new CpuMeter(dir);
    } catch {
      return undefined;
    }
  }

  /** argv prefix that starts a program in the given group. */
  wrap(group: 'dr' | 'net'): string[] {
    return ['sh', '-c', `echo $$ > ${join(this.dir, group, 'cgroup.procs')} && exec "$@"`, 'cgwrap'];
  }

  sample(): CpuSample {
    const read = (g: string) => Number(readFileSync(join(this.dir, g, 'cpuacct.usage'), 'utf8')) / 1e9;
    return { prod: read('prod'), dr: read('dr') };
  }

  /** Moves this process back to the root group and removes the groups (left in place while processes remain). */
  dispose(): void {
    try {
      writeFileSync(join(ROOT, 'cgroup.procs'), String(process.pid));
      for (const sub of ['prod', 'dr', 'net', '']) rmdirSync(join(this.dir, sub));
    } catch {
      /* processes still inside: the next run sweeps it */
    }
  }
}

/** CPU seconds used between two samples (both ends). */
export function cpuBetween(a: CpuSample | undefined, b: CpuSample | undefined): CpuSample | undefined {
  return a && b ? { prod: b.prod - a.prod, dr: b.dr - a.dr } : undefined;
}
