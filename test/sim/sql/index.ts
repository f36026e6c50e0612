// The SQL engine's entry point: executeSql(text, target) → rows or a feedback message.
export * from './types.ts';
import type { SqlResult, SqlTarget } from './types.ts';
import { tokenize } from './lexer.ts';
import { Cursor } from './cursor.ts';
import { SqlError } from './errors.ts';
import { parseSelect } from './select-parser.ts';
import { runSelect } from './select-exec.ts';
import { parseAlter } from './statements.ts';
import type { Ctx, Frame } from './eval.ts';
import type { Select } from './ast.ts';
import { dictionaryName } from './from.ts';
import { toCell, wholeSeconds } from './values.ts';
export { SqlError, lineCol } from './errors.ts';
export { encodeResult, encodeError, decodeResult } from './wire.ts';

const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

export async function executeSql(text: string, target: SqlTarget): Promise<SqlResult> {
  const toks = tokenize(text);
  const c = new Cursor(toks, text);
  const first = c.peek;
  if (first.kind === 'ident' && (first.value === 'SELECT' || first.value === 'WITH') || (first.kind === 'op' && first.value === '(')) {
    const q = parseSelect(c);
    if (!c.atEnd()) throw new SqlError('ORA-00933: SQL command not properly ended', c.peek.pos);
    const ctx: Ctx = {
      target,
      now: wholeSeconds(target.now?.() ?? new Date()), // SYSDATE: a DATE, no fraction of a second
      run: (sq: Select, outer: Frame | undefined) => runSelect(sq, ctx, outer),
      subCache: new Map(),
      ctes: [],
    };
    const r = runSelect(q, ctx, undefined);
    return { type: 'rows', columns: r.columns, rows: r.rows.map((row) => row.map((v, i) => toCell(v, q.items[i]?.expr.pos ?? 0))) };
  }
  if (first.kind === 'ident' && first.value === 'ALTER') {
    const cmds = parseAlter(c);
    let message = '';
    for (const cmd of cmds) message = await target.exec(cmd);
    return { type: 'done', message };
  }
  if (first.kind === 'ident' && (first.value === 'COMMIT' || first.value === 'ROLLBACK')) {
    c.next();
    c.acceptKw('WORK');
    if (!c.atEnd()) throw new SqlError('ORA-00933: SQL command not properly ended', c.peek.pos);
    return { type: 'done', message: first.value === 'COMMIT' ? 'Commit complete.' : 'Rollback complete.' };
  }
  if (first.kind === 'ident' && DML.has(first.value)) throw dmlError(c, target);
  throw new SqlError('ORA-00900: invalid SQL statement', first.pos);
}

function dmlError(c: Cursor, target: SqlTarget): SqlError {
  c.next();
  c.acceptKw('INTO') || c.acceptKw('FROM');
  let t = c.peek;
  if (t.kind !== 'ident' && t.kind !== 'qident') return new SqlError('ORA-00903: invalid table name', t.pos);
  let owner: string | undefined;
  if (c.isOp('.', 1)) { owner = t.value; c.next(); c.next(); t = c.peek; }
  const name = dictionaryName(owner, t.value);
  return new SqlError(name !== undefined && target.view(name)
    ? 'ORA-02030: can only select from fixed tables/views'
    : 'ORA-00942: table or view does not exist', t.pos);
}

