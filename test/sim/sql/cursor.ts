// Token cursor shared by the parsers.
import type { Token } from './lexer.ts';
import { SqlError } from './errors.ts';

export class Cursor {
  i = 0;
  constructor(readonly toks: Token[], readonly text: string) {}
  get peek(): Token { return this.toks[this.i]; }
  ahead(k: number): Token { return this.toks[Math.min(this.i + k, this.toks.length - 1)]; }
  next(): Token { const t = this.toks[this.i]; if (t.kind !== 'eof') this.i++; return t; }
  /** Is the current token the (unquoted) keyword kw? */
  isKw(kw: string, k = 0): boolean { const t = this.ahead(k); return t.kind === 'ident' && t.value === kw; }
  isOp(op: string, k = 0): boolean { const t = this.ahead(k); return t.kind === 'op' && t.value === op; }
  acceptKw(...kws: string[]): boolean {
    for (let k = 0; k < kws.length; k++) if (!this.isKw(kws[k], k)) return false;
    this.i += kws.length;
    return true;
  }
  acceptOp(op: string): boolean { if (this.isOp(op)) { this.i++; return true; } return false; }
  expectOp(op: string, err = 'ORA-00907: missing right parenthesis'): Token {
    if (!this.isOp(op)) throw new SqlError(err, this.peek.pos);
    return this.next();
  }
  expectKw(kw: string, err: string): Token {
    if (!this.isKw(kw)) throw new SqlError(err, this.peek.pos);
    return this.next();
  }
  /** The last consumed token's end offset. */
  get lastEnd(): number { return this.i > 0 ? this.toks[this.i - 1].end : 0; }
  atEnd(): boolean { return this.peek.kind === 'eof'; }
}

export const RESERVED = new Set([
  'ACCESS', 'ADD', 'ALL', 'ALTER', 'AND', 'ANY', 'AS', 'ASC', 'AUDIT', 'BETWEEN', 'BY', 'CHAR', 'CHECK', 'CLUSTER',
  'COLUMN', 'COMMENT', 'COMPRESS', 'CONNECT', 'CREATE', 'CURRENT', 'DATE', 'DECIMAL', 'DEFAULT', 'DELETE', 'DESC',
  'DISTINCT', 'DROP', 'ELSE', 'EXCLUSIVE', 'EXISTS', 'FILE', 'FLOAT', 'FOR', 'FROM', 'GRANT', 'GROUP', 'HAVING',
  'IDENTIFIED', 'IMMEDIATE', 'IN', 'INCREMENT', 'INDEX', 'INITIAL', 'INSERT', 'INTEGER', 'INTERSECT', 'INTO', 'IS',
  'LEVEL', 'LIKE', 'LOCK', 'LONG', 'MAXEXTENTS', 'MINUS', 'MLSLABEL', 'MODE', 'MODIFY', 'NOAUDIT', 'NOCOMPRESS', 'NOT',
  'NOWAIT', 'NULL', 'NUMBER', 'OF', 'OFFLINE', 'ON', 'ONLINE', 'OPTION', 'OR', 'ORDER', 'PCTFREE', 'PRIOR', 'PUBLIC',
  'RAW', 'RENAME', 'RESOURCE', 'REVOKE', 'ROW', 'ROWS', 'SELECT', 'SESSION', 'SET', 'SHARE', 'SIZE', 'SMALLINT',
  'START', 'SUCCESSFUL', 'SYNONYM', 'SYSDATE', 'TABLE', 'THEN', 'TO', 'TRIGGER', 'UID', 'UNION', 'UNIQUE', 'UPDATE',
  'USER', 'VALIDATE', 'VALUES', 'VARCHAR', 'VARCHAR2', 'VIEW', 'WHENEVER', 'WHERE', 'WITH',
]);
