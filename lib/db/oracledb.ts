// node-oracledb session (thin mode by default: needs a connect string, SYSDBA through a
// password file and a listener; thick mode when ORACLE_HOME is configured, §6 of the facts).
// Same SQL text as the sqlplus path; every column is TO_CHAR'd there, so rows are text.
import { OracleError } from '../errors.ts';
import type { DbConnection } from './connection.ts';

interface OracledbOptions {
  user: string;
  password: string;
  connectString: string;
  privilege: 'SYSDBA' | 'SYSBACKUP' | 'NONE';
  home?: string;
}

function toOracleError(err: unknown, what: string): OracleError {
  const msg = (err as Error).message ?? String(err);
  return new OracleError(what, msg.split('\n').filter((l) => /^(ORA|NJS|DPI|DPY)-\d+/.test(l)));
}

export class OracledbConnection implements DbConnection {
  readonly description: string;
  private constructor(private readonly conn: import('oracledb').Connection, description: string) {
    this.description = description;
  }

  static async open(o: OracledbOptions): Promise<OracledbConnection> {
    const oracledb = (await import('oracledb')).default;
    if (o.home) oracledb.initOracleClient({ libDir: `${o.home}/lib` });
    const privilege = o.privilege === 'SYSDBA' ? oracledb.SYSDBA : o.privilege === 'SYSBACKUP' ? oracledb.SYSBACKUP : undefined;
    try {
      const conn = await oracledb.getConnection({ user: o.user, password: o.password, connectString: o.connectString, privilege });
      return new OracledbConnection(conn, `oracledb ${o.user}@${o.connectString}`);
    } catch (err) {
      throw toOracleError(err, `unable to connect to ${o.connectString} as ${o.user}`);
    }
  }

  async query(sql: string): Promise<string[][]> {
    try {
      const r = await this.conn.execute<unknown[]>(sql, [], { outFormat: 4001 /* OUT_FORMAT_ARRAY */ });
      return (r.rows ?? []).map((row) => row.map((v) => (v === null || v === undefined ? '' : String(v))));
    } catch (err) {
      throw toOracleError(err, `statement failed: ${sql}`);
    }
  }

  async execute(sql: string): Promise<void> {
    try {
      await this.conn.execute(sql);
    } catch (err) {
      throw toOracleError(err, `statement failed: ${sql}`);
    }
  }

  async close(): Promise<void> {
    await this.conn.close().catch(() => undefined);
  }
}
