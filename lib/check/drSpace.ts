// Finding: the DR filesystems can take the datafiles mapped to them. `df -P -B1` over ssh on
// the DR directories; what a file still needs is its size here minus its DR copy's size (a
// refreshed copy is rewritten in place).
import { humanBytes } from '../status/format.ts';
import { ok, problem, type Finding } from './finding.ts';

export interface DfRow {
  availBytes: number;
  mount: string;
}

/** `df -P -B1 dir...` output: one row per argument, in order (a mount point may hold spaces). */
export function parseDf(text: string): DfRow[] {
  return text
    .split('\n')
    .slice(1)
    .flatMap((line) => {
      const m = /^\S+\s+\d+\s+\d+\s+(\d+)\s+\d+%\s+(.+)$/.exec(line.trim());
      return m ? [{ availBytes: Number(m[1]), mount: m[2]! }] : [];
    });
}

export interface FsNeed {
  mount: string;
  availBytes: number;
  neededBytes: number;
  files: number;
}

export function drSpaceFinding(needs: FsNeed[]): Finding {
  const short = needs.filter((n) => n.neededBytes > n.availBytes);
  if (short.length)
    return problem(
      'dr_space',
      'FAIL',
      short.map((n) => `DR filesystem ${n.mount} has ${humanBytes(n.availBytes)} free; its ${n.files} mapped datafile${n.files === 1 ? '' : 's'} need ${humanBytes(n.neededBytes)} more`).join('; '),
      'free or add space on the DR host before the copy (the copy would stop with "No space left on device"), or map the files elsewhere (path_map)',
    );
  return ok('dr_space', needs.map((n) => `DR filesystem ${n.mount}: ${humanBytes(n.availBytes)} free, ${n.files} mapped datafile${n.files === 1 ? '' : 's'} need ${humanBytes(n.neededBytes)} more`).join('; '));
}
