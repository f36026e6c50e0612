// Oracle value semantics: implicit conversions, comparison, default number/date text.
import type { Cell } from './types.ts';
import { SqlError } from './errors.ts';
import { formatDate, parseDate } from './datefmt.ts';

export type Val = number | string | Date | null;

export const NLS_DATE_FORMAT = 'DD-MON-RR';

export function fromCell(c: Cell | undefined): Val {
  if (c === undefined || c === null) return null;
  if (typeof c === 'bigint') return Number(c);
  if (c === '') return null;
  return c;
}

/** Decimal rounding to Oracle-like precision (avoids 0.30000000000000004). */
export function tidy(n: number): number {
  if (!Number.isFinite(n) || Number.isInteger(n)) return n;
  return Number(n.toPrecision(15));
}

const NUM_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

export function toNumber(v: Val, pos = 0): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (v instanceof Date) throw new SqlError('ORA-00932: inconsistent datatypes: expected NUMBER got DATE', pos);
  if (!NUM_RE.test(v)) throw new SqlError('ORA-01722: invalid number', pos);
  return Number(v);
}

export function toDate(v: Val, pos = 0): Date | null {
  if (v === null) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number') throw new SqlError('ORA-00932: inconsistent datatypes: expected DATE got NUMBER', pos);
  return parseDate(v, NLS_DATE_FORMAT, pos);
}

/** Plain decimal text of a number without exponent (JS toString may use one). */
function plainDecimal(n: number): string {
  let s = String(n);
  if (!/e/i.test(s)) return s;
  const neg = n < 0;
  const [mant, expS] = String(Math.abs(n)).split(/e/i);
  const exp = Number(expS);
  const [ip, fp = ''] = mant.split('.');
  const digits = ip + fp;
  let point = ip.length + exp;
  if (point <= 0) s = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) s = digits + '0'.repeat(point - digits.length);
  else s = digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + s;
}

/** TO_CHAR(n) with no format: shortest exact text, no leading zero before the point, up to 40 chars. */
export function numberText(n: number): string {
  if (Number.isNaN(n)) return 'Nan';
  if (!Number.isFinite(n)) return n > 0 ? '~' : '-~';
  let s = plainDecimal(tidy(n));
  s = s.replace(/^(-?)0\./, '$1.');
  if (s.length > 40) {
    const e = n.toExponential(36).replace(/\.?0+e/, 'e');
    const [m, x] = e.split('e');
    const ex = Number(x);
    return `${m}E${ex < 0 ? '-' : '+'}${String(Math.abs(ex)).padStart(2, '0')}`;
  }
  return s;
}

export function toText(v: Val): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v);
  return formatDate(v, NLS_DATE_FORMAT);
}

/** Compare two values with Oracle's implicit conversion; null when either is NULL. */
export function compare(a: Val, b: Val, pos = 0): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toNumber(a, pos)!;
    const y = toNumber(b, pos)!;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a instanceof Date || b instanceof Date) {
    const x = toDate(a, pos)!.getTime();
    const y = toDate(b, pos)!.getTime();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order for sorting/grouping keys: NULL handled by the caller. */
export function sortCompare(a: Val, b: Val): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  const x = toText(a) ?? '';
  const y = toText(b) ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Key for DISTINCT / GROUP BY / set operations. */
export function valKey(v: Val): string {
  if (v === null) return 'N';
  if (typeof v === 'number') return 'n' + v;
  if (v instanceof Date) return 'd' + v.getTime();
  return 's' + v;
}

export function likeToRegExp(pattern: string, esc: string | null): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (esc !== null && ch === esc && i + 1 < pattern.length) { re += escapeRe(pattern[++i]); continue; }
    if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else re += escapeRe(ch);
  }
  return new RegExp('^' + re + '$');
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
