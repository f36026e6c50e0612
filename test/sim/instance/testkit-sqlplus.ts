// A long-lived fake `sqlplus -s -L / as sysdba` driven like the product drives the real one:
// each statement followed by a PROMPT marker, output read up to the marker. Used by the
// simulator's own tests to run procedures THROUGH the client (session state included).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export interface SqlplusResult {
  /** output lines before the marker (PAGESIZE 0, FEEDBACK OFF: one line per row) */
  lines: string[];
  /** the ORA- lines when the statement failed */
  error?: string[];
}

export class SqlplusSession {
  private out = '';
  private n = 0;
  private readonly p: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number>;

  constructor(home: string, sid: string) {
    this.p = spawn(path.join(home, 'bin', 'sqlplus'), ['-s', '-L', '/', 'as', 'sysdba'], { env: { ...process.env, ORACLE_HOME: home, ORACLE_SID: sid } });
    this.p.stdout.setEncoding('utf8');
    this.p.stdout.on('data', (d: string) => { this.out += d; });
    this.p.stderr.on('data', (d) => { this.out += `[stderr]${d}`; });
    this.exited = new Promise((res) => this.p.on('close', (code) => res(code ?? -1)));
    this.p.stdin.write('set pagesize 0 feedback off heading off linesize 32767 trimspool on trimout on tab off\nwhenever sqlerror continue\n');
  }

  /** Runs one statement (without ';') or SQL*Plus command (`cmd: true`) and waits for its output. */
  async run(text: string, opts: { cmd?: boolean; timeoutMs?: number } = {}): Promise<SqlplusResult> {
    const marker = `==SIM_MARK_${++this.n}==`;
    this.p.stdin.write(`${text}${opts.cmd ? '' : ';'}\nprompt ${marker}\n`);
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    while (!this.out.includes(`${marker}\n`)) {
      if (Date.now() > deadline) throw new Error(`sqlplus: no answer to ${JSON.stringify(text)}; got ${JSON.stringify(this.out)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const at = this.out.indexOf(`${marker}\n`);
    const got = this.out.slice(0, at);
    this.out = this.out.slice(at + marker.length + 1);
    const lines = got.split('\n').filter((l, i, a) => !(i === a.length - 1 && l === ''));
    const k = lines.findIndex((l) => /^ERROR at line \d+:$/.test(l));
    if (k >= 0) return { lines, error: lines.slice(k + 1).filter((l) => /^(ORA|SP2)-\d+/.test(l)) };
    return { lines };
  }

  /** Rows of a query (throws on an error). */
  async rows(text: string): Promise<string[]> {
    const r = await this.run(text);
    if (r.error) throw new Error(`${text}\n${r.error.join('\n')}`);
    return r.lines;
  }

  /** A statement that must succeed. */
  async exec(text: string): Promise<void> {
    const r = await this.run(text);
    if (r.error) throw new Error(`${text}\n${r.error.join('\n')}`);
  }

  /** A statement that must fail: its ORA lines. */
  async error(text: string): Promise<string[]> {
    const r = await this.run(text);
    if (!r.error) throw new Error(`expected an error from: ${text}; got ${JSON.stringify(r.lines)}`);
    return r.error;
  }

  kill(): void {
    if (this.p.exitCode === null) this.p.kill('SIGKILL');
  }

  async close(): Promise<number> {
    this.p.stdin.end('exit\n');
    return this.exited;
  }
}
