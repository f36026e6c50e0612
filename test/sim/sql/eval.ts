// Expression evaluation over a row frame: column resolution (with outer frames for
// correlated subqueries), three-valued conditions; aggregates in aggregates.ts, arithmetic and
// CAST in arith.ts.
import type { Expr, Select } from './ast.ts';
import { AGGREGATES } from './ast.ts';
import type { Cell, ColumnDef, ColumnType, SqlTarget } from './types.ts';
import { SqlError, invalidIdentifier, unsupported } from './errors.ts';
import { FUNCTIONS } from './functions.ts';
import { aggregate } from './aggregates.ts';
import { binary, cast } from './arith.ts';
import { OraNumber } from './number.ts';
import { compare, fromCell, likeToRegExp, toText, type Val } from './values.ts';

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

const PSEUDO = new Set(['ROWNUM', 'SYSDATE', 'CURRENT_DATE', 'USER', 'UID', 'LEVEL']);

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
    case 'num': case 'interval': return e.v;
    case 'str': return e.v;
    case 'cast': return cast(evaluate(e.e, f), e.to, e.pos);
    case 'null': return null;
    case 'col': {
      if (isPseudo(e)) return pseudo(e.parts[0], f);
      const [d, si, ci] = resolve(f.scope, e);
      const fr = frameAt(f, d);
      return fromCell(fr.row[si]?.[ci]);
    }
    case 'star': throw new SqlError('ORA-00936: missing expression', e.pos);
    case 'neg': { const v = evaluate(e.e, f); return v === null ? null : binary('-', OraNumber.ZERO, v, e.pos); }
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
    case 'ROWNUM': return OraNumber.fromInt(f.rownum);
    case 'SYSDATE': case 'CURRENT_DATE': return f.scope.ctx.now;
    case 'USER': return 'SYS';
    case 'UID': return OraNumber.ZERO;
    default: throw new SqlError('ORA-01788: CONNECT BY clause required in this query block', 0);
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
  if (AGGREGATES.has(e.name)) return aggregate(e, f, evaluate);
  if (e.name === 'SYS_CONTEXT') return sysContext(e, f);
  const def = FUNCTIONS[e.name];
  if (!def) throw invalidIdentifier([e.name], e.pos);
  if (e.star || e.distinct) throw new SqlError('ORA-00936: missing expression', e.pos);
  if (e.args.length < def.min || e.args.length > def.max) throw new SqlError('ORA-00909: invalid number of arguments', e.pos);
  const r = def.fn(e.args.map((a) => evaluate(a, f)), e.pos);
  return typeof r === 'number' ? OraNumber.fromNumber(r) : r;
}

/** SYS_CONTEXT('USERENV', 'CON_NAME') etc.: answered by the instance for the session (SqlTarget.context); SIM-00001 without one. */
function sysContext(e: Expr & { t: 'func' }, f: Frame): Val {
  const context = f.scope.ctx.target.context;
  if (!context) throw unsupported('SYS_CONTEXT', e.pos);
  if (e.args.length < 2 || e.args.length > 3) throw new SqlError('ORA-00909: invalid number of arguments', e.pos);
  const [ns, p] = e.args.slice(0, 2).map((a) => evaluate(a, f));
  if (ns === null || p === null) return null;
  return context(String(toText(ns, e.pos)).toUpperCase(), String(toText(p, e.pos)).toUpperCase());
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

/** Static result type of an expression (falls back to VARCHAR2); INTERVAL for INTERVAL DAY TO SECOND. */
export function typeOf(e: Expr, scope: Scope): ColumnType | 'INTERVAL' {
  switch (e.t) {
    case 'num': case 'neg': return 'NUMBER';
    case 'interval': return 'INTERVAL';
    case 'cast': return e.to.name === 'CHAR' ? 'VARCHAR2' : e.to.name;
    case 'str': case 'null': return 'VARCHAR2';
    case 'col': {
      if (isPseudo(e)) return e.parts[0] === 'SYSDATE' || e.parts[0] === 'CURRENT_DATE' ? 'DATE' : e.parts[0] === 'USER' ? 'VARCHAR2' : 'NUMBER';
      const [d, si, ci] = resolve(scope, e);
      let s = scope;
      for (let i = 0; i < d; i++) s = s.outer!.scope;
      return s.sources[si].columns[ci].type;
    }
    case 'bin': {
      if (e.op === '||') return 'VARCHAR2';
      const l = typeOf(e.l, scope), r = typeOf(e.r, scope);
      if (l === 'DATE' && r === 'DATE') return 'NUMBER';
      if (l === 'DATE' || r === 'DATE') return 'DATE';
      return l === 'INTERVAL' || r === 'INTERVAL' ? 'INTERVAL' : 'NUMBER';
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
        case 'REPLACE': case 'CONCAT': case 'LPAD': case 'RPAD': case 'CHR': case 'SYS_CONTEXT': case 'LISTAGG': return 'VARCHAR2';
        default: return 'NUMBER';
      }
    default: return 'VARCHAR2';
  }
}
