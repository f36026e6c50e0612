// Expression evaluation over a row frame: column resolution (with outer frames for
// correlated subqueries), three-valued conditions, aggregates over a group.
import type { Expr, Select } from './ast.ts';
import { AGGREGATES } from './ast.ts';
import type { Cell, ColumnDef, ColumnType, SqlTarget } from './types.ts';
import { SqlError, invalidIdentifier } from './errors.ts';
import { FUNCTIONS } from './functions.ts';
import { compare, fromCell, likeToRegExp, tidy, toDate, toNumber, toText, valKey, type Val } from './values.ts';

export interface Source { alias: string; columns: ColumnDef[]; rows: Cell[][] }
export interface Ctx {
  target: SqlTarget;
  now: Date;
  run: (q: Select, outer: Frame | undefined) => { columns: ColumnDef[]; rows: Val[][] };
  subCache: Map<Select, Val[][]>;
  /** WITH queries in scope, innermost last */
  ctes: Map<string, { columns?: string[]; q: Select }>[];
}
export interface Scope { sources: Source[]; outer?: Frame; ctx: Ctx; resolved: Map<Expr, [number, number, number]>; correlated: boolean }
export interface Frame { scope: Scope; row: (Cell[] | null)[]; rownum: number; group?: Frame[] }

const PSEUDO = new Set(['ROWNUM', 'SYSDATE', 'SYSTIMESTAMP', 'USER', 'UID', 'LEVEL']);

export function newScope(ctx: Ctx, sources: Source[], outer?: Frame): Scope {
  return { sources, outer, ctx, resolved: new Map(), correlated: false };
}

/** [depth, source index, column index] of a column reference. */
export function resolve(scope: Scope, e: Expr & { t: 'col' }): [number, number, number] {
  const hit = scope.resolved.get(e);
  if (hit) return hit;
  let depth = 0;
  let s: Scope | undefined = scope;
  while (s) {
    const r = resolveHere(s, e);
    if (r) {
      const res: [number, number, number] = [depth, r[0], r[1]];
      if (depth > 0) scope.correlated = true;
      scope.resolved.set(e, res);
      return res;
    }
    s = s.outer?.scope;
    depth++;
  }
  throw invalidIdentifier(e.parts, e.pos);
}

function resolveHere(s: Scope, e: Expr & { t: 'col' }): [number, number] | undefined {
  const name = e.parts[e.parts.length - 1];
  const qual = e.parts.length > 1 ? e.parts[e.parts.length - 2] : undefined;
  let found: [number, number] | undefined;
  for (let si = 0; si < s.sources.length; si++) {
    const src = s.sources[si];
    if (qual !== undefined && src.alias !== qual) continue;
    const ci = src.columns.findIndex((c) => c.name === name);
    if (ci < 0) continue;
    if (found) throw new SqlError('ORA-00918: column ambiguously defined', e.pos);
    found = [si, ci];
  }
  return found;
}

export function isPseudo(e: Expr): boolean {
  return e.t === 'col' && e.parts.length === 1 && !e.quoted[0] && PSEUDO.has(e.parts[0]);
}

function frameAt(f: Frame, depth: number): Frame {
  let x = f;
  for (let i = 0; i < depth; i++) x = x.scope.outer!;
  return x;
}

export function evaluate(e: Expr, f: Frame): Val {
  switch (e.t) {
    case 'num': return e.v;
    case 'str': return e.v;
    case 'null': return null;
    case 'col': {
      if (isPseudo(e)) return pseudo(e.parts[0], f);
      const [d, si, ci] = resolve(f.scope, e);
      const fr = frameAt(f, d);
      return fromCell(fr.row[si]?.[ci]);
    }
    case 'star': throw new SqlError('ORA-00936: missing expression', e.pos);
    case 'neg': { const v = toNumber(evaluate(e.e, f), e.pos); return v === null ? null : -v; }
    case 'bin': return binary(e.op, evaluate(e.l, f), evaluate(e.r, f), e.pos);
    case 'func': return call(e, f);
    case 'case': {
      if (e.operand) {
        const x = evaluate(e.operand, f);
        for (const w of e.whens) if (x !== null && compare(x, evaluate(w.when, f), w.when.pos) === 0) return evaluate(w.then, f);
      } else {
        for (const w of e.whens) if (condition(w.when, f) === true) return evaluate(w.then, f);
      }
      return e.else ? evaluate(e.else, f) : null;
    }
    case 'subq': {
      const rows = subRows(e.sub, f, e.pos);
      if (rows.length > 1) throw new SqlError('ORA-01427: single-row subquery returns more than one row', e.pos);
      return rows.length ? rows[0][0] : null;
    }
    default: throw new SqlError('ORA-00936: missing expression', e.pos);
  }
}

function pseudo(name: string, f: Frame): Val {
  switch (name) {
    case 'ROWNUM': return f.rownum;
    case 'SYSDATE': case 'SYSTIMESTAMP': return f.scope.ctx.now;
    case 'USER': return 'SYS';
    case 'UID': return 0;
    default: throw new SqlError('ORA-01788: CONNECT BY clause required in this query block', 0);
  }
}

function binary(op: string, a: Val, b: Val, pos: number): Val {
  if (op === '||') {
    const s = (toText(a) ?? '') + (toText(b) ?? '');
    return s === '' ? null : s;
  }
  if (a === null || b === null) return null;
  if (a instanceof Date || b instanceof Date) {
    if (op === '+' && a instanceof Date && !(b instanceof Date)) return new Date(a.getTime() + toNumber(b, pos)! * 86400000);
    if (op === '+' && b instanceof Date && !(a instanceof Date)) return new Date(b.getTime() + toNumber(a, pos)! * 86400000);
    if (op === '-' && a instanceof Date && b instanceof Date) return tidy((a.getTime() - b.getTime()) / 86400000);
    if (op === '-' && a instanceof Date) return new Date(a.getTime() - toNumber(b, pos)! * 86400000);
    throw new SqlError('ORA-00932: inconsistent datatypes: expected NUMBER got DATE', pos);
  }
  const x = toNumber(a, pos)!;
  const y = toNumber(b, pos)!;
  switch (op) {
    case '+': return tidy(x + y);
    case '-': return tidy(x - y);
    case '*': return tidy(x * y);
    default:
      if (y === 0) throw new SqlError('ORA-01476: divisor is equal to zero', pos);
      return tidy(x / y);
  }
}

function subRows(q: Select, f: Frame, pos: number): Val[][] {
  const ctx = f.scope.ctx;
  const cached = ctx.subCache.get(q);
  if (cached) return cached;
  const r = ctx.run(q, f);
  if (r.columns.length !== 1) throw new SqlError('ORA-00913: too many values', pos);
  if (!(r as { correlated?: boolean }).correlated) ctx.subCache.set(q, r.rows);
  return r.rows;
}

function call(e: Expr & { t: 'func' }, f: Frame): Val {
  if (AGGREGATES.has(e.name)) return aggregate(e, f);
  if (e.name === 'SYS_CONTEXT' && f.scope.ctx.target.context) return sysContext(e, f);
  const def = FUNCTIONS[e.name];
  if (!def) throw invalidIdentifier([e.name], e.pos);
  if (e.star || e.distinct) throw new SqlError('ORA-00936: missing expression', e.pos);
  if (e.args.length < def.min || e.args.length > def.max) throw new SqlError('ORA-00909: invalid number of arguments', e.pos);
  return def.fn(e.args.map((a) => evaluate(a, f)), e.pos);
}

/** SYS_CONTEXT('USERENV', 'CON_NAME') etc.: answered by the instance for the session (SqlTarget.context). */
function sysContext(e: Expr & { t: 'func' }, f: Frame): Val {
  if (e.args.length < 2 || e.args.length > 3) throw new SqlError('ORA-00909: invalid number of arguments', e.pos);
  const [ns, p] = e.args.slice(0, 2).map((a) => evaluate(a, f));
  if (ns === null || p === null) return null;
  return f.scope.ctx.target.context!(String(ns).toUpperCase(), String(p).toUpperCase());
}

function aggregate(e: Expr & { t: 'func' }, f: Frame): Val {
  if (!f.group) throw new SqlError('ORA-00934: group function is not allowed here', e.pos);
  if (e.star) {
    if (e.name !== 'COUNT') throw new SqlError('ORA-00936: missing expression', e.pos);
    return f.group.length;
  }
  if (e.args.length !== 1) throw new SqlError('ORA-00909: invalid number of arguments', e.pos);
  let vals = f.group.map((m) => evaluate(e.args[0], m)).filter((v) => v !== null) as Exclude<Val, null>[];
  if (e.distinct) {
    const seen = new Set<string>();
    vals = vals.filter((v) => { const k = valKey(v); if (seen.has(k)) return false; seen.add(k); return true; });
  }
  switch (e.name) {
    case 'COUNT': return vals.length;
    case 'SUM': case 'AVG': {
      if (!vals.length) return null;
      const s = vals.reduce<number>((acc, v) => tidy(acc + toNumber(v, e.pos)!), 0);
      return e.name === 'SUM' ? s : tidy(s / vals.length);
    }
    default: {
      let best: Val = null;
      for (const v of vals) if (best === null || compare(v, best, e.pos)! * (e.name === 'MAX' ? 1 : -1) > 0) best = v;
      return best;
    }
  }
}

/** Three-valued condition: true, false or null (unknown). */
export function condition(e: Expr, f: Frame): boolean | null {
  switch (e.t) {
    case 'and': {
      const a = condition(e.l, f);
      if (a === false) return false;
      const b = condition(e.r, f);
      if (b === false) return false;
      return a === null || b === null ? null : true;
    }
    case 'or': {
      const a = condition(e.l, f);
      if (a === true) return true;
      const b = condition(e.r, f);
      if (b === true) return true;
      return a === null || b === null ? null : false;
    }
    case 'not': { const a = condition(e.e, f); return a === null ? null : !a; }
    case 'cmp': {
      const c = compare(evaluate(e.l, f), evaluate(e.r, f), e.pos);
      if (c === null) return null;
      switch (e.op) {
        case '=': return c === 0;
        case '!=': return c !== 0;
        case '<': return c < 0;
        case '<=': return c <= 0;
        case '>': return c > 0;
        default: return c >= 0;
      }
    }
    case 'isnull': { const v = evaluate(e.e, f); return e.not ? v !== null : v === null; }
    case 'between': {
      const v = evaluate(e.e, f);
      const lo = compare(v, evaluate(e.lo, f), e.pos);
      const hi = compare(v, evaluate(e.hi, f), e.pos);
      const r = lo === null || hi === null ? (lo !== null && lo < 0) || (hi !== null && hi > 0) ? false : null : lo >= 0 && hi <= 0;
      return r === null ? null : e.not ? !r : r;
    }
    case 'like': {
      const v = evaluate(e.e, f), p = evaluate(e.pat, f);
      const esc = e.esc ? toText(evaluate(e.esc, f)) : null;
      if (v === null || p === null) return null;
      const r = likeToRegExp(toText(p)!, esc).test(toText(v)!);
      return e.not ? !r : r;
    }
    case 'in': {
      const v = evaluate(e.e, f);
      const cands = e.sub ? subRows(e.sub, f, e.pos).map((r) => r[0]) : e.list!.map((x) => evaluate(x, f));
      if (v === null) return cands.length === 0 ? (e.not ? true : false) : null;
      let unknown = false;
      for (const c of cands) {
        const r = compare(v, c, e.pos);
        if (r === 0) return !e.not;
        if (r === null) unknown = true;
      }
      return unknown ? null : e.not;
    }
    case 'exists': return f.scope.ctx.run(e.sub, f).rows.length > 0;
    default: throw new SqlError('ORA-00920: invalid relational operator', e.end);
  }
}

/** Static result type of an expression (falls back to VARCHAR2). */
export function typeOf(e: Expr, scope: Scope): ColumnType {
  switch (e.t) {
    case 'num': case 'neg': return 'NUMBER';
    case 'str': case 'null': return 'VARCHAR2';
    case 'col': {
      if (isPseudo(e)) return e.parts[0] === 'SYSDATE' || e.parts[0] === 'SYSTIMESTAMP' ? 'DATE' : e.parts[0] === 'USER' ? 'VARCHAR2' : 'NUMBER';
      const [d, si, ci] = resolve(scope, e);
      let s = scope;
      for (let i = 0; i < d; i++) s = s.outer!.scope;
      return s.sources[si].columns[ci].type;
    }
    case 'bin': {
      if (e.op === '||') return 'VARCHAR2';
      const l = typeOf(e.l, scope), r = typeOf(e.r, scope);
      if (l === 'DATE' && r === 'DATE') return 'NUMBER';
      return l === 'DATE' || r === 'DATE' ? 'DATE' : 'NUMBER';
    }
    case 'case': return typeOf(e.whens[0].then, scope);
    case 'subq': return scope.ctx.run(e.sub, undefined).columns[0]?.type ?? 'VARCHAR2';
    case 'func':
      switch (e.name) {
        case 'MIN': case 'MAX': case 'NVL': case 'NVL2': case 'COALESCE': case 'NULLIF': case 'GREATEST': case 'LEAST':
          return e.args.length ? typeOf(e.name === 'NVL2' ? e.args[1] : e.args[0], scope) : 'NUMBER';
        case 'ROUND': case 'TRUNC': return e.args.length ? (typeOf(e.args[0], scope) === 'DATE' ? 'DATE' : 'NUMBER') : 'NUMBER';
        case 'DECODE': return e.args.length > 2 ? typeOf(e.args[2], scope) : 'VARCHAR2';
        case 'TO_DATE': case 'ADD_MONTHS': return 'DATE';
        case 'TO_CHAR': case 'UPPER': case 'LOWER': case 'INITCAP': case 'LTRIM': case 'RTRIM': case 'TRIM': case 'SUBSTR':
        case 'REPLACE': case 'CONCAT': case 'LPAD': case 'RPAD': case 'CHR': case 'SYS_CONTEXT': return 'VARCHAR2';
        default: return 'NUMBER';
      }
    default: return 'VARCHAR2';
  }
}

export function toDateOrNull(v: Val, pos: number): Date | null { return toDate(v, pos); }
