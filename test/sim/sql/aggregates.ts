// Aggregate functions over a group of frames: COUNT, MIN, MAX, SUM, AVG (exact NUMBERs) and
// LISTAGG(expr [, delimiter]) WITHIN GROUP (ORDER BY ...).
import type { Expr } from './ast.ts';
import { SqlError } from './errors.ts';
import type { Frame } from './eval.ts';
import { OraNumber } from './number.ts';
import { compare, sortCompare, toNumber, toText, valKey, type Val } from './values.ts';

type Evaluate = (e: Expr, f: Frame) => Val;
const MAX_VARCHAR2 = 4000;

export function aggregate(e: Expr & { t: 'func' }, f: Frame, evaluate: Evaluate): Val {
  if (!f.group) throw new SqlError('ORA-00934: group function is not allowed here', e.pos);
  if (e.star) {
    if (e.name !== 'COUNT') throw new SqlError('ORA-00936: missing expression', e.pos);
    return OraNumber.fromInt(f.group.length);
  }
  if (e.name === 'LISTAGG') return listagg(e, f.group, evaluate);
  if (e.args.length !== 1) throw new SqlError('ORA-00909: invalid number of arguments', e.pos);
  let vals = f.group.map((m) => evaluate(e.args[0], m)).filter((v) => v !== null) as Exclude<Val, null>[];
  if (e.distinct) vals = distinct(vals);
  switch (e.name) {
    case 'COUNT': return OraNumber.fromInt(vals.length);
    case 'SUM': case 'AVG': {
      if (!vals.length) return null;
      const s = vals.reduce<OraNumber>((acc, v) => acc.add(toNumber(v, e.pos)!), OraNumber.ZERO);
      return e.name === 'SUM' ? s : s.div(OraNumber.fromInt(vals.length));
    }
    default: {
      let best: Val = null;
      for (const v of vals) if (best === null || compare(v, best, e.pos)! * (e.name === 'MAX' ? 1 : -1) > 0) best = v;
      return best;
    }
  }
}

function distinct<T extends Val>(vals: T[]): T[] {
  const seen = new Set<string>();
  return vals.filter((v) => { const k = valKey(v); if (seen.has(k)) return false; seen.add(k); return true; });
}

/** LISTAGG: the group's non-NULL values in WITHIN GROUP order, joined; NULL when there are none; ORA-01489 past 4000 characters. */
function listagg(e: Expr & { t: 'func' }, group: Frame[], evaluate: Evaluate): Val {
  if (e.args.length < 1 || e.args.length > 2) throw new SqlError('ORA-00909: invalid number of arguments', e.pos);
  const order = e.within ?? [];
  const items = group.map((m) => ({ v: evaluate(e.args[0], m), keys: order.map((o) => evaluate(o.expr, m)) }))
    .filter((x) => x.v !== null);
  items.sort((a, b) => {
    for (let i = 0; i < order.length; i++) {
      const x = a.keys[i], y = b.keys[i];
      const nullsFirst = order[i].nullsFirst ?? order[i].desc;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === nullsFirst ? -1 : 1;
      }
      const c = sortCompare(x, y);
      if (c !== 0) return order[i].desc ? -c : c;
    }
    return 0;
  });
  let texts = items.map((x) => toText(x.v, e.pos)!);
  if (e.distinct) texts = distinct(texts);
  if (!texts.length) return null;
  const delim = e.args.length > 1 && group.length ? toText(evaluate(e.args[1], group[0]), e.pos) ?? '' : '';
  const s = texts.join(delim);
  if (s.length > MAX_VARCHAR2) throw new SqlError('ORA-01489: result of string concatenation is too long', e.pos);
  return s;
}
