// Scalar SQL functions (aggregates live in eval.ts).
import { SqlError } from './errors.ts';
import { formatDate, parseDate } from './datefmt.ts';
import { formatNumber } from './numfmt.ts';
import { compare, toDate, toNumber, toText, tidy, type Val, NLS_DATE_FORMAT } from './values.ts';

type Fn = (a: Val[], pos: number) => Val;
const str = (s: string | null): Val => (s === null || s === '' ? null : s);
const num = (v: Val, pos: number) => toNumber(v, pos);

function trimSet(s: string, set: string, left: boolean, right: boolean): string {
  let a = 0, b = s.length;
  if (left) while (a < b && set.includes(s[a])) a++;
  if (right) while (b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function roundTo(n: number, d: number, trunc: boolean): number {
  const f = Math.pow(10, d);
  const x = tidy(n * f);
  const r = trunc ? Math.trunc(x) : Math.sign(x) * Math.round(Math.abs(x));
  return tidy(r / f);
}

function truncDate(d: Date, fmt: string, pos: number): Date {
  const f = fmt.toUpperCase();
  if (['DD', 'DDD', 'J'].includes(f)) return new Date(d.getFullYear(), d.getMonth(), d.getDate());
  if (['MM', 'MON', 'MONTH'].includes(f)) return new Date(d.getFullYear(), d.getMonth(), 1);
  if (['YYYY', 'YY', 'YEAR', 'Y', 'RR', 'RRRR'].includes(f)) return new Date(d.getFullYear(), 0, 1);
  if (['HH', 'HH24', 'HH12'].includes(f)) return new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours());
  if (f === 'MI') return new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes());
  throw new SqlError('ORA-01898: too many precision specifiers', pos);
}

const nullIfAny = (f: Fn): Fn => (a, p) => (a.some((v) => v === null) ? null : f(a, p));

export const FUNCTIONS: Record<string, { min: number; max: number; fn: Fn }> = {
  NVL: { min: 2, max: 2, fn: (a) => (a[0] === null ? a[1] : a[0]) },
  NVL2: { min: 3, max: 3, fn: (a) => (a[0] !== null ? a[1] : a[2]) },
  COALESCE: { min: 1, max: 99, fn: (a) => a.find((v) => v !== null) ?? null },
  NULLIF: { min: 2, max: 2, fn: (a, p) => (compare(a[0], a[1], p) === 0 ? null : a[0]) },
  UPPER: { min: 1, max: 1, fn: nullIfAny((a) => toText(a[0])!.toUpperCase()) },
  LOWER: { min: 1, max: 1, fn: nullIfAny((a) => toText(a[0])!.toLowerCase()) },
  INITCAP: { min: 1, max: 1, fn: nullIfAny((a) => toText(a[0])!.toLowerCase().replace(/(^|[^a-z0-9])([a-z])/g, (_, x, y) => x + y.toUpperCase())) },
  LENGTH: { min: 1, max: 1, fn: nullIfAny((a) => toText(a[0])!.length) },
  LTRIM: { min: 1, max: 2, fn: nullIfAny((a) => str(trimSet(toText(a[0])!, a.length > 1 ? toText(a[1])! : ' ', true, false))) },
  RTRIM: { min: 1, max: 2, fn: nullIfAny((a) => str(trimSet(toText(a[0])!, a.length > 1 ? toText(a[1])! : ' ', false, true))) },
  TRIM: { min: 1, max: 2, fn: nullIfAny((a) => str(trimSet(toText(a[0])!, a.length > 1 ? toText(a[1])! : ' ', true, true))) },
  SUBSTR: {
    min: 2, max: 3,
    fn: nullIfAny((a, p) => {
      const s = toText(a[0])!;
      let start = Math.trunc(num(a[1], p)!);
      const len = a.length > 2 ? Math.trunc(num(a[2], p)!) : s.length;
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
      const s = toText(a[0])!, sub = toText(a[1])!;
      const start = a.length > 2 ? Math.trunc(num(a[2], p)!) : 1;
      let nth = a.length > 3 ? Math.trunc(num(a[3], p)!) : 1;
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
  REPLACE: { min: 2, max: 3, fn: (a) => (a[0] === null ? null : str(toText(a[0])!.split(toText(a[1]) ?? '').join(toText(a[2] ?? null) ?? ''))) },
  CONCAT: { min: 2, max: 2, fn: (a) => str((toText(a[0]) ?? '') + (toText(a[1]) ?? '')) },
  LPAD: { min: 2, max: 3, fn: nullIfAny((a, p) => padStr(toText(a[0])!, num(a[1], p)!, a.length > 2 ? toText(a[2])! : ' ', true)) },
  RPAD: { min: 2, max: 3, fn: nullIfAny((a, p) => padStr(toText(a[0])!, num(a[1], p)!, a.length > 2 ? toText(a[2])! : ' ', false)) },
  CHR: { min: 1, max: 1, fn: nullIfAny((a, p) => String.fromCharCode(num(a[0], p)!)) },
  ASCII: { min: 1, max: 1, fn: nullIfAny((a) => toText(a[0])!.charCodeAt(0)) },
  ABS: { min: 1, max: 1, fn: nullIfAny((a, p) => Math.abs(num(a[0], p)!)) },
  CEIL: { min: 1, max: 1, fn: nullIfAny((a, p) => Math.ceil(num(a[0], p)!)) },
  FLOOR: { min: 1, max: 1, fn: nullIfAny((a, p) => Math.floor(num(a[0], p)!)) },
  SIGN: { min: 1, max: 1, fn: nullIfAny((a, p) => Math.sign(num(a[0], p)!)) },
  SQRT: { min: 1, max: 1, fn: nullIfAny((a, p) => tidy(Math.sqrt(num(a[0], p)!))) },
  POWER: { min: 2, max: 2, fn: nullIfAny((a, p) => tidy(Math.pow(num(a[0], p)!, num(a[1], p)!))) },
  MOD: { min: 2, max: 2, fn: nullIfAny((a, p) => { const m = num(a[1], p)!; const x = num(a[0], p)!; return m === 0 ? x : tidy(x - m * Math.trunc(x / m)); }) },
  BITAND: { min: 2, max: 2, fn: nullIfAny((a, p) => Number(BigInt(Math.trunc(num(a[0], p)!)) & BigInt(Math.trunc(num(a[1], p)!)))) },
  ROUND: {
    min: 1, max: 2,
    fn: nullIfAny((a, p) => {
      if (a[0] instanceof Date) {
        const d = a[0];
        const t = truncDate(d, a.length > 1 ? toText(a[1])! : 'DD', p);
        return d.getTime() - t.getTime() >= 43200000 && (a.length < 2 || toText(a[1])!.toUpperCase() === 'DD') ? new Date(t.getFullYear(), t.getMonth(), t.getDate() + 1) : t;
      }
      return roundTo(num(a[0], p)!, a.length > 1 ? Math.trunc(num(a[1], p)!) : 0, false);
    }),
  },
  TRUNC: {
    min: 1, max: 2,
    fn: nullIfAny((a, p) => {
      if (a[0] instanceof Date) return truncDate(a[0], a.length > 1 ? toText(a[1])! : 'DD', p);
      return roundTo(num(a[0], p)!, a.length > 1 ? Math.trunc(num(a[1], p)!) : 0, true);
    }),
  },
  GREATEST: { min: 1, max: 99, fn: (a, p) => extreme(a, p, 1) },
  LEAST: { min: 1, max: 99, fn: (a, p) => extreme(a, p, -1) },
  TO_CHAR: {
    min: 1, max: 3,
    fn: (a, p) => {
      const v = a[0];
      if (v === null) return null;
      if (a.length < 2 || a[1] === null) return toText(v);
      const f = toText(a[1])!;
      if (v instanceof Date) return str(formatDate(v, f, p));
      return formatNumber(num(v, p)!, f, p);
    },
  },
  TO_NUMBER: {
    min: 1, max: 3,
    fn: (a, p) => {
      if (a[0] === null) return null;
      if (typeof a[0] === 'number') return a[0];
      let s = toText(a[0])!;
      if (a.length > 1 && a[1] !== null) {
        const f = toText(a[1])!.toUpperCase();
        if (/^X+$/.test(f)) { if (!/^[0-9a-f]+$/i.test(s.trim())) throw new SqlError('ORA-01722: invalid number', p); return parseInt(s, 16); }
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
      return parseDate(toText(a[0])!, a.length > 1 && a[1] !== null ? toText(a[1])! : NLS_DATE_FORMAT, p);
    },
  },
  ADD_MONTHS: { min: 2, max: 2, fn: nullIfAny((a, p) => { const d = toDate(a[0], p)!; return new Date(d.getFullYear(), d.getMonth() + num(a[1], p)!, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()); }) },
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
  n = Math.trunc(n);
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
    const conv = typeof a[0] === 'number' ? toNumber(v, pos) : a[0] instanceof Date ? toDate(v, pos) : toText(v);
    if (compare(conv, best, pos)! * dir > 0) best = conv;
  }
  return best;
}
