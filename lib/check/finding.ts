// What bin/check reports: findings, each OK / WARN / FAIL (or SKIP: not checked), one line of
// why and one of what to do; printed as a table for people, or as one JSON document for
// monitoring. Any FAIL makes the exit code non-zero (ExitCode.PRECONDITION); WARN alone is 0.
import { ExitCode } from '../errors.ts';

export type Status = 'OK' | 'WARN' | 'FAIL' | 'SKIP';

export interface Finding {
  /** Stable name of the check (JSON key, docs/TROUBLESHOOTING.md heading): archivelog, dr_ssh ... */
  id: string;
  status: Status;
  why: string;
  /** What to do; '' when nothing is to be done. */
  todo: string;
}

export function ok(id: string, why: string): Finding {
  return { id, status: 'OK', why, todo: '' };
}

export function skip(id: string, why: string): Finding {
  return { id, status: 'SKIP', why, todo: '' };
}

export function problem(id: string, status: 'WARN' | 'FAIL', why: string, todo: string): Finding {
  return { id, status, why, todo };
}

/** ExitCode.PRECONDITION when any finding is FAIL, else 0 (WARN and SKIP do not fail a run). */
export function checkExitCode(findings: Finding[]): number {
  return findings.some((f) => f.status === 'FAIL') ? ExitCode.PRECONDITION : ExitCode.OK;
}

function counts(findings: Finding[]): Record<Status, number> {
  const c: Record<Status, number> = { OK: 0, WARN: 0, FAIL: 0, SKIP: 0 };
  for (const f of findings) c[f.status]++;
  return c;
}

/** The worst status: FAIL, else WARN, else OK. */
export function overall(findings: Finding[]): 'OK' | 'WARN' | 'FAIL' {
  const c = counts(findings);
  return c.FAIL ? 'FAIL' : c.WARN ? 'WARN' : 'OK';
}

const ID_WIDTH = 20; // archive_lag_target and a space

/** One line per finding (status, name, why), then `HINT: what to do` under it; a summary first. */
export function formatTable(findings: Finding[], database: string): string {
  const c = counts(findings);
  const lines = [`check of ${database}: ${c.FAIL} FAIL, ${c.WARN} WARN, ${c.OK} OK${c.SKIP ? `, ${c.SKIP} not checked` : ''}`];
  const pad = ' '.repeat(6 + ID_WIDTH);
  for (const f of findings) {
    lines.push(`${f.status.padEnd(6)}${f.id.padEnd(ID_WIDTH)}${f.why}`);
    if (f.todo) lines.push(`${pad}HINT: ${f.todo}`);
  }
  return lines.join('\n') + '\n';
}

export interface CheckReport {
  database: string;
  checkedAt: string;
  status: 'OK' | 'WARN' | 'FAIL';
  counts: Record<Status, number>;
  findings: Finding[];
}

/** The document `check --json` prints (docs/MONITORING.md). */
export function reportJson(findings: Finding[], database: string, now = new Date()): CheckReport {
  return { database, checkedAt: now.toISOString(), status: overall(findings), counts: counts(findings), findings };
}
