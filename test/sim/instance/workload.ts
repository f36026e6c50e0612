// Seeded workload: changes random blocks of online read-write datafiles at a given rate
// (changes per second). In a CDB: of every container open READ WRITE (the root and the open
// PDBs; never PDB$SEED, a PDB open READ ONLY or a MOUNTED PDB: Instance.liveFiles). Each tick makes its changes and writes journal then redo.
import { PAYLOAD_END, PAYLOAD_START } from './block.ts';
import { type Datafile, tablespaceOf } from './control.ts';
import type { Instance } from './instance.ts';
import { Prng } from './prng.ts';

export class Workload {
  rate = 0;
  changes = 0;
  redoBytes = 0;
  startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private prng: Prng;
  private carry = 0;
  private last = 0;
  private files: Datafile[] = [];
  private cum: number[] = [];
  private listedAt = 0;
  private generation = -1;

  constructor(private inst: Instance, seed: number) {
    this.prng = new Prng(seed ^ 0x5eed);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(rate: number): void {
    this.rate = rate;
    if (!this.timer) {
      this.last = Date.now();
      this.startedAt = this.last;
      this.changes = 0;
      this.redoBytes = 0;
      this.timer = setInterval(() => this.tick(), 20);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private eligible(): Datafile[] {
    const now = Date.now();
    // re-list when a file stopped (or started) being written: a closed PDB or a READ ONLY
    // tablespace must not get one more change after its checkpoint
    if (now - this.listedAt > 300 || this.generation !== this.inst.liveGeneration) {
      this.generation = this.inst.liveGeneration;
      const c = this.inst.c;
      this.files = this.inst.liveFiles().filter((d) => {
        const t = tablespaceOf(c, d.ts, d.conId);
        return t.status === 'ONLINE' && t.contents !== 'TEMPORARY';
      });
      let acc = 0;
      this.cum = this.files.map((d) => (acc += d.blocks - 1));
      this.listedAt = now;
    }
    return this.files;
  }

  pick(): { file: number; block: number } | undefined {
    const files = this.eligible();
    if (!files.length) return undefined;
    const r = this.prng.next() * this.cum[this.cum.length - 1]!;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    const d = files[lo]!;
    return { file: d.file, block: this.prng.int(2, d.blocks) };
  }

  /** Makes up to n changes now; stops early when the online log is full (a switch is requested). */
  apply(n: number, target?: { file: number; block?: number }, nologging = false): number[] {
    const inst = this.inst;
    if (!inst.isOpen() || !inst.lw) return [];
    const redo: Buffer[] = [];
    const truth: Buffer[] = [];
    const scns: number[] = [];
    let room = inst.spaceLeft();
    let full = false;
    for (let i = 0; i < n; i++) {
      const p = target ? { file: target.file, block: target.block ?? this.prng.int(2, inst.datafile(target.file).blocks) } : this.pick();
      if (!p) break;
      const len = this.prng.int(16, 160);
      const offset = this.prng.int(PAYLOAD_START, PAYLOAD_END - len);
      if (room < 8192 + 64) {
        full = true;
        break;
      }
      const ch = inst.change(p.file, p.block, offset, this.prng.bytes(len), nologging);
      redo.push(ch.redo);
      truth.push(ch.truth);
      scns.push(ch.scn);
      room -= ch.redo.length;
      this.redoBytes += ch.redo.length;
    }
    // the redo of these changes goes to the current log BEFORE the switch: a record's SCN is never
    // below its log's FIRST_CHANGE# (recovery that resumes at a log boundary relies on it)
    inst.commit(redo, truth);
    if (full) void inst.switchLog('LGWR switch').catch(() => undefined);
    this.changes += scns.length;
    return scns;
  }

  private tick(): void {
    const now = Date.now();
    this.carry += ((now - this.last) * this.rate) / 1000;
    this.last = now;
    const n = Math.floor(this.carry);
    if (n <= 0) return;
    this.carry = Math.min(this.carry - n, this.rate);
    this.apply(Math.min(n, Math.max(50, this.rate)));
  }

  stats(): { rate: number; running: boolean; changes: number; redoBytes: number; seconds: number } {
    return { rate: this.rate, running: this.running, changes: this.changes, redoBytes: this.redoBytes, seconds: (Date.now() - this.startedAt) / 1000 };
  }
}
