// What the tools need from a database session, whatever the driver (sqlplus or oracledb).
export interface DbConnection {
  /** Runs a SELECT; every column arrives as text ('' for NULL). Throws OracleError. */
  query(sql: string): Promise<string[][]>;
  /** Runs a statement that returns no rows (ALTER …). Throws OracleError. */
  execute(sql: string): Promise<void>;
  /** Ends the session (idempotent). */
  close(): Promise<void>;
  /** Human description for messages, e.g. "sqlplus / as sysdba (ORACLE_SID=dbprod)". */
  readonly description: string;
}
