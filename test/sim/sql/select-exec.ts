// SELECT execution: projection, GROUP BY/HAVING, DISTINCT, set operations, ORDER BY.
import type { Expr, Select } from './ast.ts';
import { AGGREGATES } from './ast.ts';
import type { ColumnDef } from './types.ts';
import { SqlError, unsupported } from './errors.ts';
import { OraNumber } from './number.ts';
import { condition, evaluate, isPseudo, resolve, typeOf, type Ctx, type Frame, type Scope } from './eval.ts';
import { fromWhere, walk } from './from.ts';
import { sortCompare, valKey, type Val } from './values.ts';

export interface QueryResult { columns: ColumnDef[]; rows: Val[][]; correlated?: boolean }
interface OutItem { expr: Expr; name: string; alias?: string }

const exprKey = (e: Expr) => JSON.stringify(e, (k, v) => (k === 'pos' || k === 'end' ? undefined : v));

function hasAggregate(e: Expr): boolean {
  let found = false;
  walk(e, (x) => { if (x.t === 'func' && AGGREGATES.has(x.name)) { found = true; return false; } });
  return found;
}

/** ORA-00979 / ORA-00937 when e uses a column outside the GROUP BY expressions. */
function checkGrouped(e: Expr, groupKeys: Set<string>, scope: Scope, hasGroupBy: boolean): void {
  walk(e, (x) => {
    if (groupKeys.has(exprKey(x))) return false;
    if (x.t === 'func' && AGGREGATES.has(x.name)) return false;
    if (x.t === 'col' && !isPseudo(x) && resolve(scope, x)[0] === 0) {
      throw new SqlError(hasGroupBy ? 'ORA-00979: not a GROUP BY expression' : 'ORA-00937: not a single-group group function', x.pos);
    }
  });
}

function expandItems(q: Select, scope: Scope): OutItem[] {
  const out: OutItem[] = [];
  for (const it of q.items) {
    if (it.expr.t !== 'star') { out.push({ expr: it.expr, name: it.alias ?? it.text, alias: it.alias }); continue; }
    const table = it.expr.table;
    let any = false;
    scope.sources.forEach((src, si) => {
      if (table !== undefined && src.alias !== table.split('.').pop()) return;
      any = true;
      src.columns.forEach((c, ci) => {
        const e: Expr = { t: 'col', parts: [c.name], quoted: [true], pos: it.expr.pos, end: it.expr.end };
        scope.resolved.set(e, [0, si, ci]);
        out.push({ expr: e, name: c.name });
      });
    });
    if (!any) throw new SqlError(`ORA-00904: "${table}": invalid identifier`, it.expr.pos);
  }
  return out;
}

export function runSelect(q: Select, ctx: Ctx, outer: Frame | undefined): QueryResult {
  if (!q.with?.length) return runPlain(q, ctx, outer);
  ctx.ctes.push(new Map(q.with.map((w) => [w.name, w])));
  try {
    return runPlain(q, ctx, outer);
  } finally {
    ctx.ctes.pop();
  }
}

function runPlain(q: Select, ctx: Ctx, outer: Frame | undefined): QueryResult {
  const { scope, frames } = fromWhere(q, ctx, outer);
  const items = expandItems(q, scope);
  const columns: ColumnDef[] = items.map((it) => {
    const type = typeOf(it.expr, scope);
    if (type === 'INTERVAL') throw unsupported('INTERVAL values in a select list', it.expr.pos);
    const col: ColumnDef = { name: it.name, type };
    if (it.expr.t === 'cast' && 'length' in it.expr.to) col.width = it.expr.to.length;
    if (it.expr.t === 'col' && !isPseudo(it.expr)) {
      const [d, si, ci] = resolve(scope, it.expr);
      const w = d === 0 ? scope.sources[si].columns[ci].width : undefined;
      if (w !== undefined) col.width = w;
    }
    return col;
  });
  const grouping = !!q.groupBy || !!q.having || items.some((it) => hasAggregate(it.expr)) || (q.orderBy ?? []).some((o) => hasAggregate(o.expr));
  let outFrames: Frame[] = frames;
  if (grouping) {
    const gb = q.groupBy ?? [];
    for (const g of gb) if (hasAggregate(g)) throw new SqlError('ORA-00934: group function is not allowed here', g.pos);
    const keys = new Set(gb.map(exprKey));
    for (const it of items) checkGrouped(it.expr, keys, scope, !!q.groupBy);
    if (q.having) checkGrouped(q.having, keys, scope, !!q.groupBy);
    const groups = new Map<string, Frame[]>();
    for (const f of frames) {
      const k = gb.map((g) => valKey(evaluate(g, f))).join('\u0000');
      const l = groups.get(k);
      if (l) l.push(f); else groups.set(k, [f]);
    }
    if (!q.groupBy && groups.size === 0) groups.set('', []);
    outFrames = [...groups.values()].map((members) => ({
      scope, row: members[0]?.row ?? new Array(scope.sources.length).fill(null), rownum: members[0]?.rownum ?? 0, group: members,
    }));
    if (q.having) outFrames = outFrames.filter((f) => condition(q.having!, f) === true);
  }
  let rows = outFrames.map((f) => ({ f, v: items.map((it) => evaluate(it.expr, f)) }));
  if (q.distinct) {
    const seen = new Set<string>();
    rows = rows.filter((r) => { const k = r.v.map(valKey).join('\u0000'); if (seen.has(k)) return false; seen.add(k); return true; });
  }
  if (q.setOps) {
    let acc = rows.map((r) => r.v);
    for (const so of q.setOps) {
      const other = runSelect(so.q, ctx, outer);
      if (other.columns.length !== columns.length) throw new SqlError('ORA-01789: query block has incorrect number of result columns', so.q.pos);
      acc = setOp(so.op, acc, other.rows);
    }
    rows = acc.map((v) => ({ f: undefined as unknown as Frame, v }));
  }
  if (q.orderBy) {
    const keyFns = q.orderBy.map((o) => orderKey(o.expr, items, q, scope, grouping, !!q.setOps));
    const decorated = rows.map((r) => ({ r, k: keyFns.map((fn) => fn(r.v, r.f)) }));
    decorated.sort((a, b) => {
      for (let i = 0; i < q.orderBy!.length; i++) {
        const o = q.orderBy![i];
        const x = a.k[i], y = b.k[i];
        const nullsFirst = o.nullsFirst ?? o.desc;
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === nullsFirst ? -1 : 1;
        }
        const c = sortCompare(x, y);
        if (c !== 0) return o.desc ? -c : c;
      }
      return 0;
    });
    rows = decorated.map((d) => d.r);
  }
  if (q.fetch) rows = rows.slice(q.fetch.offset, q.fetch.count === undefined ? undefined : q.fetch.offset + q.fetch.count);
  refineTypes(columns, rows.map((r) => r.v));
  return { columns, rows: rows.map((r) => r.v), correlated: scope.correlated };
}

function orderKey(e: Expr, items: OutItem[], q: Select, scope: Scope, grouping: boolean, setop: boolean): (v: Val[], f: Frame) => Val {
  if (e.t === 'num') {
    const i = e.v.isInteger() ? Number(e.v.toBigInt()) : 0;
    if (i < 1 || i > items.length) throw new SqlError('ORA-01785: ORDER BY item must be the number of a SELECT-list expression', e.pos);
    return (v) => v[i - 1];
  }
  if (e.t === 'col' && e.parts.length === 1) {
    const i = items.findIndex((it) => it.alias === e.parts[0]);
    if (i >= 0) return (v) => v[i];
    if (setop) {
      const j = items.findIndex((it) => it.name === e.parts[0]);
      if (j >= 0) return (v) => v[j];
    }
  }
  const k = exprKey(e);
  const idx = items.findIndex((it) => exprKey(it.expr) === k);
  if (idx >= 0) return (v) => v[idx];
  if (setop) throw new SqlError('ORA-01785: ORDER BY item must be the number of a SELECT-list expression', e.pos);
  if (q.distinct) throw new SqlError('ORA-01791: not a SELECTed expression', e.pos);
  if (grouping) checkGrouped(e, new Set((q.groupBy ?? []).map(exprKey)), scope, !!q.groupBy);
  else walk(e, (x) => { if (x.t === 'col' && !isPseudo(x)) resolve(scope, x); });
  return (_v, f) => evaluate(e, f);
}

function setOp(op: string, a: Val[][], b: Val[][]): Val[][] {
  const key = (r: Val[]) => r.map(valKey).join('\u0000');
  const dedupe = (rs: Val[][]) => { const s = new Set<string>(); return rs.filter((r) => { const k = key(r); if (s.has(k)) return false; s.add(k); return true; }); };
  const bk = new Set(b.map(key));
  const sorted = (rs: Val[][]) => rs.sort((x, y) => { for (let i = 0; i < x.length; i++) { if (x[i] === null || y[i] === null) { if (x[i] !== y[i]) return x[i] === null ? 1 : -1; continue; } const c = sortCompare(x[i], y[i]); if (c) return c; } return 0; });
  switch (op) {
    case 'UNION ALL': return [...a, ...b];
    case 'UNION': return sorted(dedupe([...a, ...b]));
    case 'MINUS': return sorted(dedupe(a.filter((r) => !bk.has(key(r)))));
    default: return sorted(dedupe(a.filter((r) => bk.has(key(r)))));
  }
}

/** A VARCHAR2 guess whose values are all numbers (or dates) takes that type. */
function refineTypes(columns: ColumnDef[], rows: Val[][]): void {
  columns.forEach((c, i) => {
    if (c.type !== 'VARCHAR2') return;
    const vals = rows.map((r) => r[i]).filter((v) => v !== null);
    if (vals.length && vals.every((v) => v instanceof OraNumber)) c.type = 'NUMBER';
    else if (vals.length && vals.every((v) => v instanceof Date)) c.type = 'DATE';
  });
}
