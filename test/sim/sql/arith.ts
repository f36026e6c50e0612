// Arithmetic on NUMBER, DATE and INTERVAL DAY TO SECOND values, and CAST.
import type { CastType } from './ast.ts';
import { SqlError } from './errors.ts';
import { DsInterval } from './interval.ts';
import { OraNumber } from './number.ts';
import { addDays, addSeconds, dateDiff, toDate, toNumber, toText, type Val } from './values.ts';

const inconsistent = (expected: string, got: string, pos: number) => new SqlError(`ORA-00932: inconsistent datatypes: expected ${expected} got ${got}`, pos);

export function binary(op: string, a: Val, b: Val, pos: number): Val {
  if (op === '||') {
    const s = (toText(a, pos) ?? '') + (toText(b, pos) ?? '');
    return s === '' ? null : s;
  }
  if (a === null || b === null) return null;
  if (a instanceof DsInterval || b instanceof DsInterval) return intervalArith(op, a, b, pos);
  if (a instanceof Date || b instanceof Date) {
    if (op === '+' && a instanceof Date && !(b instanceof Date)) return addDays(a, toNumber(b, pos)!);
    if (op === '+' && b instanceof Date && !(a instanceof Date)) return addDays(b, toNumber(a, pos)!);
    if (op === '-' && a instanceof Date && b instanceof Date) return dateDiff(a, b);
    if (op === '-' && a instanceof Date) return addDays(a, toNumber(b, pos)!.neg());
    throw inconsistent('NUMBER', 'DATE', pos);
  }
  const x = toNumber(a, pos)!;
  const y = toNumber(b, pos)!;
  switch (op) {
    case '+': return x.add(y);
    case '-': return x.sub(y);
    case '*': return x.mul(y);
    default:
      if (y.isZero()) throw new SqlError('ORA-01476: divisor is equal to zero', pos);
      return x.div(y);
  }
}

/** DATE ± INTERVAL → DATE, INTERVAL + DATE → DATE, INTERVAL ± INTERVAL → INTERVAL. */
function intervalArith(op: string, a: Exclude<Val, null>, b: Exclude<Val, null>, pos: number): Val {
  const iv = 'INTERVAL DAY TO SECOND';
  if (a instanceof Date && b instanceof DsInterval && (op === '+' || op === '-')) return addSeconds(a, op === '+' ? b.seconds : b.seconds.neg());
  if (a instanceof DsInterval && b instanceof Date && op === '+') return addSeconds(b, a.seconds);
  if (a instanceof DsInterval && b instanceof DsInterval && (op === '+' || op === '-')) return new DsInterval(op === '+' ? a.seconds.add(b.seconds) : a.seconds.sub(b.seconds));
  if (a instanceof DsInterval && b instanceof DsInterval) throw inconsistent('NUMBER', iv, pos);
  if ((op === '*' || op === '/') && (a instanceof OraNumber || b instanceof OraNumber || typeof a === 'string' || typeof b === 'string')) {
    const [i, n] = a instanceof DsInterval ? [a, toNumber(b, pos)!] : [b as DsInterval, toNumber(a, pos)!];
    if (op === '/' && !(a instanceof DsInterval)) throw inconsistent('NUMBER', iv, pos);
    if (op === '/' && n.isZero()) throw new SqlError('ORA-01476: divisor is equal to zero', pos);
    return new DsInterval(op === '*' ? i.seconds.mul(n) : i.seconds.div(n));
  }
  if (a instanceof DsInterval) throw inconsistent(b instanceof Date ? 'DATE' : 'NUMBER', iv, pos);
  throw inconsistent(a instanceof Date ? 'DATE' : 'NUMBER', iv, pos);
}

const tooLong = (pos: number) => new SqlError('ORA-25137: Data value out of range', pos);

/** CAST(v AS type). */
export function cast(v: Val, to: CastType, pos: number): Val {
  if (v === null) return null;
  if (v instanceof DsInterval) throw inconsistent(to.name === 'DATE' ? 'DATE' : to.name === 'NUMBER' ? 'NUMBER' : 'CHAR', 'INTERVAL DAY TO SECOND', pos);
  switch (to.name) {
    case 'DATE':
      if (v instanceof OraNumber) throw inconsistent('DATE', 'NUMBER', pos);
      return toDate(v, pos);
    case 'NUMBER': {
      if (v instanceof Date) throw inconsistent('NUMBER', 'DATE', pos);
      const n = toNumber(v, pos)!;
      if (to.precision === undefined) return n;
      const r = to.scale === undefined ? n : n.round(to.scale);
      const limit = OraNumber.of(1n, to.precision - (to.scale ?? 0));
      if (r.abs().cmp(limit) >= 0) throw new SqlError('ORA-01438: value larger than specified precision allowed for this column', pos);
      return r;
    }
    default: {
      const s = toText(v, pos)!;
      if (s.length > to.length) throw tooLong(pos);
      return to.name === 'CHAR' ? s.padEnd(to.length) : s;
    }
  }
}
