// One SQL*Plus session: connection state, output (terminal + SPOOL), running SQL,
// printing results and errors, WHENEVER SQLERROR.
import { appendFileSync, writeFileSync } from 'node:fs';
import { OraError, type SqlResult } from '../sql/types.ts';
import { decodeResult, type WireResponse } from '../sql/wire.ts';
import { lineCol } from '../sql/errors.ts';
import { Connection } from './connection.ts';
import { defaultSettings, type Settings } from './settings.ts';
import { formatCsv, formatTable, type ColumnFormat } from './format.ts';
import { predefinedVariables, type SubstitutionHost } from './substitution.ts';

export type ConnState = 'none' | 'idle' | 'connected' | 'lost';
export interface ExitAction { kind: 'exit'; code: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SQLCODE' | number }
export type WheneverAction = ExitAction | { kind: 'continue' };

export const BANNER_DB = 'Oracle Database 19c Standard Edition 2 Release 19.0.0.0.0 - Production\nVersion 19.3.0.0.0';
export const IDLE_LINES = ['ORA-01034: ORACLE not available', 'ORA-27101: shared memory realm does not exist', 'Linux-x86_64 Error: 2: No such file or directory'];

export class ExitRequest {
  constructor(readonly code: number) {}
}

/** `Elapsed: hh:mi:ss.cc` (SET TIMING ON; hours, minutes, seconds and hundredths on Linux). */
export function elapsedText(ms: number): string {
  const cs = Math.floor(ms / 10);
  const p = (n: number) => String(n).padStart(2, '0');
  return `Elapsed: ${p(Math.floor(cs / 360000))}:${p(Math.floor(cs / 6000) % 60)}:${p(Math.floor(cs / 100) % 60)}.${p(cs % 100)}`;
}

export class Session implements SubstitutionHost {
  st: Settings = defaultSettings();
  /** Substitution variables (DEFINE, &&name, predefined _USER ...), by upper-case name. */
  vars = new Map<string, string>(predefinedVariables(undefined, false));
  /** Reads the next line of input (substitution prompts); set by main. */
  readLine: () => Promise<string | undefined> = async () => undefined;
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
    for (const [k, v] of predefinedVariables(this.sid, true)) this.vars.set(k, v);
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
  async runSql(raw: string): Promise<void> {
    this.lastSql = raw;
    if (this.state === 'none') { this.out('SP2-0640: Not connected\n'); return; }
    const text = this.st.sqlcase === 'UPPER' ? raw.toUpperCase() : this.st.sqlcase === 'LOWER' ? raw.toLowerCase() : raw;
    const t0 = Date.now();
    const r = await this.request({ op: 'sql', text });
    if (r instanceof OraError) return this.sqlError(text, r);
    this.lastSqlCode = 0;
    if (r.type === 'done') {
      if (this.st.feedback > 0) this.out(`\n${r.message}\n\n`);
    } else {
      this.out(this.st.csv.on ? formatCsv(r.columns, r.rows, this.st) : formatTable(r.columns, r.rows, this.st, this.columns));
    }
    if (this.st.timing) this.out(elapsedText(Date.now() - t0) + '\n');
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
