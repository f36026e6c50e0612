// Finding: every datafile of production has a DR path (path_map), and no two share one.
import { planMapping, type PathRule } from '../pathmap.ts';
import { ok, problem, type Finding } from './finding.ts';
import type { CheckDatafile } from './logging.ts';

export function pathMapFinding(files: CheckDatafile[], rules: PathRule[], unmapped: 'error' | 'same_path'): Finding {
  const plan = planMapping(files.map((f) => f.name), rules, unmapped);
  const idOf = new Map(files.map((f) => [f.name, f.fileId]));
  const parts: string[] = [];
  if (plan.unmapped.length)
    parts.push(`${plan.unmapped.length} datafile${plan.unmapped.length === 1 ? ' has' : 's have'} no DR path: ${plan.unmapped.map((p) => `file ${idOf.get(p) ?? '?'} '${p}'`).join(', ')}`);
  if (plan.collisions.length) parts.push(plan.collisions.map((c) => `${c.dest} is the DR path of ${c.sources.join(' and ')}`).join('; '));
  if (parts.length === 0) return ok('path_map', `every datafile (${files.length}) has a DR path`);
  const known = rules.length ? rules.map((r) => `${r.from} -> ${r.to}`).join(', ') : 'none';
  const todo = [
    plan.unmapped.length ? `add a path_map rule covering ${plan.unmapped.length === 1 ? 'it' : 'them'} (rules now: ${known}), or set unmapped_paths: same_path` : '',
    plan.collisions.length ? 'make the path_map rules send each datafile to its own DR path' : '',
  ].filter(Boolean);
  return problem('path_map', 'FAIL', parts.join('; '), todo.join('; '));
}
