// The site profile and the user profile, run when SQL*Plus starts and after every CONNECT:
// - glogin.sql: $ORACLE_HOME/sqlplus/admin/glogin.sql (SQL*Plus User's Guide, "Site Profile");
// - login.sql, right after it. Since 12.2 (so in 19c) SQL*Plus no longer looks in the current
//   directory, nor (despite the User's Guide) in SQLPATH, only in the ORACLE_PATH directories
//   (MOS 2241021.1, reproduced in the dbi-services and mvelikikh blog posts "12cR2 changes for
//   login.sql"); that is what is modelled here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandHost } from './commands.ts';

export function siteProfile(home: string | undefined): string | undefined {
  if (!home) return undefined;
  const f = path.join(home, 'sqlplus', 'admin', 'glogin.sql');
  return existsSync(f) ? f : undefined;
}

export function userProfile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.ORACLE_PATH ?? '').split(':')) {
    if (!dir) continue;
    const f = path.join(dir, 'login.sql');
    if (existsSync(f)) return f;
  }
  return undefined;
}

/** Runs glogin.sql then login.sql, like a script each (their output goes to the terminal). */
export async function runProfiles(h: CommandHost): Promise<void> {
  for (const f of [siteProfile(h.session.home), userProfile()]) {
    if (f) await h.runScript(readFileSync(f, 'utf8').split(/\r?\n/));
  }
}
