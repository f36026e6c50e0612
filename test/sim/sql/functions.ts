// Scalar SQL functions (aggregates live in aggregates.ts). NUMBER arguments and results are
// exact (OraNumber); a plain JS number returned here is an integer count or position.
import { SqlError, unsupported } from './errors.ts';
import { formatDate, parseDate } from './datefmt.ts';
import { formatNumber } from './numfmt.ts';
import { OraNumber } from './number.ts';
import { compare, toDate, toInt, toNumber, toText, type Val, NLS_DATE_FORMAT } from './values.ts';

type Fn = (a: Val[], pos: number) => Val | number;
const str = (s: string | null): Val => (s === null || s === '' ? null : s);
const num = (v: Val, pos: number) => toNumber(v, pos)!;
const int = (v: Val, pos: number) => toInt(v, pos)!;
const text = (v: Val, pos: number) => toText(v, pos)!;

function trimSet(s: string, set: string, left: boolean, right: boolean): string {
  let a = 0, b = s.length;
  if (left) while (a < b && set.includes(s[a])) a++;
  if (right) while (b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

const TRUNC_UNSUPPORTED = ['CC', 'SCC', 'SYYYY', 'SYEAR', 'YYY', 'IYYY', 'IYY', 'IY', 'I', 'Q', 'RM', 'WW', 'IW', 'W', 'DAY', 'DY', 'D'];

function truncDate(d: Date, fmt: string, pos: number): Date {
  const f = fmt.toUpperCase();
  if (['DD', 'DDD', 'J'].includes(f)) return new Date(d.getFullYear(), d.getMonth(), d.getDate());
  if (['MM', 'MON', 'MONTH'].includes(f)) return new Date(d.getFullYear(), d.getMonth(), 1);
  if (['YYYY', 'YY', 'YEAR', 'Y', 'RR', 'RRRR'].includes(f)) return new Date(d.getFullYear(), 0, 1);
  if (['HH', 'HH24', 'HH12'].includes(f)) return new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours());
  if (f === 'MI') return new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes());
  if (TRUNC_UNSUPPORTED.includes(f)) throw unsupported(`ROUND/TRUNC date format '${f}'`, pos);
  throw new SqlError('ORA-01898: too many precision specifiers', pos);
}

/** ADD_MONTHS: the last day of a month stays the last day; a day past the new month's end becomes its last day. */
function addMonths(d: Date, n: number): Date {
  const last = (y: number, m: number) => new Date(y, m + 1, 0).getDate();
  const target = new Date(d.getFullYear(), d.getMonth() + n, 1);
  const y = target.getFullYear(), m = target.getMonth();
  const day = d.getDate() === last(d.getFullYear(), d.getMonth()) ? last(y, m) : Math.min(d.getDate(), last(y, m));
  return new Date(y, m, day, d.getHours(), d.getMinutes(), d.getSeconds());
}

const nullIfAny = (f: Fn): Fn => (a, p) => (a.some((v) => v === null) ? null : f(a, p));

export const FUNCTIONS: Record<string, { min: number; max: number; fn: Fn }> = {
  NVL: { min: 2, max: 2, fn: (a) => (a[0] === null ? a[1] : a[0]) },
  NVL2: { min: 3, max: 3, fn: (a) => (a[0] !== null ? a[1] : a[2]) },
  COALESCE: { min: 1, max: 99, fn: (a) => a.find((v) => v !== null) ?? null },
  NULLIF: { min: 2, max: 2, fn: (a, p) => (compare(a[0], a[1], p) === 0 ? null : a[0]) },
  UPPER: { min: 1, max: 1, fn: nullIfAny((a, p) => text(a[0], p).toUpperCase()) },
  LOWER: { min: 1, max: 1, fn: nullIfAny((a, p) => text(a[0], p).toLowerCase()) },
  INITCAP: { min: 1, max: 1, fn: nullIfAny((a, p) => text(a[0], p).toLowerCase().replace(/(^|[^a-z0-9])([a-z])/g, (_, x, y) => x + y.toUpperCase())) },
  LENGTH: { min: 1, max: 1, fn: nullIfAny((a, p) => text(a[0], p).length) },
  LTRIM: { min: 1, max: 2, fn: nullIfAny((a, p) => str(trimSet(text(a[0], p), a.length > 1 ? text(a[1], p) : ' ', true, false))) },
  RTRIM: { min: 1, max: 2, fn: nullIfAny((a, p) => str(trimSet(text(a[0], p), a.length > 1 ? text(a[1], p) : ' ', false, true))) },
  TRIM: { min: 1, max: 2, fn: nullIfAny((a, p) => str(trimSet(text(a[0], p), a.length > 1 ? text(a[1], p) : ' ', true, true))) },
  SUBSTR: {
    min: 2, max: 3,
    fn: nullIfAny((a, p) => {
      const s = text(a[0], p);
      let start = int(a[1], p);
      const len = a.length > 2 ? int(a[2], p) : s.length;
      if (len < 1) return null;
      if (start === 0) start = 1;
      const from = start > 0 ? start - 1 : s.length + start;
      if (from < 0 || from >= s.length) return null;
      return str(s.substr(from, len));
    }),
  },
  INSTR: {
    min: 2, max: 4,
    fn: nullIfAny((a, p) => {
      const s = text(a[0], p), sub = text(a[1], p);
      const start = a.length > 2 ? int(a[2], p) : 1;
      let nth = a.length > 3 ? int(a[3], p) : 1;
      if (start === 0) return 0;
      if (start > 0) {
        let i = start - 2;
        while (nth-- > 0) { i = s.indexOf(sub, i + 1); if (i < 0) return 0; }
        return i + 1;
      }
      let i = s.length + start + 1;
      while (nth-- > 0) { i = s.lastIndexOf(sub, i - 1); if (i < 0) return 0; }
      return i + 1;
    }),
  },
  REPLACE: { min: 2, max: 3, fn: (a, p) => (a[0] === null ? null : str(text(a[0], p).split(toText(a[1], p) ?? '').join(toText(a[2] ?? null, p) ?? ''))) },
  CONCAT: { min: 2, max: 2, fn: (a, p) => str((toText(a[0], p) ?? '') + (toText(a[1], p) ?? '')) },
  LPAD: { min: 2, max: 3, fn: nullIfAny((a, p) => padStr(text(a[0], p), int(a[1], p), a.length > 2 ? text(a[2], p) : ' ', true)) },
  RPAD: { min: 2, max: 3, fn: nullIfAny((a, p) => padStr(text(a[0], p), int(a[1], p), a.length > 2 ? text(a[2], p) : ' ', false)) },
  CHR: { min: 1, max: 1, fn: nullIfAny((a, p) => String.fromCharCode(int(a[0], p))) },
  ASCII: { min: 1, max: 1, fn: nullIfAny((a, p) => text(a[0], p).charCodeAt(0)) },
  ABS: { min: 1, max: 1, fn: nullIfAny((a, p) => num(a[0], p).abs()) },
  CEIL: { min: 1, max: 1, fn: nullIfAny((a, p) => num(a[0], p).ceil()) },
  FLOOR: { min: 1, max: 1, fn: nullIfAny((a, p) => num(a[0], p).floor()) },
  SIGN: { min: 1, max: 1, fn: nullIfAny((a, p) => num(a[0], p).sign()) },
  SQRT: {
    min: 1, max: 1,
    fn: nullIfAny((a, p) => {
      const x = num(a[0], p);
      if (x.sign() < 0) throw new SqlError(`ORA-01428: argument '${toText(x)}' is out of range`, p);
      return OraNumber.fromNumber(Math.sqrt(x.toNumber())); // double precision, not Oracle's 38 digits
    }),
  },
  POWER: {
    min: 2, max: 2,
    fn: nullIfAny((a, p) => {
      const x = num(a[0], p), k = num(a[1], p);
      if (k.isInteger() && k.abs().cmp(OraNumber.fromInt(10000)) <= 0) return x.powInt(Number(k.toBigInt()));
      return OraNumber.fromNumber(Math.pow(x.toNumber(), k.toNumber())); // double precision
    }),
  },
  MOD: { min: 2, max: 2, fn: nullIfAny((a, p) => num(a[0], p).mod(num(a[1], p))) },
  BITAND: { min: 2, max: 2, fn: nullIfAny((a, p) => OraNumber.fromInt(num(a[0], p).round(0).toBigInt() & num(a[1], p).round(0).toBigInt())) },
  ROUND: {
    min: 1, max: 2,
    fn: nullIfAny((a, p) => {
      if (a[0] instanceof Date) {
        const d = a[0];
        const t = truncDate(d, a.length > 1 ? text(a[1], p) : 'DD', p);
        return d.getTime() - t.getTime() >= 43200000 && (a.length < 2 || text(a[1], p).toUpperCase() === 'DD') ? new Date(t.getFullYear(), t.getMonth(), t.getDate() + 1) : t;
      }
      return num(a[0], p).round(a.length > 1 ? int(a[1], p) : 0);
    }),
  },
  TRUNC: {
    min: 1, max: 2,
    fn: nullIfAny((a, p) => {
      if (a[0] instanceof Date) return truncDate(a[0], a.length > 1 ? text(a[1], p) : 'DD', p);
      return num(a[0], p).trunc(a.length > 1 ? int(a[1], p) : 0);
    }),
  },
  GREATEST: { min: 1, max: 99, fn: (a, p) => extreme(a, p, 1) },
  LEAST: { min: 1, max: 99, fn: (a, p) => extreme(a, p, -1) },
  TO_CHAR: {
    min: 1, max: 3,
    fn: (a, p) => {
      const v = a[0];
      if (v === null) return null;
      if (a.length < 2 || a[1] === null) return toText(v, p);
      const f = text(a[1], p);
      if (v instanceof Date) return str(formatDate(v, f, p));
      return formatNumber(num(v, p), f, p);
    },
  },
  TO_NUMBER: {
    min: 1, max: 3,
    fn: (a, p) => {
      if (a[0] === null) return null;
      if (a[0] instanceof OraNumber) return a[0];
      let s = text(a[0], p);
      if (a.length > 1 && a[1] !== null) {
        const f = text(a[1], p).toUpperCase();
        if (/^X+$/.test(f)) { if (!/^[0-9a-f]+$/i.test(s.trim())) throw new SqlError('ORA-01722: invalid number', p); return OraNumber.fromInt(BigInt('0x' + s.trim())); }
        if (/[,G]/.test(f)) s = s.replace(/,/g, '');
        s = s.replace('$', '');
      }
      return toNumber(s, p);
    },
  },
  TO_DATE: {
    min: 1, max: 3,
    fn: (a, p) => {
      if (a[0] === null) return null;
      if (a[0] instanceof Date) return a[0];
      return parseDate(text(a[0], p), a.length > 1 && a[1] !== null ? text(a[1], p) : NLS_DATE_FORMAT, p);
    },
  },
  ADD_MONTHS: { min: 2, max: 2, fn: nullIfAny((a, p) => addMonths(toDate(a[0], p)!, int(a[1], p))) },
  DECODE: {
    min: 3, max: 255,
    fn: (a, p) => {
      const x = a[0];
      let i = 1;
      for (; i + 1 < a.length; i += 2) {
        const s = a[i];
        if ((x === null && s === null) || (x !== null && s !== null && compare(x, s, p) === 0)) return a[i + 1];
      }
      return i < a.length ? a[i] : null;
    },
  },
};

function padStr(s: string, n: number, fill: string, left: boolean): Val {
  if (n <= 0 || fill === '') return null;
  if (s.length >= n) return s.slice(0, n);
  let p = '';
  while (p.length < n - s.length) p += fill;
  p = p.slice(0, n - s.length);
  return left ? p + s : s + p;
}

function extreme(a: Val[], pos: number, dir: number): Val {
  if (a.some((v) => v === null)) return null;
  let best = a[0];
  for (const v of a.slice(1)) {
    const conv = a[0] instanceof OraNumber ? toNumber(v, pos) : a[0] instanceof Date ? toDate(v, pos) : toText(v, pos);
    if (compare(conv, best, pos)! * dir > 0) best = conv;
  }
  return best;
}
