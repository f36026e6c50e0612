// Turns input lines into SQL statements and SQL*Plus commands, exactly when SQL*Plus
// would: SQL ends at a line ending in ';' or at a '/' line (PL/SQL blocks only at '/'),
// a blank line ends SQL without running it (SQLBLANKLINES OFF), '.' likewise;
// SQL*Plus commands end at the end of the line ('-' continues them). Substitution variables
// (&name) are replaced when a statement or command runs, not when its lines are read.
import { runCommand, type CommandHost } from './commands.ts';
import type { Session } from './session.ts';
import { expandPrompt, substituteLine, substituteStatement } from './substitution.ts';

const SQL_START = new Set(['SELECT', 'WITH', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'ALTER', 'CREATE', 'DROP', 'GRANT',
  'REVOKE', 'TRUNCATE', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'COMMENT', 'AUDIT', 'NOAUDIT', 'ANALYZE', 'EXPLAIN', 'LOCK',
  'RENAME', 'CALL', 'PURGE', 'FLASHBACK', 'ASSOCIATE', 'DISASSOCIATE', 'ADMINISTER', 'VALUES']);
const PLSQL_START = new Set(['BEGIN', 'DECLARE']);

export class ScriptRunner implements CommandHost {
  private buf: string[] | undefined;
  private plsql = false;
  private inComment = false;
  private cont: string | undefined;

  constructor(readonly session: Session) {}

  /** Prompt SQL*Plus shows before the next line (non-silent mode). */
  prompt(): string {
    if (this.buf) return `${String(this.buf.length + 1).padStart(3)}  `;
    return expandPrompt(this.session.st.sqlprompt, this.session.vars);
  }

  async runScript(lines: string[]): Promise<void> {
    for (const l of lines) await this.line(l);
    if (this.buf) this.endBuffer();
  }

  async rerun(): Promise<void> {
    const s = this.session;
    if (!s.lastSql) { s.out('SP2-0103: Nothing in SQL buffer to run.\n'); return; }
    await s.runSql(s.lastSql);
  }

  private endBuffer(): void {
    if (this.buf) this.session.lastSql = this.buf.join('\n');
    this.buf = undefined;
    this.plsql = false;
  }

  private async execBuffer(lines: string[]): Promise<void> {
    this.buf = undefined;
    this.plsql = false;
    await this.session.runSql((await substituteStatement(this.session, lines)).join('\n'));
  }

  private async command(line: string): Promise<void> {
    await runCommand(this, await substituteLine(this.session, line));
  }

  async line(raw: string): Promise<void> {
    const line = raw.replace(/\r$/, '');
    const t = line.trim();
    if (this.cont !== undefined) {
      const joined = this.cont + ' ' + line;
      if (/\s-$/.test(line) || line.trim() === '-') { this.cont = joined.replace(/-\s*$/, ''); return; }
      this.cont = undefined;
      await this.command(joined);
      return;
    }
    if (this.buf) {
      if (t === '/') return this.execBuffer(this.buf);
      if (t === '.') return this.endBuffer();
      if (t === '' && !this.session.st.sqlblanklines && !this.plsql) return this.endBuffer();
      if (!this.plsql && /;\s*$/.test(line)) return this.execBuffer([...this.buf, line.replace(/;\s*$/, '')]);
      this.buf.push(line);
      return;
    }
    if (this.inComment) { if (t.includes('*/')) this.inComment = false; return; }
    if (t === '') return;
    if (t === '/') return this.rerun();
    if (t.startsWith('--')) return;
    if (t.startsWith('/*')) { if (!t.includes('*/')) this.inComment = true; return; }
    const first = /^[A-Za-z_]+/.exec(t)?.[0]?.toUpperCase() ?? (t.startsWith('(') ? 'SELECT' : '');
    const second = /^[A-Za-z_]+\s+([A-Za-z_]+)/.exec(t)?.[1]?.toUpperCase();
    const isSql = SQL_START.has(first) || (first === 'SET' && (second === 'TRANSACTION' || second === 'ROLE' || second === 'CONSTRAINT' || second === 'CONSTRAINTS'));
    const isPlsql = PLSQL_START.has(first) || (first === 'CREATE' && /^CREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|PACKAGE|TRIGGER|TYPE)\b/i.test(t));
    if (isPlsql) { this.buf = [line]; this.plsql = true; return; }
    if (isSql) {
      if (/;\s*$/.test(line)) return this.execBuffer([line.replace(/;\s*$/, '')]);
      this.buf = [line];
      return;
    }
    if (/\s-$/.test(line)) { this.cont = line.replace(/-\s*$/, ''); return; }
    await this.command(line);
  }

  /** End of input: an unterminated statement stays in the buffer, unexecuted, as in SQL*Plus. */
  end(): void {
    if (this.buf) this.endBuffer();
    if (this.cont !== undefined) { const c = this.cont; this.cont = undefined; void runCommand(this, c); }
  }
}
