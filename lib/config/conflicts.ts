// Configurations of one host that would step on each other: two for the same ORACLE_SID with
// the same state directory (their state, locks and logs would be the same files), the same
// tmux session on the same tmux server, or the same place on the same DR host (archived logs,
// standby controlfile, datafile trees). Pure: configurations in, one sentence per problem out.
import path from 'node:path';
import type { DrConfig } from './types.ts';

export interface ConfigConflict {
  /** The configurations concerned (their `source`). */
  sources: string[];
  summary: string;
}

const within = (a: string, b: string) => a === b || a.startsWith(b.endsWith('/') ? b : `${b}/`);
const overlaps = (a: string, b: string) => within(a, b) || within(b, a);
const drHost = (c: DrConfig) => (c.destination.type === 'ssh' ? `${c.destination.host}:${c.destination.port}` : 'local');

export function configConflicts(configs: DrConfig[]): ConfigConflict[] {
  const out: ConfigConflict[] = [];
  const name = (c: DrConfig) => path.basename(c.source);
  for (let i = 0; i < configs.length; i++) {
    for (let j = i + 1; j < configs.length; j++) {
      const a = configs[i];
      const b = configs[j];
      const both = `${name(a)} and ${name(b)}`;
      const say = (summary: string) => out.push({ sources: [a.source, b.source], summary });
      if (a.oracle.sid === b.oracle.sid && a.dirs.state === b.dirs.state)
        say(`${both} are both for ORACLE_SID ${a.oracle.sid} with state directory ${a.dirs.state}: their state files, locks and logs are the same files`);
      if (a.tmux.session === b.tmux.session && (a.tmux.socketName ?? '') === (b.tmux.socketName ?? ''))
        say(`${both} both use the tmux session ${a.tmux.session}: orquestra_dr would run one database's tools in the other's windows`);
      if (drHost(a) !== drHost(b)) continue;
      const on = a.destination.type === 'ssh' ? ` on ${drHost(a)}` : '';
      if (overlaps(a.archivelog.destDir, b.archivelog.destDir))
        say(`${both} ship archived logs to the same DR directory${on} (${a.archivelog.destDir}, ${b.archivelog.destDir})`);
      if (a.standbyControlfile.drPath === b.standbyControlfile.drPath) say(`${both} write the same standby controlfile${on}: ${a.standbyControlfile.drPath}`);
      const clash = a.pathMap.flatMap((r) => b.pathMap.filter((s) => overlaps(r.to, s.to)).map((s) => [r.to, s.to]))[0];
      if (clash) say(`${both} copy datafiles to the same DR directory${on} (${clash[0]}, ${clash[1]})`);
    }
  }
  return out;
}
