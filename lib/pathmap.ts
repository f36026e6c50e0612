// Production path → DR path. Longest prefix wins, and a prefix matches whole path
// components only: rule /u05 maps /u05 and /u05/x, never /u050/x. Pure functions: the
// whole plan is computed (and checked) before anything is copied.
import * as path from 'node:path';
import { DrError, ExitCode } from './errors.ts';

export interface PathRule {
  from: string;
  to: string;
}

export interface MappedFile {
  source: string;
  dest: string;
  rule: PathRule | null;
}

export interface MappingPlan {
  files: MappedFile[];
  /** Source paths no rule maps (only with unmapped policy 'error'). */
  unmapped: string[];
  /** Destinations that two or more sources would be written to. */
  collisions: { dest: string; sources: string[] }[];
}

/**
 * Absolute, normalised path: duplicate and trailing slashes removed, '.' and '..'
 * resolved. Relative or empty paths (and NUL bytes) are an Error.
 */
export function normalizePath(p: string): string {
  if (typeof p !== 'string' || p === '') throw new Error('empty path');
  if (p.includes('\0')) throw new Error(`path contains a NUL byte: ${JSON.stringify(p)}`);
  if (!path.posix.isAbsolute(p)) throw new Error(`path is not absolute: ${p}`);
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

function isUnder(p: string, prefix: string): boolean {
  if (prefix === '/') return true;
  return p === prefix || p.startsWith(prefix + '/');
}

/**
 * The DR path of `p` under the rule with the longest matching `from`. With no matching
 * rule: the same path (rule null) when unmapped is 'same_path', null when it is 'error'.
 * Throws when `p` is not absolute.
 */
export function mapPath(
  p: string,
  rules: PathRule[],
  unmapped: 'error' | 'same_path',
): { dest: string; rule: PathRule | null } | null {
  const src = normalizePath(p);
  let best: { rule: PathRule; from: string; to: string } | undefined;
  for (const rule of rules) {
    const from = normalizePath(rule.from);
    if (!isUnder(src, from)) continue;
    if (!best || from.length > best.from.length) best = { rule, from, to: normalizePath(rule.to) };
  }
  if (!best) return unmapped === 'same_path' ? { dest: src, rule: null } : null;
  const rest = best.from === '/' ? src.slice(1) : src.slice(best.from.length + 1);
  return { dest: rest === '' ? best.to : path.posix.join(best.to, rest), rule: best.rule };
}

/** Maps every path; unmapped ones and destination collisions are collected, not thrown. */
export function planMapping(paths: string[], rules: PathRule[], unmapped: 'error' | 'same_path'): MappingPlan {
  const files: MappedFile[] = [];
  const missing: string[] = [];
  const byDest = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const p of paths) {
    const source = normalizePath(p);
    if (seen.has(source)) continue; // the same file listed twice is one copy
    seen.add(source);
    const m = mapPath(source, rules, unmapped);
    if (!m) {
      missing.push(source);
      continue;
    }
    files.push({ source, dest: m.dest, rule: m.rule });
    const list = byDest.get(m.dest) ?? [];
    list.push(source);
    byDest.set(m.dest, list);
  }
  const collisions = [...byDest].filter(([, s]) => s.length > 1).map(([dest, sources]) => ({ dest, sources }));
  return { files, unmapped: missing, collisions };
}

/**
 * Throws a DrError naming every unmapped path and every destination collision; returns
 * quietly when the plan can be applied.
 */
export function assertAllMapped(plan: MappingPlan, rules: PathRule[]): void {
  const lines: string[] = [];
  for (const p of plan.unmapped) lines.push(`  - ${p}: no path_map rule matches`);
  for (const c of plan.collisions) lines.push(`  - ${c.dest}: mapped from ${c.sources.join(' and ')}`);
  if (lines.length === 0) return;
  const known = rules.length ? rules.map((r) => `${r.from} -> ${r.to}`).join(', ') : 'none';
  const parts: string[] = [];
  if (plan.unmapped.length)
    parts.push(`${plan.unmapped.length} datafile path${plan.unmapped.length === 1 ? ' has' : 's have'} no DR path`);
  if (plan.collisions.length)
    parts.push(
      `${plan.collisions.length} DR path${plan.collisions.length === 1 ? ' is' : 's are'} the destination of more than one datafile`,
    );
  const hints: string[] = [];
  if (plan.unmapped.length)
    hints.push(`add a path_map rule covering each path above (rules now: ${known}), or set unmapped_paths: same_path to copy them to the same path on DR`);
  if (plan.collisions.length) hints.push('make the path_map rules send each datafile to its own DR path');
  throw new DrError(`unable to map datafiles to DR: ${parts.join('; ')}\n${lines.join('\n')}`, {
    hint: hints.join('; '),
    exitCode: ExitCode.CONFIG,
  });
}

/**
 * The path_map value of the YAML file, either a list of {from, to} or a mapping
 * {"/u05": "/u15"}, as normalised rules. Problems are appended as "<key>: <what>";
 * `key` is the YAML key of the value (path_map).
 */
export function parsePathMap(raw: unknown, key: string, problems: string[]): PathRule[] {
  const entries: { at: string; from: unknown; to: unknown }[] = [];
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      const at = `${key}[${i}]`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        problems.push(`${at}: must be a mapping with from and to`);
        return;
      }
      const rec = item as Record<string, unknown>;
      for (const k of Object.keys(rec))
        if (k !== 'from' && k !== 'to') problems.push(`${at}.${k}: unknown key (allowed here: from, to)`);
      if (rec.from === undefined) problems.push(`${at}.from: is required`);
      if (rec.to === undefined) problems.push(`${at}.to: is required`);
      entries.push({ at, from: rec.from, to: rec.to });
    });
  } else if (raw !== null && typeof raw === 'object') {
    for (const [from, to] of Object.entries(raw as Record<string, unknown>))
      entries.push({ at: `${key}[${JSON.stringify(from)}]`, from, to });
  } else {
    problems.push(`${key}: must be a list of {from, to} or a mapping of production prefix to DR prefix`);
    return [];
  }
  const rules: PathRule[] = [];
  const seen = new Map<string, string>();
  for (const e of entries) {
    const from = pathProblem(e.from, `${e.at}${Array.isArray(raw) ? '.from' : ''}`, problems);
    const to = pathProblem(e.to, `${e.at}${Array.isArray(raw) ? '.to' : ''}`, problems);
    if (from === undefined || to === undefined) continue;
    const dup = seen.get(from);
    if (dup !== undefined) {
      problems.push(`${e.at}: ${from} is already mapped by ${dup}`);
      continue;
    }
    seen.set(from, e.at);
    rules.push({ from, to });
  }
  return rules;
}

function pathProblem(v: unknown, at: string, problems: string[]): string | undefined {
  if (v === undefined) return undefined; // reported as required
  if (typeof v !== 'string' || v === '') {
    problems.push(`${at}: must be an absolute path (found ${v === '' ? 'an empty string' : JSON.stringify(v)})`);
    return undefined;
  }
  try {
    return normalizePath(v);
  } catch {
    problems.push(`${at}: must be an absolute path (found ${JSON.stringify(v)})`);
    return undefined;
  }
}
