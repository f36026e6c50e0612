// Expression and condition parser (Oracle precedence: OR < AND < NOT < predicates <
// + - || < * / < unary sign).
import type { Expr, OrderItem, Select } from './ast.ts';
import { Cursor, RESERVED } from './cursor.ts';
import { SqlError, unsupported } from './errors.ts';
import { NOT_IMPLEMENTED, NOT_IMPLEMENTED_SYNTAX, NO_PAREN_UNSUPPORTED } from './not-implemented.ts';
import { OraNumber } from './number.ts';
import { castCall, intervalLiteral, trimCall, withinGroup } from './special-forms.ts';

export type SubqueryParser = (c: Cursor) => Select;

const CONDITIONS = new Set(['cmp', 'and', 'or', 'not', 'in', 'between', 'like', 'isnull', 'exists']);
export const isCondition = (e: Expr) => CONDITIONS.has(e.t);

export class ExprParser {
  constructor(readonly c: Cursor, readonly sub: SubqueryParser) {}

  /** A condition (WHERE, HAVING, ON, CASE WHEN). */
  condition(): Expr {
    const start = this.c.peek;
    const e = this.or();
    if (!isCondition(e)) throw new SqlError('ORA-00920: invalid relational operator', this.c.atEnd() ? start.pos : this.c.peek.pos);
    return e;
  }

  private or(): Expr {
    let l = this.and();
    while (this.c.acceptKw('OR')) {
      const r = this.and();
      l = { t: 'or', l, r, pos: l.pos, end: r.end };
    }
    return l;
  }

  private and(): Expr {
    let l = this.not();
    while (this.c.acceptKw('AND')) {
      const r = this.not();
      l = { t: 'and', l, r, pos: l.pos, end: r.end };
    }
    return l;
  }

  private not(): Expr {
    const p = this.c.peek.pos;
    if (this.c.acceptKw('NOT')) {
      const e = this.not();
      return { t: 'not', e, pos: p, end: e.end };
    }
    return this.predicate();
  }

  private predicate(): Expr {
    const c = this.c;
    const p = c.peek.pos;
    if (c.isKw('EXISTS') && c.isOp('(', 1)) {
      c.next(); c.next();
      const sub = this.sub(c);
      c.expectOp(')');
      return { t: 'exists', sub, pos: p, end: c.lastEnd };
    }
    const e = this.expr();
    const t = c.peek;
    if (t.kind === 'op' && ['=', '!=', '<>', '<', '<=', '>', '>='].includes(t.value)) {
      c.next();
      if (c.isKw('ANY') || c.isKw('SOME') || c.isKw('ALL')) throw unsupported(`${c.peek.value} comparison`, c.peek.pos);
      const r = this.expr();
      const op = (t.value === '<>' ? '!=' : t.value) as '=';
      return { t: 'cmp', op, l: e, r, pos: e.pos, end: r.end };
    }
    const not = c.isKw('NOT') && (c.isKw('IN', 1) || c.isKw('BETWEEN', 1) || c.isKw('LIKE', 1));
    if (not) c.next();
    if (c.acceptKw('IN')) {
      c.expectOp('(', 'ORA-00906: missing left parenthesis');
      if (c.isKw('SELECT') || c.isKw('WITH')) {
        const sub = this.sub(c);
        c.expectOp(')');
        return { t: 'in', e, sub, not, pos: e.pos, end: c.lastEnd };
      }
      const list: Expr[] = [this.expr()];
      while (c.acceptOp(',')) list.push(this.expr());
      c.expectOp(')');
      return { t: 'in', e, list, not, pos: e.pos, end: c.lastEnd };
    }
    if (c.acceptKw('BETWEEN')) {
      const lo = this.expr();
      c.expectKw('AND', 'ORA-00905: missing keyword');
      const hi = this.expr();
      return { t: 'between', e, lo, hi, not, pos: e.pos, end: hi.end };
    }
    if (c.acceptKw('LIKE')) {
      const pat = this.expr();
      const esc = c.acceptKw('ESCAPE') ? this.expr() : undefined;
      return { t: 'like', e, pat, esc, not, pos: e.pos, end: c.lastEnd };
    }
    if (c.acceptKw('IS')) {
      const isNot = c.acceptKw('NOT');
      c.expectKw('NULL', 'ORA-00908: missing NULL keyword');
      return { t: 'isnull', e, not: isNot, pos: e.pos, end: c.lastEnd };
    }
    return e;
  }

  /** A value expression. */
  expr(): Expr {
    let l = this.term();
    for (;;) {
      const t = this.c.peek;
      if (t.kind === 'op' && (t.value === '+' || t.value === '-' || t.value === '||')) {
        this.c.next();
        const r = this.term();
        l = { t: 'bin', op: t.value, l, r, pos: l.pos, end: r.end };
      } else return l;
    }
  }

  private term(): Expr {
    let l = this.unary();
    for (;;) {
      const t = this.c.peek;
      if (t.kind === 'op' && (t.value === '*' || t.value === '/')) {
        this.c.next();
        const r = this.unary();
        l = { t: 'bin', op: t.value, l, r, pos: l.pos, end: r.end };
      } else return l;
    }
  }

  private unary(): Expr {
    const t = this.c.peek;
    if (t.kind === 'op' && (t.value === '-' || t.value === '+')) {
      this.c.next();
      const e = this.unary();
      return t.value === '-' ? { t: 'neg', e, pos: t.pos, end: e.end } : e;
    }
    return this.primary();
  }

  private primary(): Expr {
    const c = this.c;
    const t = c.peek;
    if (t.kind === 'number') {
      c.next();
      return { t: 'num', v: OraNumber.parse(t.value)!, pos: t.pos, end: t.end };
    }
    if (t.kind === 'string') {
      c.next();
      return t.value === '' ? { t: 'null', pos: t.pos, end: t.end } : { t: 'str', v: t.value, pos: t.pos, end: t.end };
    }
    if (t.kind === 'op' && t.value === '(') {
      c.next();
      if (c.isKw('SELECT') || c.isKw('WITH')) {
        const sub = this.sub(c);
        c.expectOp(')');
        return { t: 'subq', sub, pos: t.pos, end: c.lastEnd };
      }
      const e = this.or();
      c.expectOp(')');
      return { ...e, pos: t.pos, end: c.lastEnd };
    }
    if (t.kind === 'ident' && t.value === 'NULL') { c.next(); return { t: 'null', pos: t.pos, end: t.end }; }
    if (t.kind === 'ident' && t.value === 'CASE') return this.caseExpr();
    if (t.kind === 'ident' && c.ahead(1).kind === 'string') {
      if (t.value === 'DATE') {
        c.next();
        const s = c.next();
        return { t: 'func', name: 'TO_DATE', args: [{ t: 'str', v: s.value, pos: s.pos, end: s.end }, { t: 'str', v: 'YYYY-MM-DD', pos: s.pos, end: s.end }], distinct: false, star: false, pos: t.pos, end: s.end };
      }
      if (t.value === 'INTERVAL') return intervalLiteral(c);
      if (t.value === 'TIMESTAMP') throw unsupported('TIMESTAMP literals', t.pos);
    }
    if (t.kind === 'ident' || t.kind === 'qident') {
      if (t.kind === 'ident' && NO_PAREN_UNSUPPORTED.has(t.value) && !c.isOp('.', 1)) throw unsupported(NO_PAREN_UNSUPPORTED.get(t.value)!, t.pos);
      if (t.kind === 'ident' && RESERVED.has(t.value) && !['SYSDATE', 'USER', 'UID', 'ROWNUM', 'LEVEL'].includes(t.value)) {
        throw new SqlError('ORA-00936: missing expression', t.pos);
      }
      if (c.isOp('(', 1) && c.isOp('+', 2) && c.isOp(')', 3)) throw unsupported('outer join operator (+)', c.ahead(1).pos);
      if (t.kind === 'ident' && c.isOp('(', 1)) return this.call();
      c.next();
      const parts = [t.value];
      const quoted = [t.kind === 'qident'];
      while (c.isOp('.')) {
        c.next();
        const n = c.peek;
        if (n.kind === 'op' && n.value === '*') { c.next(); return { t: 'star', table: parts.join('.'), pos: t.pos, end: n.end }; }
        if (n.kind !== 'ident' && n.kind !== 'qident') throw new SqlError('ORA-01747: invalid user.table.column, table.column, or column specification', n.pos);
        c.next();
        parts.push(n.value);
        quoted.push(n.kind === 'qident');
      }
      if (c.isOp('(') && c.isOp('+', 1) && c.isOp(')', 2)) throw unsupported('outer join operator (+)', c.peek.pos);
      if (c.isOp('(')) throw unsupported(`PL/SQL function calls (${parts.join('.')})`, t.pos);
      return { t: 'col', parts, quoted, pos: t.pos, end: c.lastEnd };
    }
    throw new SqlError('ORA-00936: missing expression', t.pos);
  }

  private caseExpr(): Expr {
    const c = this.c;
    const start = c.next();
    const operand = c.isKw('WHEN') ? undefined : this.expr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (c.acceptKw('WHEN')) {
      const when = operand ? this.expr() : this.condition();
      c.expectKw('THEN', 'ORA-00905: missing keyword');
      whens.push({ when, then: this.expr() });
    }
    if (!whens.length) throw new SqlError('ORA-00905: missing keyword', c.peek.pos);
    const els = c.acceptKw('ELSE') ? this.expr() : undefined;
    c.expectKw('END', 'ORA-00905: missing keyword');
    return { t: 'case', operand, whens, else: els, pos: start.pos, end: c.lastEnd };
  }

  private call(): Expr {
    const c = this.c;
    const name = c.next();
    c.next(); // (
    if (name.value === 'TRIM') return trimCall(this, name.pos);
    if (name.value === 'CAST') return castCall(this, name.pos);
    if (NOT_IMPLEMENTED_SYNTAX.has(name.value)) throw unsupported(name.value, name.pos);
    let distinct = false;
    let star = false;
    const args: Expr[] = [];
    if (c.isOp('*')) { c.next(); star = true; }
    else if (!c.isOp(')')) {
      if (c.acceptKw('DISTINCT') || c.acceptKw('UNIQUE')) distinct = true;
      else c.acceptKw('ALL');
      args.push(this.expr());
      while (c.acceptOp(',')) args.push(this.expr());
    }
    if (name.value === 'LISTAGG' && c.isKw('ON') && c.isKw('OVERFLOW', 1)) throw unsupported('LISTAGG ON OVERFLOW', c.peek.pos);
    c.expectOp(')');
    if (NOT_IMPLEMENTED.has(name.value)) throw unsupported(name.value, name.pos);
    const e: Expr & { t: 'func' } = { t: 'func', name: name.value, args, distinct, star, pos: name.pos, end: c.lastEnd };
    if (name.value === 'LISTAGG') { e.within = withinGroup(this); e.end = c.lastEnd; }
    if (c.isKw('OVER') && c.isOp('(', 1)) throw unsupported('analytic function (OVER)', c.peek.pos);
    if (c.isKw('KEEP') && c.isOp('(', 1)) throw unsupported('KEEP (DENSE_RANK FIRST|LAST)', c.peek.pos);
    return e;
  }

  /** ORDER BY items: expr [ASC|DESC] [NULLS FIRST|LAST], ... */
  orderItems(): OrderItem[] {
    const c = this.c;
    const items: OrderItem[] = [];
    do {
      const expr = this.expr();
      let desc = false;
      if (c.acceptKw('DESC')) desc = true; else c.acceptKw('ASC');
      let nullsFirst: boolean | undefined;
      if (c.acceptKw('NULLS', 'FIRST')) nullsFirst = true;
      else if (c.acceptKw('NULLS', 'LAST')) nullsFirst = false;
      items.push({ expr, desc, nullsFirst });
    } while (c.acceptOp(','));
    return items;
  }
}
