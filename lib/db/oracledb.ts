// node-oracledb session (thin mode by default: needs a connect string, SYSDBA through a
// password file and a listener; thick mode when ORACLE_HOME is configured, §6 of the facts).
// Same SQL text as the sqlplus path; every column is TO_CHAR'd there, so rows are text.
import { OracleError } from '../errors.ts';
import type { DbConnection, StatementOptions } from './connection.ts';
import { LOST_SESSION_CODES, NOT_SENT_CODES, SessionLostError, StatementTimeoutError } from './errors.ts';

interface OracledbOptions {
  user: string;
  password: string;
  connectString: string;
  privilege: 'SYSDBA' | 'SYSBACKUP' | 'NONE';
  home?: string;
  statementTimeoutMs: number;
}

function toOracleError(err: unknown, what: string): OracleError {
  const msg = (err as Error).message ?? String(err);
  return new OracleError(what, msg.split('\n').filter((l) => /^(ORA|NJS|DPI|DPY)-\d+/.test(l)));
}

export class OracledbConnection implements DbConnection {
  readonly description: string;
  private lost = false;
  private constructor(
    private readonly conn: import('oracledb').Connection,
    description: string,
    private readonly timeoutMs: number,
  ) {
    this.description = description;
    conn.callTimeout = timeoutMs; // each round trip; DPI-1067 / NJS-123 when exceeded
  }

  get usable(): boolean {
    return !this.lost && this.conn.isHealthy();
  }

  /** Timeouts and lost connections as the sqlplus path reports them. */
  private failure(err: unknown, sql: string, opts: StatementOptions): OracleError {
    const e = toOracleError(err, `statement failed: ${sql}`);
    if (e.oraLines.some((l) => /^(DPI-1067|NJS-123)/.test(l))) {
      this.lost = true;
      return new StatementTimeoutError(sql, Math.round(this.timeoutMs / 1000), this.description, opts);
    }
    const code = e.codes.find((c) => LOST_SESSION_CODES.has(c));
    if (code !== undefined || e.oraLines.some((l) => /^(DPI-1010|DPI-1080|NJS-500|DPY-4011)/.test(l))) {
      this.lost = true;
      return new SessionLostError(e.message.split('\n')[0], e.oraLines, 'check that the instance and its listener are up', code !== undefined && NOT_SENT_CODES.has(code));
    }
    return e;
  }

  static async open(o: OracledbOptions): Promise<OracledbConnection> {
    const oracledb = (await import('oracledb')).default;
    if (o.home) oracledb.initOracleClient({ libDir: `${o.home}/lib` });
    const privilege = o.privilege === 'SYSDBA' ? oracledb.SYSDBA : o.privilege === 'SYSBACKUP' ? oracledb.SYSBACKUP : undefined;
    try {
      const conn = await oracledb.getConnection({ user: o.user, password: o.password, connectString: o.connectString, privilege });
      return new OracledbConnection(conn, `oracledb ${o.user}@${o.connectString}`, o.statementTimeoutMs);
    } catch (err) {
      throw toOracleError(err, `unable to connect to ${o.connectString} as ${o.user}`);
    }
  }

  async query(sql: string, opts: StatementOptions = {}): Promise<string[][]> {
    try {
      const r = await this.conn.execute<unknown[]>(sql, [], { outFormat: 4001 /* OUT_FORMAT_ARRAY */ });
      return (r.rows ?? []).map((row) => row.map((v) => (v === null || v === undefined ? '' : String(v))));
    } catch (err) {
      throw this.failure(err, sql, opts);
    }
  }

  async execute(sql: string, opts: StatementOptions = {}): Promise<void> {
    try {
      await this.conn.execute(sql);
    } catch (err) {
      throw this.failure(err, sql, opts);
    }
  }

  async close(): Promise<void> {
    await this.conn.close().catch(() => undefined);
  }
}
