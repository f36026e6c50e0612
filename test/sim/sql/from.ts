// FROM and WHERE: loads the views, joins them step by step (hash join on equality
// conjuncts, nested loops otherwise, LEFT/RIGHT outer joins) and filters; ROWNUM last.
import type { Expr, FromItem, Select } from './ast.ts';
import { AGGREGATES } from './ast.ts';
import type { Cell } from './types.ts';
import { SqlError } from './errors.ts';
import { condition, evaluate, isPseudo, newScope, resolve, typeOf, type Ctx, type Frame, type Scope, type Source } from './eval.ts';
import { valKey } from './values.ts';

interface Step { src: number; type: 'first' | 'inner' | 'left' | 'right' | 'cross'; on: Expr[] }
type Refs = Set<number> | 'late';
type Row = (Cell[] | null)[];

export function splitAnd(e: Expr | undefined): Expr[] {
  if (!e) return [];
  return e.t === 'and' ? [...splitAnd(e.l), ...splitAnd(e.r)] : [e];
}

/** Walk an expression (not into subqueries); visit returns false to stop descending. */
export function walk(e: Expr, visit: (x: Expr) => boolean | void): void {
  if (visit(e) === false) return;
  const kids: Expr[] = [];
  switch (e.t) {
    case 'bin': case 'cmp': case 'and': case 'or': kids.push(e.l, e.r); break;
    case 'neg': case 'not': case 'isnull': case 'cast': kids.push(e.e); break;
    case 'func': kids.push(...e.args); break;
    case 'case': if (e.operand) kids.push(e.operand); for (const w of e.whens) kids.push(w.when, w.then); if (e.else) kids.push(e.else); break;
    case 'in': kids.push(e.e, ...(e.list ?? [])); break;
    case 'between': kids.push(e.e, e.lo, e.hi); break;
    case 'like': kids.push(e.e, e.pat); if (e.esc) kids.push(e.esc); break;
  }
  for (const k of kids) walk(k, visit);
}

function refsOf(e: Expr, scope: Scope): Refs {
  const s = new Set<number>();
  let late = false;
  walk(e, (x) => {
    if (x.t === 'subq' || x.t === 'exists' || (x.t === 'in' && x.sub)) late = true;
    if (x.t === 'func' && AGGREGATES.has(x.name)) throw new SqlError('ORA-00934: group function is not allowed here', x.pos);
    if (x.t === 'col') {
      if (isPseudo(x)) { if (x.parts[0] === 'ROWNUM') late = true; return; }
      const [d, si] = resolve(scope, x);
      if (d === 0) s.add(si);
    }
  });
  return late ? 'late' : s;
}

/**
 * The target's name for a dictionary view named [owner.]name, or undefined when no such object
 * exists. SYS owns every one (V$ fixed views, V_$ views over them, DBA_ views, DUAL); an
 * unqualified name reaches them as SYS's own object or through the PUBLIC synonym (V$X is a
 * synonym of SYS.V_$X). Dictionary names are upper case: a quoted lower-case name names nothing.
 */
export function dictionaryName(owner: string | undefined, name: string): string | undefined {
  if (owner !== undefined && owner !== 'SYS') return undefined;
  if (name !== name.toUpperCase()) return undefined;
  return name.startsWith('V_$') ? 'V$' + name.slice(3) : name;
}

function loadSource(item: FromItem & { kind: 'view' | 'sub' }, ctx: Ctx): Source {
  if (item.kind === 'sub') {
    const r = ctx.run(item.q, undefined);
    return { alias: item.alias ?? '', columns: r.columns, rows: r.rows as Cell[][] };
  }
  for (let i = ctx.ctes.length - 1; item.owner === undefined && i >= 0; i--) {
    const cte = ctx.ctes[i].get(item.name);
    if (!cte) continue;
    const r = ctx.run(cte.q, undefined);
    const columns = cte.columns ? r.columns.map((c, k) => ({ ...c, name: cte.columns![k] ?? c.name })) : r.columns;
    return { alias: item.alias ?? item.name, columns, rows: r.rows as Cell[][] };
  }
  const name = dictionaryName(item.owner, item.name);
  const v = name === undefined ? undefined : ctx.target.view(name);
  if (!v) throw new SqlError('ORA-00942: table or view does not exist', item.pos);
  return { alias: item.alias ?? item.name, columns: v.columns, rows: v.rows };
}

function flatten(item: FromItem, ctx: Ctx, sources: Source[], steps: Step[], first: boolean): void {
  if (item.kind === 'join') {
    flatten(item.left, ctx, sources, steps, first);
    const before = sources.length;
    flatten(item.right, ctx, sources, steps, false);
    const st = steps[before];
    st.type = item.type;
    st.on = splitAnd(item.on);
    return;
  }
  sources.push(loadSource(item, ctx));
  steps.push({ src: sources.length - 1, type: first ? 'first' : 'cross', on: [] });
}

export interface FromResult { scope: Scope; frames: Frame[] }

export function fromWhere(q: Select, ctx: Ctx, outer: Frame | undefined): FromResult {
  const sources: Source[] = [];
  const steps: Step[] = [];
  q.from.forEach((it, i) => flatten(it, ctx, sources, steps, i === 0));
  const scope = newScope(ctx, sources, outer);
  const n = sources.length;
  const frame = (row: Row): Frame => ({ scope, row, rownum: 0 });
  const where = splitAnd(q.where).map((e) => ({ e, refs: refsOf(e, scope) }));
  const pending = where.filter((w) => w.refs !== 'late');
  let rows: Row[] = [new Array(n).fill(null)];
  const bound = new Set<number>();
  const filter = (rs: Row[], conds: Expr[]) => (conds.length ? rs.filter((r) => conds.every((c) => condition(c, frame(r)) === true)) : rs);
  for (const st of steps) {
    const k = st.src;
    bound.add(k);
    const ready = pending.filter((w) => [...(w.refs as Set<number>)].every((x) => bound.has(x)));
    for (const w of ready) pending.splice(pending.indexOf(w), 1);
    const whereConds = ready.map((w) => w.e);
    const on = st.on;
    for (const c of on) refsOf(c, scope);
    if (st.type === 'right') {
      const out: Row[] = [];
      for (const srow of sources[k].rows) {
        let hit = false;
        for (const r of rows) {
          const nr = r.slice(); nr[k] = srow;
          if (on.every((c) => condition(c, frame(nr)) === true)) { out.push(nr); hit = true; }
        }
        if (!hit) { const nr: Row = new Array(n).fill(null); nr[k] = srow; out.push(nr); }
      }
      rows = filter(out, whereConds);
      continue;
    }
    const joinConds = st.type === 'left' ? on : [...on, ...whereConds];
    const matched = joinStep(rows, k, sources[k].rows, joinConds, scope, bound, frame);
    if (st.type === 'left') {
      const out: Row[] = [];
      matched.forEach((ms, i) => {
        if (ms.length) out.push(...ms);
        else { const nr = rows[i].slice(); nr[k] = null; out.push(nr); }
      });
      rows = filter(out, whereConds);
    } else rows = matched.flat();
  }
  const late = where.filter((w) => w.refs === 'late').map((w) => w.e);
  const rownumConds = late.filter((e) => { let r = false; walk(e, (x) => { if (x.t === 'col' && isPseudo(x) && x.parts[0] === 'ROWNUM') r = true; }); return r; });
  const other = [...pending.map((w) => w.e), ...late.filter((e) => !rownumConds.includes(e))];
  const frames: Frame[] = [];
  for (const r of rows) {
    const f = frame(r);
    f.rownum = frames.length + 1;
    if (!other.every((c) => condition(c, f) === true)) continue;
    if (!rownumConds.every((c) => condition(c, f) === true)) continue;
    frames.push(f);
  }
  return { scope, frames };
}

/** For each current row, the rows extended with source k that satisfy conds. */
function joinStep(rows: Row[], k: number, srcRows: Cell[][], conds: Expr[], scope: Scope, bound: Set<number>, frame: (r: Row) => Frame): Row[][] {
  let hash: { mine: Expr; theirs: Expr } | undefined;
  for (const c of conds) {
    if (c.t !== 'cmp' || c.op !== '=') continue;
    const l = refsOf(c.l, scope), r = refsOf(c.r, scope);
    if (l === 'late' || r === 'late') continue;
    const onlyK = (s: Set<number>) => s.size > 0 && [...s].every((x) => x === k);
    const others = (s: Set<number>) => [...s].every((x) => x !== k && bound.has(x));
    if (typeOf(c.l, scope) !== typeOf(c.r, scope)) continue;
    if (onlyK(l) && others(r)) hash = { mine: c.l, theirs: c.r };
    else if (onlyK(r) && others(l)) hash = { mine: c.r, theirs: c.l };
    if (hash) break;
  }
  const ext = (r: Row, s: Cell[]) => { const nr = r.slice(); nr[k] = s; return nr; };
  const ok = (nr: Row) => conds.every((c) => condition(c, frame(nr)) === true);
  if (!hash) return rows.map((r) => srcRows.map((s) => ext(r, s)).filter(ok));
  const map = new Map<string, Cell[][]>();
  const blank: Row = new Array(rows[0]?.length ?? 0).fill(null);
  for (const s of srcRows) {
    const v = evaluate(hash.mine, frame(ext(blank, s)));
    if (v === null) continue;
    const key = valKey(v);
    const l = map.get(key);
    if (l) l.push(s); else map.set(key, [s]);
  }
  return rows.map((r) => {
    const v = evaluate(hash!.theirs, frame(r));
    if (v === null) return [];
    return (map.get(valKey(v)) ?? []).map((s) => ext(r, s)).filter(ok);
  });
}
