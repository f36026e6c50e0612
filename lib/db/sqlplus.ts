// One long-lived `sqlplus -s -L / as sysdba` session (OS authentication: no password
// anywhere). Each request is written to its stdin followed by `PROMPT <marker>`, and its
// output is everything printed before the marker. One process serves a whole run, so
// a hundred BEGIN/END BACKUPs cost round trips, not process start-ups.
//
// - The child runs in its own process group: when our terminal (or tmux window) sends
//   SIGINT/SIGHUP to the foreground group, sqlplus survives and we can still END BACKUP.
// - It starts without ORACLE_PATH/SQLPATH and in the state directory, so no user login.sql
//   runs (19c reads it from ORACLE_PATH; older clients from the current directory and
//   SQLPATH). The site glogin.sql cannot be skipped: SESSION_SETTINGS resets what it may set.
// - Every request has a deadline (oracle.statement_timeout_seconds): a statement that does
//   not answer ends the session with an error that names it, and the statements queued
//   behind it are refused unsent, so the caller can run them on a new session.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { OracleError } from '../errors.ts';
import { spawnLong } from '../exec.ts';
import type { DbConnection, StatementOptions } from './connection.ts';
import { parseCsvLine } from './csv.ts';
import { LOST_SESSION_CODES, NOT_SENT_CODES, SessionLostError, StatementTimeoutError } from './errors.ts';
import { SESSION_SETTINGS } from './sessionSettings.ts';

export interface SqlplusOptions {
  sqlplus: string; // program name or path; 'sqlplus' resolves to $ORACLE_HOME/bin/sqlplus when home is set
  sid: string;
  home?: string;
  nlsLang?: string;
  env?: NodeJS.ProcessEnv;
  /** Working directory of sqlplus (the state directory). */
  cwd?: string;
  statementTimeoutMs: number;
}

const ERROR_LINE = /^(ORA-\d{5}|SP2-\d{4}|ERROR at line \d+:|ERROR:|TNS-\d{5}|Linux-x86_64 Error)/;

interface Pending {
  marker: string;
  lines: string[];
  resolve: (lines: string[]) => void;
  reject: (err: Error) => void;
}

export class SqlplusSession implements DbConnection {
  readonly description: string;
  profileOutput: string[] = [];
  private child: ChildProcess;
  private buf = '';
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private exited = false;
  /** Why the session may not be used any more. */
  private ended: string | undefined;
  private stderr = '';
  private preamble: string[] = [];

  private constructor(
    child: ChildProcess,
    description: string,
    private readonly timeoutMs: number,
    private readonly siteProfile: string,
  ) {
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
        p.reject(new SessionLostError(`sqlplus ended unexpectedly (exit code ${code}) while running a statement for ${this.description}`, lines, this.connectHint(), false));
      }
    });
  }

  get usable(): boolean {
    return !this.exited && this.ended === undefined;
  }

  static async open(opts: SqlplusOptions): Promise<SqlplusSession> {
    const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env), ORACLE_SID: opts.sid };
    delete env.ORACLE_PATH;
    delete env.SQLPATH;
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
      child = spawnLong([program, '-s', '-L', '/ as sysdba'], { env, detached: true, cwd: opts.cwd });
    } catch (err) {
      throw new OracleError(`unable to start ${program}: ${(err as Error).message}`, [], 'set oracle.home or oracle.sqlplus in the configuration');
    }
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (err) =>
        reject(new OracleError(`unable to start ${program}: ${err.message}`, [], 'set oracle.home (ORACLE_HOME) or oracle.sqlplus in the configuration')),
      );
    });
    const glogin = env.ORACLE_HOME ? path.join(env.ORACLE_HOME, 'sqlplus', 'admin', 'glogin.sql') : '$ORACLE_HOME/sqlplus/admin/glogin.sql';
    const session = new SqlplusSession(child, description, opts.statementTimeoutMs, glogin);
    try {
      // Whatever glogin.sql printed comes before the first marker; then our settings.
      session.profileOutput = [...session.preamble, ...(await session.send('', 'starting sqlplus', {}))].filter((l) => l.trim() !== '');
      session.preamble = [];
      const out = await session.send(SESSION_SETTINGS.join('\n'), 'the SQL*Plus settings', {});
      const errors = out.filter((l) => ERROR_LINE.test(l));
      if (errors.length) throw new OracleError(`unable to prepare the sqlplus session for ORACLE_SID=${opts.sid}`, errors, 'this sqlplus refused a setting the tool needs; see the lines above');
    } catch (err) {
      await session.close();
      throw err;
    }
    return session;
  }

  private connectHint(): string {
    return `check that the instance is up and that this OS user may connect with "sqlplus / as sysdba"; a site profile (${this.siteProfile}) that disconnects has the same effect`;
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

  /** Ends the sqlplus process of a session that may not be used any more. */
  private abandon(why: string): void {
    this.ended ??= why;
    if (this.exited) return;
    this.child.kill('SIGTERM');
    setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, 2000).unref();
  }

  /** Writes `text` then a PROMPT marker; resolves with the lines printed in between. Serialised; each has a deadline. */
  private send(text: string, sql: string, opts: StatementOptions): Promise<string[]> {
    const run = async (): Promise<string[]> => {
      if (!this.usable) {
        throw new SessionLostError(`the sqlplus session ${this.description} has ended (${this.ended ?? 'sqlplus exited'}); not sent: ${sql}`, [], this.connectHint(), true);
      }
      const marker = `__DR_MARK_${process.pid}_${++this.seq}__`;
      return new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (this.pending?.marker !== marker) return;
          this.pending = undefined;
          this.abandon(`${opts.what ?? sql} did not finish in time`);
          reject(new StatementTimeoutError(sql, Math.round(this.timeoutMs / 1000), this.description, opts));
        }, this.timeoutMs);
        const done = <T>(f: (v: T) => void) => (v: T) => {
          clearTimeout(timer);
          f(v);
        };
        this.pending = { marker, lines: [], resolve: done(resolve), reject: done(reject) };
        this.child.stdin!.write(`${text}\nPROMPT ${marker}\n`);
      });
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async statement(sql: string, opts: StatementOptions): Promise<string[]> {
    if (/[\n\r]/.test(sql)) throw new Error('statements sent to sqlplus must be on one line');
    const lines = (await this.send(`${sql};`, sql, opts)).map((l) => l.trimEnd());
    if (lines.some((l) => /^SP2-0640:/.test(l))) {
      this.abandon('not connected');
      throw new SessionLostError(`${this.description} is not connected to the database (SP2-0640: Not connected)`, [], this.connectHint(), true);
    }
    const errors = lines.filter((l) => ERROR_LINE.test(l) && !/^ERROR/.test(l));
    if (errors.length || lines.some((l) => /^ERROR/.test(l))) {
      const err = new OracleError(`statement failed: ${sql}`, errors.length ? errors : lines.filter((l) => l !== ''));
      const lost = err.codes.find((c) => LOST_SESSION_CODES.has(c));
      if (lost !== undefined) {
        this.abandon(`ORA-${String(lost).padStart(5, '0')}`);
        throw new SessionLostError(
          err.message.split('\n')[0],
          err.oraLines,
          'the instance was shut down or the connection broke; the next statement opens a new session (and says so in the log)',
          NOT_SENT_CODES.has(lost),
        );
      }
      throw err;
    }
    return lines;
  }

  async query(sql: string, opts: StatementOptions = {}): Promise<string[][]> {
    const rows: string[][] = [];
    for (const line of await this.statement(sql, opts)) {
      if (line === '') continue;
      const row = parseCsvLine(line);
      if (!row) throw new OracleError(`unexpected sqlplus output for: ${sql}`, [line], `a setting of the site profile (${this.siteProfile}) the tool does not reset? Otherwise this is a defect; see the tool log`);
      rows.push(row);
    }
    return rows;
  }

  async execute(sql: string, opts: StatementOptions = {}): Promise<void> {
    const lines = (await this.statement(sql, opts)).filter((l) => l !== '');
    if (lines.length) throw new OracleError(`unexpected sqlplus output for: ${sql}`, lines);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    try {
      if (this.ended === undefined) this.child.stdin!.end('EXIT\n');
      else this.abandon(this.ended);
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await closed;
    clearTimeout(timer);
  }
}
