// Which shipped logs in the DR archive directory housekeeping deletes (pure; applied by
// housekeeping.ts). A log goes only when the standby has applied it — its sequence is below the
// next one the standby needs for its thread, per a fresh, error-free apply pass of the current
// hot backup cycle — and it is older than standby.housekeeping.retention_hours. A file whose
// name is not a shipped log's (the standby's LOG_ARCHIVE_FORMAT, which is production's: the
// shipper ships every log under that name, lib/archivelog/drNames.ts) is never touched.
import { humanBytes } from '../status/format.ts';
import type { ApplyProgress } from '../status/standby.ts';

export interface DrFile {
  /** File name in the directory (no directory part). */
  name: string;
  mtimeMs: number;
  bytes: number;
}

export interface DfUsage {
  totalBytes: number;
  usedBytes: number;
  availBytes: number;
  usedPercent: number;
  mount: string;
}

export interface HousekeepingInput {
  files: DrFile[];
  /** LOG_ARCHIVE_FORMAT of the standby instance (undefined: it did not say). */
  format: string | undefined;
  progress: ApplyProgress | undefined;
  /** The current hot backup cycle (its consistent point's recordedAt), undefined when none is known (run_on: local). */
  cycle: string | undefined;
  retentionHours: number;
  now: Date;
}

export interface DeletableLog {
  name: string;
  thread: number;
  sequence: number;
}

export interface HousekeepingPlan {
  delete: DeletableLog[];
  /** Shipped logs (names of the format) left in place. */
  kept: number;
  /** Why nothing may be deleted this time. */
  skipped?: string;
}

/** An apply report older than this may not say what the standby has applied now. */
export const MAX_PROGRESS_AGE_SECONDS = 600;

interface NamePattern {
  parse(name: string): { thread: number; sequence: number; resetlogs?: string } | undefined;
}

/**
 * LOG_ARCHIVE_FORMAT as a pattern: %t/%T thread, %s/%S sequence, %r/%R resetlogs id, %a/%A
 * activation id, %d/%D database id (upper case: zero-padded). Undefined when the names cannot
 * be read back: no %t or %s, or two variables with no text between them.
 */
export function archiveNamePattern(format: string): NamePattern | undefined {
  const groups: string[] = [];
  let re = '^';
  let lastWasVar = false;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    const v = c === '%' ? format[i + 1]?.toLowerCase() : undefined;
    if (v && 'tsrad'.includes(v)) {
      if (lastWasVar) return undefined;
      groups.push(v);
      re += v === 'd' ? '([0-9A-Fa-f]+)' : '(\\d+)';
      lastWasVar = true;
      i++;
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      lastWasVar = false;
    }
  }
  if (!groups.includes('t') || !groups.includes('s')) return undefined;
  const rx = new RegExp(`${re}$`);
  return {
    parse(name) {
      const m = rx.exec(name);
      if (!m) return undefined;
      const at = (v: string) => m[groups.indexOf(v) + 1];
      const r = groups.includes('r') ? at('r') : undefined;
      return { thread: Number(at('t')), sequence: Number(at('s')), ...(r !== undefined && { resetlogs: r }) };
    },
  };
}

function refusal(input: HousekeepingInput): string | undefined {
  const p = input.progress;
  if (!p) return 'no apply progress yet (state/apply_standby.<sid>.progress.json)';
  if (p.lastError) return `the last apply pass reported an error (${p.lastError})`;
  if (p.cycle !== input.cycle) return `the apply progress is of another hot backup cycle (${p.cycle ?? 'none'}; the current one finished ${input.cycle ?? 'none'})`;
  const age = Math.round((input.now.getTime() - Date.parse(p.updatedAt)) / 1000);
  if (!(age <= MAX_PROGRESS_AGE_SECONDS)) return `the apply progress is ${age} s old (more than ${MAX_PROGRESS_AGE_SECONDS} s): it may not say what the standby has applied`;
  return undefined;
}

export function planHousekeeping(input: HousekeepingInput): HousekeepingPlan {
  if (input.format === undefined) return { delete: [], kept: 0, skipped: 'the standby did not report its LOG_ARCHIVE_FORMAT (V$PARAMETER), which names the shipped logs' };
  const pattern = archiveNamePattern(input.format);
  if (!pattern) {
    return { delete: [], kept: 0, skipped: `LOG_ARCHIVE_FORMAT ${input.format} of the standby does not let a file name say its thread and sequence (it needs %t and %s separated by other text)` };
  }
  const logs = input.files.flatMap((f) => {
    const p = pattern.parse(f.name);
    return p ? [{ ...f, ...p }] : [];
  });
  const why = refusal(input);
  if (why) return { delete: [], kept: logs.length, skipped: why };
  const incarnations = [...new Set(logs.flatMap((l) => (l.resetlogs === undefined ? [] : [l.resetlogs])))].sort();
  if (incarnations.length > 1) {
    return { delete: [], kept: logs.length, skipped: `the DR archive directory holds logs of more than one incarnation (resetlogs ids ${incarnations.join(', ')}): delete the old incarnation's logs by hand` };
  }
  const next = new Map(input.progress!.threads.map((t) => [t.thread, t.nextNeeded]));
  const cutoff = input.now.getTime() - input.retentionHours * 3600_000;
  const del = logs
    .filter((l) => {
      const n = next.get(l.thread);
      return typeof n === 'number' && l.sequence < n && l.mtimeMs < cutoff;
    })
    .sort((a, b) => a.thread - b.thread || a.sequence - b.sequence)
    .map(({ name, thread, sequence }) => ({ name, thread, sequence }));
  return { delete: del, kept: logs.length - del.length };
}

/** "thread 1 sequences 10-12, 15; thread 2 sequence 4" */
function describeLogs(logs: DeletableLog[]): string {
  const threads = [...new Set(logs.map((l) => l.thread))];
  return threads
    .map((t) => {
      const seqs = logs.filter((l) => l.thread === t).map((l) => l.sequence);
      const runs: string[] = [];
      for (let i = 0; i < seqs.length; ) {
        let j = i;
        while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
        runs.push(i === j ? `${seqs[i]}` : `${seqs[i]}-${seqs[j]}`);
        i = j + 1;
      }
      return `thread ${t} sequence${seqs.length === 1 ? '' : 's'} ${runs.join(', ')}`;
    })
    .join('; ');
}

export function spaceText(dir: string, df: DfUsage | undefined): string {
  return df ? `DR archive dir ${dir}: used ${df.usedPercent}% (${humanBytes(df.availBytes)} free)` : `DR archive dir ${dir}: free space unknown (df gave no answer)`;
}

/** The log line of one housekeeping run. */
export function formatHousekeeping(plan: HousekeepingPlan, retentionHours: number, dir: string, df: DfUsage | undefined): string {
  if (plan.skipped) return `housekeeping: no log deleted: ${plan.skipped}; kept ${plan.kept}; ${spaceText(dir, df)}`;
  const which = plan.delete.length ? ` (${describeLogs(plan.delete)})` : '';
  return `housekeeping: deleted ${plan.delete.length} applied log(s) older than ${retentionHours}h${which}, kept ${plan.kept}; ${spaceText(dir, df)}`;
}

/** `df -P -B1 <dir>` (header, one row), then `==files==`, then find's `%T@ %s %f\0` records. */
export function parseDrListing(text: string): { df: DfUsage | undefined; files: DrFile[] } {
  const cut = text.indexOf('\n==files==\n');
  const dfText = cut < 0 ? text : text.slice(0, cut);
  const filesText = cut < 0 ? '' : text.slice(cut + '\n==files==\n'.length);
  return { df: parseDfUsage(dfText), files: parseFind(filesText) };
}

export function parseDfUsage(text: string): DfUsage | undefined {
  const row = text.split('\n').slice(1).find((l) => l.trim());
  const m = row && /^\S+\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%\s+(.+)$/.exec(row.trim());
  if (!m) return undefined;
  return { totalBytes: Number(m[1]), usedBytes: Number(m[2]), availBytes: Number(m[3]), usedPercent: Number(m[4]), mount: m[5]! };
}

function parseFind(text: string): DrFile[] {
  return text.split('\0').flatMap((rec) => {
    const m = /^(\d+)(?:\.(\d+))? (\d+) ([\s\S]+)$/.exec(rec);
    if (!m) return [];
    const ms = Number(m[1]) * 1000 + Math.floor(Number(`0.${m[2] ?? '0'}`) * 1000);
    return [{ name: m[4]!, mtimeMs: ms, bytes: Number(m[3]) }];
  });
}
