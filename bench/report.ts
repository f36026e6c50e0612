// Bench tables: one row per measurement, medians of repeated runs, ratios computed in the
// same run. No figure is compared with a fixed wall-clock target anywhere.
import type { CpuSample } from './cpu.ts';

/** The median (of an even count: the mean of the two middle values, not the larger one). */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** The spread of repeated runs: (max - min) / median. */
export const spread = (xs: number[]): number => (xs.length < 2 ? 0 : (Math.max(...xs) - Math.min(...xs)) / median(xs));
export const fmt = (n: number | undefined, d = 2): string => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(d));
export const cpuText = (c: CpuSample | undefined): string => (c ? `${fmt(c.prod + c.dr, 1)} (${fmt(c.prod, 1)}+${fmt(c.dr, 1)})` : 'n/a');

export class Table {
  private rows: string[][] = [];
  /** Lines printed under the rows, outside the columns (a long note must not widen them). */
  private notes: { after: number; text: string }[] = [];
  constructor(
    readonly title: string,
    readonly head: string[],
  ) {}
  add(row: (string | number | undefined)[]): void {
    this.rows.push(row.map((c) => (typeof c === 'number' ? fmt(c) : c ?? '')));
  }
  note(text: string): void {
    this.notes.push({ after: this.rows.length, text });
  }
  render(): string {
    const widths = this.head.map((h, i) => Math.max(h.length, ...this.rows.map((r) => (r[i] ?? '').length)));
    const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    const body: string[] = [];
    for (let i = 0; i <= this.rows.length; i++) {
      for (const n of this.notes) if (n.after === i) body.push(n.text);
      if (i < this.rows.length) body.push(line(this.rows[i]!));
    }
    return [`\n${this.title}`, line(this.head), widths.map((n) => '-'.repeat(n)).join('  '), ...body].join('\n');
  }
}
