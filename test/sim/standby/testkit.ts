// Helpers for tests of the standby instance: create it from a sandbox's DR directory, ship new logs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SIM, type Sandbox } from '../instance/testkit.ts';
import { SqlplusSession } from '../instance/testkit-sqlplus.ts';

export interface Standby {
  home: string;
  sid: string;
  sim(...args: string[]): { code: number; out: string; err: string };
  sqlplus(): SqlplusSession;
  cleanup(): void;
}

/** `sim standby-init` for the sandbox's DR copy: home <base>/drhome, sid DBSTBY, archive dest = the DR archive dir. */
export function standbyInit(sb: Sandbox, controlfile: string, extra: string[] = []): Standby {
  const home = path.join(sb.base, 'drhome');
  const sid = 'DBSTBY';
  const clients: SqlplusSession[] = [];
  const st: Standby = {
    home, sid,
    sim(...args) {
      const r = spawnSync(SIM, [...args, '--home', home, '--sid', sid], { encoding: 'utf8' });
      return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
    },
    sqlplus() {
      const p = new SqlplusSession(home, sid);
      clients.push(p);
      return p;
    },
    cleanup() {
      for (const p of clients) p.kill();
      spawnSync(SIM, ['crash', '--home', home, '--sid', sid]);
    },
  };
  const r = st.sim('standby-init', '--controlfile', controlfile, '--archive-dest', sb.drArch, '--file-name-convert', `${sb.root},${sb.dr}`, ...extra);
  if (r.code !== 0) throw new Error(`sim standby-init failed: ${r.err}${r.out}`);
  return st;
}

/** Copies archived logs of destination 1 not yet in the DR archive directory; returns their sequences. */
export function shipNewLogs(sb: Sandbox): number[] {
  const r = spawnSync(SIM, ['sql', "select sequence#, name from v$archived_log where dest_id = 1 and name is not null order by sequence#", '--home', sb.home, '--sid', sb.sid], { encoding: 'utf8' });
  const rows = JSON.parse(r.stdout).rows as [number, string][];
  const shipped: number[] = [];
  for (const [seq, name] of rows) {
    const to = path.join(sb.drArch, path.basename(name));
    if (fs.existsSync(to) || !fs.existsSync(name)) continue;
    fs.copyFileSync(name, to);
    shipped.push(seq);
  }
  return shipped;
}
