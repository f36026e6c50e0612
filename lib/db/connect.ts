// Opens the configured kind of session: sqlplus with OS authentication (default), or
// node-oracledb with a password read from the environment or a 0600 file (never argv).
import fs from 'node:fs';
import type { DrConfig } from '../config/index.ts';
import { DrError, ExitCode } from '../errors.ts';
import type { DbConnection } from './connection.ts';
import { SqlplusSession } from './sqlplus.ts';

export async function openConnection(config: DrConfig): Promise<DbConnection> {
  const c = config.oracle.connect;
  const statementTimeoutMs = config.oracle.statementTimeoutSeconds * 1000;
  if (c.method === 'sqlplus') {
    return SqlplusSession.open({ sqlplus: config.oracle.sqlplus, sid: config.oracle.sid, home: config.oracle.home, nlsLang: config.oracle.nlsLang, cwd: config.dirs.state, statementTimeoutMs });
  }
  let password: string | undefined;
  if (c.passwordEnv) password = process.env[c.passwordEnv];
  else if (c.passwordFile) password = fs.readFileSync(c.passwordFile, 'utf8').replace(/\r?\n$/, '');
  if (!password) {
    throw new DrError(`no password for oracle user ${c.user}: ${c.passwordEnv ? `environment variable ${c.passwordEnv} is empty` : `file ${c.passwordFile} is empty`}`, {
      hint: 'set oracle.connect.password_env or password_file (mode 0600)',
      exitCode: ExitCode.CONFIG,
    });
  }
  const { OracledbConnection } = await import('./oracledb.ts');
  return OracledbConnection.open({ user: c.user, password, connectString: c.connectString, privilege: c.privilege, home: config.oracle.home, statementTimeoutMs });
}
