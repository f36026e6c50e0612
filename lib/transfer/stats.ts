// rsync's --stats, per batch and for the run: file bytes against bytes sent, literal (changed)
// against matched data. A refresh is judged by these figures, not by hope.
export interface RsyncStats {
  /** "Total transferred file size": bytes of the files rsync handled. */
  fileBytes: number;
  literalBytes: number;
  matchedBytes: number;
  sentBytes: number;
  receivedBytes: number;
}

const FIELDS: [RegExp, keyof RsyncStats][] = [
  [/^Total transferred file size: ([\d,.' ]+) bytes/, 'fileBytes'],
  [/^Literal data: ([\d,.' ]+) bytes/, 'literalBytes'],
  [/^Matched data: ([\d,.' ]+) bytes/, 'matchedBytes'],
  [/^Total bytes sent: ([\d,.' ]+)/, 'sentBytes'],
  [/^Total bytes received: ([\d,.' ]+)/, 'receivedBytes'],
];

/** Collects the --stats lines of one rsync run (numbers may carry thousands separators). */
export class StatsParser {
  private seen = 0;
  readonly stats: RsyncStats = { fileBytes: 0, literalBytes: 0, matchedBytes: 0, sentBytes: 0, receivedBytes: 0 };

  /** Returns true when the line was a statistics line. */
  line(l: string): boolean {
    for (const [re, key] of FIELDS) {
      const m = re.exec(l.trim());
      if (m) {
        this.stats[key] = Number(m[1]!.replace(/\D/g, ''));
        this.seen++;
        return true;
      }
    }
    return false;
  }

  get complete(): boolean {
    return this.seen >= FIELDS.length;
  }
}

export const pct = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)} %` : '-');

export function mib(n: number): string {
  return `${(n / 2 ** 20).toFixed(1)} MiB`;
}

/** "1.2 MiB sent for 600.0 MiB of files (0.2 %): 0.9 MiB changed, 599.1 MiB matched on DR" */
export function describeStats(s: RsyncStats): string {
  return `${mib(s.sentBytes)} sent for ${mib(s.fileBytes)} of files (${pct(s.sentBytes, s.fileBytes)}): ${mib(s.literalBytes)} changed or new, ${mib(s.matchedBytes)} matched on DR, ${mib(s.receivedBytes)} of checksums back`;
}

export function addStats(a: RsyncStats, b: RsyncStats): RsyncStats {
  return {
    fileBytes: a.fileBytes + b.fileBytes,
    literalBytes: a.literalBytes + b.literalBytes,
    matchedBytes: a.matchedBytes + b.matchedBytes,
    sentBytes: a.sentBytes + b.sentBytes,
    receivedBytes: a.receivedBytes + b.receivedBytes,
  };
}

export const zeroStats = (): RsyncStats => ({ fileBytes: 0, literalBytes: 0, matchedBytes: 0, sentBytes: 0, receivedBytes: 0 });
