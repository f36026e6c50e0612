// What the tools need from a database session, whatever the driver (sqlplus or oracledb).

/** What a statement is, for the message a DBA sees when it does not finish in time. */
export interface StatementOptions {
  /** Short name, e.g. `ALTER SYSTEM ARCHIVE LOG CURRENT` or `the query on V$ARCHIVED_LOG` (default: the SQL text). */
  what?: string;
  /** Why it can hang, e.g. `the archiver is probably stuck`. */
  why?: string;
  /** What to check and do next (the HINT). */
  hint?: string;
  /** It changes the database: it may still complete there after the session was given up. */
  changesDatabase?: boolean;
}

export interface DbConnection {
  /** Runs a SELECT; every column arrives as text ('' for NULL). Throws OracleError (StatementTimeoutError, SessionLostError). */
  query(sql: string, opts?: StatementOptions): Promise<string[][]>;
  /** Runs a statement that returns no rows (ALTER …). Throws OracleError (StatementTimeoutError, SessionLostError). */
  execute(sql: string, opts?: StatementOptions): Promise<void>;
  /** Ends the session (idempotent). */
  close(): Promise<void>;
  /** Human description for messages, e.g. "sqlplus / as sysdba (ORACLE_SID=dbprod)". */
  readonly description: string;
  /** False once the session cannot run statements any more (ended, timed out, not connected): open a new one. */
  readonly usable: boolean;
  /** What the site or user profile (glogin.sql, login.sql) printed when the session started, if anything. */
  readonly profileOutput?: string[];
}
