// Oracle value semantics: implicit conversions, comparison, default number/date text,
// DATE arithmetic in whole seconds.
import type { Cell } from './types.ts';
import { SqlError, unsupported } from './errors.ts';
import { formatDate, parseDate } from './datefmt.ts';
import { DsInterval } from './interval.ts';
import { OraNumber, numberText } from './number.ts';

/** NUMBER → OraNumber (exact), VARCHAR2 → string, DATE → Date in whole seconds, INTERVAL DAY TO SECOND → DsInterval. */
export type Val = OraNumber | string | Date | DsInterval | null;

export const NLS_DATE_FORMAT = 'DD-MON-RR';
export { numberText };

/** A DATE has no fractional seconds: drop them. */
export function wholeSeconds(d: Date): Date {
  const t = d.getTime();
  const r = t - (((t % 1000) + 1000) % 1000);
  return r === t ? d : new Date(r);
}

export function fromCell(c: Cell | Val | undefined): Val {
  if (c === undefined || c === null) return null;
  if (typeof c === 'number' || typeof c === 'bigint') return OraNumber.from(c);
  if (c === '') return null;
  if (c instanceof Date) return wholeSeconds(c);
  return c;
}

/** A result value as a cell: number when a JS number names it exactly, bigint for other integers, else OraNumber. */
export function toCell(v: Val, pos = 0): Cell {
  if (v instanceof DsInterval) throw unsupported('INTERVAL values in a select list', pos);
  if (!(v instanceof OraNumber)) return v;
  if (v.fitsNumber()) return v.toNumber();
  return v.isInteger() ? v.toBigInt() : v;
}

export const num = (n: number | bigint) => OraNumber.from(n);

const intervalType = 'INTERVAL DAY TO SECOND';
const typeName = (v: Exclude<Val, null>) => (v instanceof OraNumber ? 'NUMBER' : v instanceof Date ? 'DATE' : v instanceof DsInterval ? intervalType : 'CHAR');

export function toNumber(v: Val, pos = 0): OraNumber | null {
  if (v === null) return null;
  if (v instanceof OraNumber) return v;
  if (v instanceof Date || v instanceof DsInterval) throw new SqlError(`ORA-00932: inconsistent datatypes: expected NUMBER got ${typeName(v)}`, pos);
  const n = OraNumber.parse(v);
  if (!n) throw new SqlError('ORA-01722: invalid number', pos);
  return n;
}

/** A JS integer from a NUMBER argument (positions, lengths), truncated. */
export function toInt(v: Val, pos = 0): number | null {
  const n = toNumber(v, pos);
  return n === null ? null : Number(n.toBigInt());
}

export function toDate(v: Val, pos = 0): Date | null {
  if (v === null) return null;
  if (v instanceof Date) return v;
  if (typeof v !== 'string') throw new SqlError(`ORA-00932: inconsistent datatypes: expected DATE got ${typeName(v)}`, pos);
  return parseDate(v, NLS_DATE_FORMAT, pos);
}

export function toText(v: Val, pos = 0): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (v instanceof OraNumber) return numberText(v);
  if (v instanceof DsInterval) throw unsupported('INTERVAL values converted to text', pos);
  return formatDate(v, NLS_DATE_FORMAT);
}

const DAY = OraNumber.fromInt(86400);

/** A DATE is a wall-clock time without time zone: its fields as if they were UTC, in ms (no DST jumps). */
const wall = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds());
function fromWall(ms: number): Date {
  const u = new Date(ms);
  const d = new Date(u.getUTCFullYear(), u.getUTCMonth(), u.getUTCDate(), u.getUTCHours(), u.getUTCMinutes(), u.getUTCSeconds());
  if (u.getUTCFullYear() < 100) d.setFullYear(u.getUTCFullYear());
  return d;
}

/** DATE + seconds: the result is rounded to whole seconds (a DATE has no fraction of a second). */
export function addSeconds(d: Date, seconds: OraNumber): Date {
  return fromWall(wall(d) + Number(seconds.round(0).toBigInt()) * 1000);
}
export function addDays(d: Date, days: OraNumber): Date {
  return addSeconds(d, days.mul(DAY));
}

/** DATE - DATE in days, as Oracle converts it to NUMBER: whole days plus seconds / 86400. */
export function dateDiff(a: Date, b: Date): OraNumber {
  const secs = Math.round((wall(a) - wall(b)) / 1000);
  const days = Math.trunc(secs / 86400);
  const rest = secs - days * 86400;
  return OraNumber.fromInt(days).add(OraNumber.fromInt(rest).div(DAY));
}

/** Compare two values with Oracle's implicit conversion; null when either is NULL. */
export function compare(a: Val, b: Val, pos = 0): number | null {
  if (a === null || b === null) return null;
  if (a instanceof DsInterval || b instanceof DsInterval) {
    if (!(a instanceof DsInterval)) throw new SqlError(`ORA-00932: inconsistent datatypes: expected ${typeName(a)} got ${intervalType}`, pos);
    if (!(b instanceof DsInterval)) throw new SqlError(`ORA-00932: inconsistent datatypes: expected ${intervalType} got ${typeName(b)}`, pos);
    return a.seconds.cmp(b.seconds);
  }
  if (a instanceof OraNumber || b instanceof OraNumber) return toNumber(a, pos)!.cmp(toNumber(b, pos)!);
  if (a instanceof Date || b instanceof Date) {
    const x = toDate(a, pos)!.getTime();
    const y = toDate(b, pos)!.getTime();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order for sorting/grouping keys: NULL handled by the caller. */
export function sortCompare(a: Val, b: Val): number {
  if (a instanceof OraNumber && b instanceof OraNumber) return a.cmp(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (a instanceof DsInterval && b instanceof DsInterval) return a.seconds.cmp(b.seconds);
  const x = toText(a) ?? '';
  const y = toText(b) ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Key for DISTINCT / GROUP BY / set operations / hash joins: equal values, equal keys. */
export function valKey(v: Val): string {
  if (v === null) return 'N';
  if (v instanceof OraNumber) return 'n' + v.key();
  if (v instanceof Date) return 'd' + v.getTime();
  if (v instanceof DsInterval) return 'i' + v.seconds.key();
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
