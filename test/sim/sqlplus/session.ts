// One SQL*Plus session: connection state, output (terminal + SPOOL), running SQL,
// printing results and errors, WHENEVER SQLERROR.
import { appendFileSync, writeFileSync } from 'node:fs';
import { OraError, type SqlResult } from '../sql/types.ts';
import { decodeResult, type WireResponse } from '../sql/wire.ts';
import { lineCol } from '../sql/errors.ts';
import { Connection } from './connection.ts';
import { defaultSettings, type Settings } from './settings.ts';
import { formatCsv, formatTable, type ColumnFormat } from './format.ts';

export type ConnState = 'none' | 'idle' | 'connected' | 'lost';
export interface ExitAction { kind: 'exit'; code: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SQLCODE' | number }
export type WheneverAction = ExitAction | { kind: 'continue' };

export const BANNER_DB = 'Oracle Database 19c Standard Edition 2 Release 19.0.0.0.0 - Production\nVersion 19.3.0.0.0';
export const IDLE_LINES = ['ORA-01034: ORACLE not available', 'ORA-27101: shared memory realm does not exist', 'Linux-x86_64 Error: 2: No such file or directory'];

export class ExitRequest {
  constructor(readonly code: number) {}
}

export class Session {
  st: Settings = defaultSettings();
  columns = new Map<string, ColumnFormat>();
  whenSql: WheneverAction = { kind: 'continue' };
  whenOs: WheneverAction = { kind: 'continue' };
  conn: Connection | undefined;
  state: ConnState = 'none';
  lastSqlCode = 0;
  lastSql: string | undefined;
  spool: { file: string } | undefined;

  constructor(readonly silent: boolean, readonly home: string | undefined, readonly sid: string | undefined) {}

  out(s: string): void {
    process.stdout.write(s);
    if (this.spool) {
      const t = this.st.trimspool ? s.replace(/[ \t]+$/gm, '') : s;
      try { appendFileSync(this.spool.file, t); } catch { /* spool errors are ignored */ }
    }
  }

  startSpool(file: string, append: boolean): void {
    if (!append) writeFileSync(file, '');
    this.spool = { file };
  }

  exitCode(a: ExitAction['code']): number {
    if (a === 'SUCCESS') return 0;
    if (a === 'FAILURE') return 1;
    if (a === 'WARNING') return 2;
    if (a === 'SQLCODE') return this.lastSqlCode & 255;
    return a & 255;
  }

  /** Connects as SYSDBA; idle when no instance answers. */
  async connect(): Promise<void> {
    this.disconnect();
    this.conn = await Connection.open(this.home!, this.sid!);
    this.state = this.conn ? 'connected' : 'idle';
  }

  disconnect(): void {
    this.conn?.close();
    this.conn = undefined;
    this.state = 'none';
  }

  async request(msg: object): Promise<SqlResult | OraError> {
    if (this.state === 'idle') return new OraError(IDLE_LINES);
    if (this.state === 'lost' || !this.conn) return new OraError('ORA-03114: not connected to ORACLE');
    try {
      return decodeResult((await this.conn.request(msg)) as WireResponse);
    } catch {
      this.state = 'lost';
      this.conn = undefined;
      return new OraError(['ORA-03113: end-of-file on communication channel', `Process ID: ${process.pid}`, 'Session ID: 1 Serial number: 1']);
    }
  }

  /** Runs one SQL statement (text without the terminator) and prints its outcome. */
  async runSql(text: string): Promise<void> {
    this.lastSql = text;
    if (this.state === 'none') { this.out('SP2-0640: Not connected\n'); return; }
    const r = await this.request({ op: 'sql', text });
    if (r instanceof OraError) return this.sqlError(text, r);
    this.lastSqlCode = 0;
    if (r.type === 'done') {
      if (this.st.feedback > 0) this.out(`\n${r.message}\n\n`);
      return;
    }
    const s = this.st.csv.on ? formatCsv(r.columns, r.rows, this.st) : formatTable(r.columns, r.rows, this.st, this.columns);
    this.out(s);
  }

  sqlError(text: string, e: OraError): void {
    const lines = text.split('\n');
    const { line, col } = lineCol(text, e.position ?? 0);
    this.out(`${lines[line - 1] ?? ''}\n${' '.repeat(col)}*\nERROR at line ${line}:\n${e.lines.join('\n')}\n\n`);
    this.lastSqlCode = e.code;
    if (this.whenSql.kind === 'exit') throw new ExitRequest(this.exitCode(this.whenSql.code));
  }

  /** STARTUP / SHUTDOWN feedback through the socket. */
  async instanceOp(msg: object): Promise<string | OraError> {
    const r = await this.request(msg);
    if (r instanceof OraError) return r;
    return r.type === 'done' ? r.message : '';
  }
}
