// SELECT statement parser.
import type { Expr, FromItem, OrderItem, Select, SelectItem } from './ast.ts';
import { Cursor, RESERVED } from './cursor.ts';
import { ExprParser } from './expr-parser.ts';
import { SqlError, unsupported } from './errors.ts';

const NOT_ALIAS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'OUTER', 'ON', 'USING', 'FETCH', 'OFFSET', 'PIVOT', 'UNPIVOT', 'CONNECT', 'START']);

/** Oracle's name for an unaliased select expression: its text, upper-cased, blanks removed. */
export function headingText(src: string): string {
  let out = '';
  let q: string | null = null;
  for (const ch of src) {
    if (q) { out += q === "'" ? ch.toUpperCase() : ch; if (ch === q) q = null; continue; }
    if (ch === "'" || ch === '"') { q = ch; out += ch; continue; }
    if (/\s/.test(ch)) continue;
    out += ch.toUpperCase();
  }
  return out;
}

export function parseSelect(c: Cursor): Select {
  if (c.isKw('WITH')) {
    c.next();
    const ctes: NonNullable<Select['with']> = [];
    do {
      const n = c.peek;
      if (n.kind !== 'ident' && n.kind !== 'qident') throw new SqlError('ORA-00903: invalid table name', n.pos);
      c.next();
      let columns: string[] | undefined;
      if (c.acceptOp('(')) {
        columns = [];
        do { const t = c.next(); if (t.kind !== 'ident' && t.kind !== 'qident') throw new SqlError('ORA-00904: : invalid identifier', t.pos); columns.push(t.value); } while (c.acceptOp(','));
        c.expectOp(')');
      }
      c.expectKw('AS', 'ORA-00905: missing keyword');
      c.expectOp('(', 'ORA-00906: missing left parenthesis');
      const q = parseSelect(c);
      c.expectOp(')');
      ctes.push({ name: n.value, columns, q });
    } while (c.acceptOp(','));
    const main = parseSelect(c);
    main.with = [...ctes, ...(main.with ?? [])];
    return main;
  }
  const head = parseSelectCore(c);
  while (c.isKw('UNION') || c.isKw('MINUS') || c.isKw('INTERSECT')) {
    let op = c.next().value as 'UNION' | 'UNION ALL' | 'MINUS' | 'INTERSECT';
    if (op === 'UNION' && c.acceptKw('ALL')) op = 'UNION ALL';
    const paren = c.acceptOp('(');
    const q = paren ? parseSelect(c) : parseSelectCore(c);
    if (paren) c.expectOp(')');
    (head.setOps ??= []).push({ op, q });
  }
  if (c.isKw('ORDER') && c.isKw('BY', 1)) {
    c.next(); c.next();
    head.orderBy = parseOrderBy(c);
  }
  const count = (): number => {
    const t = c.peek;
    if (t.kind !== 'number') throw new SqlError('ORA-00936: missing expression', t.pos);
    c.next();
    return Number(t.value);
  };
  if (c.acceptKw('OFFSET')) {
    head.fetch = { offset: count() };
    if (!c.acceptKw('ROWS')) c.expectKw('ROW', 'ORA-00905: missing keyword');
  }
  if (c.acceptKw('FETCH')) {
    if (!c.acceptKw('FIRST')) c.expectKw('NEXT', 'ORA-00905: missing keyword');
    const n = count();
    if (!c.acceptKw('ROWS')) c.expectKw('ROW', 'ORA-00905: missing keyword');
    c.expectKw('ONLY', 'ORA-00905: missing keyword');
    head.fetch = { offset: head.fetch?.offset ?? 0, count: n };
  }
  return head;
}

function parseOrderBy(c: Cursor): OrderItem[] {
  return new ExprParser(c, parseSelect).orderItems();
}

function alias(c: Cursor, forTable: boolean): string | undefined {
  if (c.acceptKw('AS')) {
    const t = c.peek;
    if (forTable) throw new SqlError('ORA-00933: SQL command not properly ended', t.pos);
    if (t.kind !== 'ident' && t.kind !== 'qident') throw new SqlError('ORA-00923: FROM keyword not found where expected', t.pos);
    c.next();
    return t.value;
  }
  const t = c.peek;
  if (t.kind === 'qident') { c.next(); return t.value; }
  if (t.kind === 'ident' && !RESERVED.has(t.value) && !(forTable && NOT_ALIAS.has(t.value))) { c.next(); return t.value; }
  return undefined;
}

function parseSelectCore(c: Cursor): Select {
  const start = c.peek;
  if (c.isOp('(')) {
    c.next();
    const q = parseSelect(c);
    c.expectOp(')');
    return q;
  }
  c.expectKw('SELECT', 'ORA-00928: missing SELECT keyword');
  const ep = new ExprParser(c, parseSelect);
  let distinct = false;
  if (c.acceptKw('DISTINCT') || c.acceptKw('UNIQUE')) distinct = true;
  else c.acceptKw('ALL');
  const items: SelectItem[] = [];
  do {
    if (c.isOp('*')) {
      const t = c.next();
      items.push({ expr: { t: 'star', pos: t.pos, end: t.end }, text: '*' });
      continue;
    }
    const expr = ep.expr();
    const a = alias(c, false);
    const text = expr.t === 'col' ? expr.parts[expr.parts.length - 1] : headingText(c.text.slice(expr.pos, expr.end));
    items.push({ expr, alias: a, text });
  } while (c.acceptOp(','));
  if (!c.isKw('FROM')) {
    const t = c.peek;
    if (t.kind === 'ident' || t.kind === 'qident' || t.kind === 'eof' || t.kind === 'string' || t.kind === 'number') {
      throw new SqlError('ORA-00923: FROM keyword not found where expected', t.pos);
    }
    throw new SqlError('ORA-00923: FROM keyword not found where expected', t.pos);
  }
  c.next();
  const from: FromItem[] = [];
  do from.push(parseJoinChain(c)); while (c.acceptOp(','));
  const q: Select = { distinct, items, from, pos: start.pos };
  for (;;) {
    if ((c.isKw('CONNECT') && c.isKw('BY', 1)) || (c.isKw('START') && c.isKw('WITH', 1))) throw unsupported('CONNECT BY', c.peek.pos);
    if (c.isKw('MODEL')) throw unsupported('MODEL clause', c.peek.pos);
    if (!q.where && c.acceptKw('WHERE')) q.where = ep.condition();
    else if (!q.groupBy && c.isKw('GROUP') && c.isKw('BY', 1)) {
      c.next(); c.next();
      if ((c.isKw('ROLLUP') || c.isKw('CUBE')) && c.isOp('(', 1)) throw unsupported(`GROUP BY ${c.peek.value}`, c.peek.pos);
      if (c.isKw('GROUPING') && c.isKw('SETS', 1)) throw unsupported('GROUP BY GROUPING SETS', c.peek.pos);
      const g: Expr[] = [];
      do g.push(ep.expr()); while (c.acceptOp(','));
      q.groupBy = g;
    } else if (!q.having && c.acceptKw('HAVING')) q.having = ep.condition();
    else break;
  }
  return q;
}

function parseTableRef(c: Cursor): FromItem {
  const t = c.peek;
  if (t.kind === 'op' && t.value === '(') {
    c.next();
    const q = parseSelect(c);
    c.expectOp(')');
    return { kind: 'sub', q, alias: alias(c, true), pos: t.pos };
  }
  if (t.kind !== 'ident' && t.kind !== 'qident') throw new SqlError('ORA-00903: invalid table name', t.pos);
  if (t.kind === 'ident' && RESERVED.has(t.value)) throw new SqlError('ORA-00903: invalid table name', t.pos);
  c.next();
  let owner: string | undefined;
  let name = t.value;
  if (c.isOp('.')) {
    c.next();
    const n = c.peek;
    if (n.kind !== 'ident' && n.kind !== 'qident') throw new SqlError('ORA-00903: invalid table name', n.pos);
    c.next();
    owner = name;
    name = n.value;
  }
  if (c.isOp('@')) throw unsupported('database links', c.peek.pos);
  if (c.isKw('AS') && c.isKw('OF', 1)) throw unsupported('flashback query (AS OF)', c.peek.pos);
  const a = alias(c, true);
  if ((c.isKw('PIVOT') || c.isKw('UNPIVOT')) && (c.isOp('(', 1) || c.isKw('INCLUDE', 1) || c.isKw('EXCLUDE', 1))) throw unsupported(c.peek.value, c.peek.pos);
  return { kind: 'view', owner, name, alias: a, pos: t.pos };
}

function parseJoinChain(c: Cursor): FromItem {
  let left = parseTableRef(c);
  const ep = new ExprParser(c, parseSelect);
  for (;;) {
    const pos = c.peek.pos;
    let type: 'inner' | 'left' | 'right' | 'cross';
    if (c.acceptKw('JOIN') || c.acceptKw('INNER', 'JOIN')) type = 'inner';
    else if (c.acceptKw('LEFT', 'OUTER', 'JOIN') || c.acceptKw('LEFT', 'JOIN')) type = 'left';
    else if (c.acceptKw('RIGHT', 'OUTER', 'JOIN') || c.acceptKw('RIGHT', 'JOIN')) type = 'right';
    else if (c.acceptKw('CROSS', 'JOIN')) type = 'cross';
    else if (c.isKw('FULL')) throw unsupported('FULL OUTER JOIN', pos);
    else if (c.isKw('NATURAL')) throw unsupported('NATURAL JOIN', pos);
    else if ((c.isKw('CROSS') || c.isKw('OUTER')) && c.isKw('APPLY', 1)) throw unsupported(`${c.peek.value} APPLY`, pos);
    else return left;
    const right = parseTableRef(c);
    let on: Expr | undefined;
    if (type !== 'cross') {
      if (c.isKw('USING')) throw unsupported('JOIN ... USING', c.peek.pos);
      c.expectKw('ON', 'ORA-00905: missing keyword');
      on = ep.condition();
    }
    left = { kind: 'join', type, left, right, on, pos };
  }
}
