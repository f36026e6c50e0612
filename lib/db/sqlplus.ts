// One long-lived `sqlplus -s -L / as sysdba` session (OS authentication: no password
// anywhere). Each request is written to its stdin followed by `PROMPT <marker>`, and its
// output is everything printed before the marker. One process serves a whole run, so
// a hundred BEGIN/END BACKUPs cost round trips, not process start-ups.
//
// The child runs in its own process group: when our terminal (or tmux window) sends
// SIGINT/SIGHUP to the foreground group, sqlplus survives and we can still END BACKUP.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { OracleError } from '../errors.ts';
import { spawnLong } from '../exec.ts';
import type { DbConnection } from './connection.ts';
import { parseCsvLine } from './csv.ts';

export interface SqlplusOptions {
  sqlplus: string; // program name or path; 'sqlplus' resolves to $ORACLE_HOME/bin/sqlplus when home is set
  sid: string;
  home?: string;
  nlsLang?: string;
  env?: NodeJS.ProcessEnv;
}

const ERROR_LINE = /^(ORA-\d{5}|SP2-\d{4}|ERROR at line \d+:|ERROR:|TNS-\d{5}|Linux-x86_64 Error)/;
const SESSION_SETTINGS = [
  'SET ECHO OFF',
  'SET VERIFY OFF',
  'SET FEEDBACK OFF',
  'SET HEADING OFF',
  'SET PAGESIZE 0',
  'SET LINESIZE 32767',
  'SET TRIMOUT ON',
  'SET TRIMSPOOL ON',
  'SET TAB OFF',
  'SET MARKUP CSV ON QUOTE ON',
  // A failing statement must not end the session: errors are read from the output instead.
  'WHENEVER SQLERROR CONTINUE',
];

interface Pending {
  marker: string;
  lines: string[];
  resolve: (lines: string[]) => void;
  reject: (err: Error) => void;
}

export class SqlplusSession implements DbConnection {
  readonly description: string;
  private child: ChildProcess;
  private buf = '';
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private exited = false;
  private stderr = '';
  private preamble: string[] = [];

  private constructor(child: ChildProcess, description: string) {
    this.child = child;
    this.description = description;
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => this.onData(chunk));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    child.stdin!.on('error', () => {}); // EPIPE after exit is reported through 'close'
    child.on('close', (code) => {
      this.exited = true;
      const p = this.pending;
      this.pending = undefined;
      if (p) {
        const lines = [...this.preamble, ...p.lines, ...this.stderr.split('\n')].filter((l) => ERROR_LINE.test(l.trim()));
        p.reject(
          new OracleError(
            `sqlplus ended unexpectedly (exit code ${code}) while running a statement for ${this.description}`,
            lines,
            'check that the instance is up and that this OS user may connect with "sqlplus / as sysdba"',
          ),
        );
      }
    });
  }

  static async open(opts: SqlplusOptions): Promise<SqlplusSession> {
    const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env), ORACLE_SID: opts.sid };
    let program = opts.sqlplus;
    if (opts.home) {
      env.ORACLE_HOME = opts.home;
      env.PATH = `${path.join(opts.home, 'bin')}:${env.PATH ?? ''}`;
      if (program === 'sqlplus') program = path.join(opts.home, 'bin', 'sqlplus');
    }
    if (opts.nlsLang) env.NLS_LANG = opts.nlsLang;
    const description = `sqlplus / as sysdba (ORACLE_SID=${opts.sid})`;
    let child: ChildProcess;
    try {
      child = spawnLong([program, '-s', '-L', '/ as sysdba'], { env, detached: true });
    } catch (err) {
      throw new OracleError(`unable to start ${program}: ${(err as Error).message}`, [], 'set oracle.home or oracle.sqlplus in the configuration');
    }
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (err) =>
        reject(new OracleError(`unable to start ${program}: ${err.message}`, [], 'set oracle.home (ORACLE_HOME) or oracle.sqlplus in the configuration')),
      );
    });
    const session = new SqlplusSession(child, description);
    try {
      const out = await session.send(SESSION_SETTINGS.join('\n'));
      const errors = out.filter((l) => ERROR_LINE.test(l));
      if (errors.length) throw new OracleError(`unable to prepare the sqlplus session for ORACLE_SID=${opts.sid}`, errors);
      // Proves the connection: an idle instance answers ORA-01034 here.
      await session.query('SELECT dummy FROM dual');
    } catch (err) {
      await session.close();
      if (err instanceof OracleError && err.codes.includes(1034)) {
        throw new OracleError(`instance ${opts.sid} is not available`, err.oraLines, `start the database (ORACLE_SID=${opts.sid}) or fix oracle.sid in the configuration`);
      }
      throw err;
    }
    return session;
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      const p = this.pending;
      if (!p) {
        this.preamble.push(line);
        continue;
      }
      if (line === p.marker) {
        this.pending = undefined;
        p.resolve(p.lines);
      } else {
        p.lines.push(line);
      }
    }
  }

  /** Writes `text` then a PROMPT marker; resolves with the lines printed in between. Serialised. */
  private send(text: string): Promise<string[]> {
    const run = async (): Promise<string[]> => {
      if (this.exited) throw new OracleError(`the sqlplus session for ${this.description} has ended`, []);
      const marker = `__DR_MARK_${process.pid}_${++this.seq}__`;
      return new Promise<string[]>((resolve, reject) => {
        this.pending = { marker, lines: [], resolve, reject };
        this.child.stdin!.write(`${text}\nPROMPT ${marker}\n`);
      });
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async statement(sql: string): Promise<string[]> {
    if (/[\n\r]/.test(sql)) throw new Error('statements sent to sqlplus must be on one line');
    const lines = (await this.send(`${sql};`)).map((l) => l.trimEnd());
    const errors = lines.filter((l) => ERROR_LINE.test(l) && !/^ERROR/.test(l));
    if (errors.length || lines.some((l) => /^ERROR/.test(l))) {
      throw new OracleError(`statement failed: ${sql}`, errors.length ? errors : lines.filter((l) => l !== ''));
    }
    return lines;
  }

  async query(sql: string): Promise<string[][]> {
    const rows: string[][] = [];
    for (const line of await this.statement(sql)) {
      if (line === '') continue;
      const row = parseCsvLine(line);
      if (!row) throw new OracleError(`unexpected sqlplus output for: ${sql}`, [line], 'this is a defect or an unsupported SQL*Plus setting (glogin.sql?); see the tool log');
      rows.push(row);
    }
    return rows;
  }

  async execute(sql: string): Promise<void> {
    const lines = (await this.statement(sql)).filter((l) => l !== '');
    if (lines.length) throw new OracleError(`unexpected sqlplus output for: ${sql}`, lines);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    try {
      this.child.stdin!.end('EXIT\n');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await closed;
    clearTimeout(timer);
  }
}
