// status --all and monitor --all: every configuration of one directory (lib/config/directory.ts),
// one status per database, read exactly as status --config FILE reads it (snapshot.ts). A
// configuration that cannot be read, or whose state files cannot, is listed as unreadable
// (UNKNOWN) and the others are still shown. Configurations that would step on each other
// (lib/config/conflicts.ts) are a CRITICAL condition of each database concerned.
import path from 'node:path';
import { configConflicts } from '../config/conflicts.ts';
import type { DrConfig } from '../config/index.ts';
import { formatError } from '../errors.ts';
import { renderCheck } from './check.ts';
import { summaryOf } from './check.ts';
import { worst } from './conditions.ts';
import { renderPrometheus } from './prometheus.ts';
import { collectStatus, statusDocument } from './snapshot.ts';
import type { DatabaseStatus, StatusDocument, Unreadable } from './types.ts';

export interface AllStatus {
  dbs: { status: DatabaseStatus; config: DrConfig }[];
  unreadable: Unreadable[];
}

const firstLine = (err: unknown) => formatError(err).split('\n')[0];

/** Loads and reads every file; nothing thrown by one configuration hides the others. */
export function collectAll(files: string[], load: (file: string) => DrConfig, now: Date): AllStatus {
  const configs: DrConfig[] = [];
  const unreadable: Unreadable[] = [];
  for (const file of files) {
    try {
      configs.push(load(file));
    } catch (err) {
      unreadable.push({ config: file, sid: null, error: firstLine(err) });
    }
  }
  const conflicts = configConflicts(configs);
  const dbs: AllStatus['dbs'] = [];
  for (const config of configs) {
    let status: DatabaseStatus;
    try {
      status = collectStatus(config, now);
    } catch (err) {
      unreadable.push({ config: config.source, sid: config.oracle.sid, error: firstLine(err) });
      continue;
    }
    const mine = conflicts.filter((c) => c.sources.includes(config.source));
    if (mine.length) {
      const conditions = [...mine.map((c) => ({ id: 'config_conflict', severity: 'CRITICAL' as const, summary: c.summary })), ...status.conditions];
      status = { ...status, conditions, status: worst(conditions) };
    }
    dbs.push({ status, config });
  }
  unreadable.sort((a, b) => a.config.localeCompare(b.config));
  return { dbs, unreadable };
}

export function allDocument(a: AllStatus, now: Date): StatusDocument {
  const doc = statusDocument(a.dbs.map((d) => d.status), now);
  if (!a.unreadable.length) return doc;
  return { ...doc, status: worst([{ severity: doc.status }, { severity: 'UNKNOWN' }]), unreadable: a.unreadable };
}

export function allPrometheus(a: AllStatus, now: Date): string {
  return renderPrometheus(a.dbs.map((d) => d.status), now, a.unreadable);
}

export function allCheck(a: AllStatus): { line: string; exitCode: number } {
  return renderCheck(a.dbs.map((d) => ({ status: d.status, thresholds: d.config.thresholds })), a.unreadable);
}

/**
 * One line per database, for a person: `DBPROD  OK        shipped thread 1 through 57, lag 0 s, …`
 * (its problems when it has some), then one per unreadable configuration.
 */
export function allSummary(a: AllStatus): string[] {
  const rows = [
    ...a.dbs.map((d) => [d.status.sid, d.status.status, summaryOf(d.status)]),
    ...a.unreadable.map((u) => [u.sid ?? '?', 'UNKNOWN', `${path.basename(u.config)}: ${u.error}`]),
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([sid, st, text]) => `${sid.padEnd(w)}  ${st.padEnd(8)}  ${text.replace(/\s*\n\s*/g, ' ')}`);
}
