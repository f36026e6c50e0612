// Oracle DATE format models (TO_CHAR / TO_DATE): YYYY, RR, MM, MON, MONTH, DD, DY, DAY,
// HH24, HH12, HH, MI, SS, SSSSS, AM/PM, DDD, D, Q, J, FM, "text" and punctuation.
// DATEs are wall-clock values: the local time of the process, as Oracle's SYSDATE.
// Other valid Oracle elements (IW, IYYY, WW, CC, FF, TZH, SP/TH suffixes ...) are refused by name.
import { SqlError, unsupported } from './errors.ts';

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];
const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const TOKENS = ['SSSSS', 'YYYY', 'RRRR', 'HH24', 'HH12', 'MONTH', 'YYY', 'MON', 'DAY', 'DDD', 'A.M.', 'P.M.', 'YY', 'RR', 'MM', 'DD', 'DY', 'HH', 'MI', 'SS', 'AM', 'PM', 'FM', 'FX', 'Y', 'D', 'Q', 'J'];

const UNSUPPORTED = ['SYYYY', 'SYEAR', 'YEAR', 'IYYY', 'IYY', 'IY', 'IW', 'I', 'WW', 'W', 'SCC', 'CC', 'B.C.', 'A.D.', 'BC', 'AD', 'RM',
  'FF1', 'FF2', 'FF3', 'FF4', 'FF5', 'FF6', 'FF7', 'FF8', 'FF9', 'FF', 'TZH', 'TZM', 'TZR', 'TZD', 'DL', 'DS', 'TS', 'X', 'EE', 'E', 'SPTH', 'THSP', 'SP', 'TH'];

type Part = { tok: string; raw: string } | { lit: string };

function lex(fmt: string, pos: number): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i];
    if (ch === '"') {
      const e = fmt.indexOf('"', i + 1);
      if (e < 0) throw new SqlError('ORA-01821: date format not recognized', pos);
      parts.push({ lit: fmt.slice(i + 1, e) });
      i = e + 1;
      continue;
    }
    if (/[-/,.;: ]/.test(ch)) { parts.push({ lit: ch }); i++; continue; }
    const up = fmt.slice(i).toUpperCase();
    const tok = TOKENS.find((t) => up.startsWith(t));
    const other = UNSUPPORTED.find((t) => up.startsWith(t));
    if (other && other.length > (tok?.length ?? 0)) throw unsupported(`date format element '${other}'`, pos);
    if (!tok) throw new SqlError('ORA-01821: date format not recognized', pos);
    parts.push({ tok, raw: fmt.slice(i, i + tok.length) });
    i += tok.length;
  }
  return parts;
}

function caseLike(raw: string, s: string): string {
  if (raw === raw.toUpperCase()) return s.toUpperCase();
  if (raw[0] === raw[0].toUpperCase()) return s[0].toUpperCase() + s.slice(1).toLowerCase();
  return s.toLowerCase();
}

const pad = (n: number, w: number, fm: boolean) => (fm ? String(n) : String(n).padStart(w, '0'));

function julian(d: Date): number {
  return Math.floor(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86400000) + 2440588;
}

export function formatDate(d: Date, fmt: string, pos = 0): string {
  let fm = false;
  let out = '';
  for (const p of lex(fmt, pos)) {
    if ('lit' in p) { out += p.lit; continue; }
    const { tok, raw } = p;
    const h = d.getHours();
    switch (tok) {
      case 'FM': fm = !fm; break;
      case 'FX': break;
      case 'YYYY': case 'RRRR': out += pad(d.getFullYear(), 4, fm); break;
      case 'YYY': out += pad(d.getFullYear() % 1000, 3, fm); break;
      case 'YY': case 'RR': out += pad(d.getFullYear() % 100, 2, fm); break;
      case 'Y': out += String(d.getFullYear() % 10); break;
      case 'MM': out += pad(d.getMonth() + 1, 2, fm); break;
      case 'MON': out += caseLike(raw, MONTHS[d.getMonth()].slice(0, 3)); break;
      case 'MONTH': { const m = caseLike(raw, MONTHS[d.getMonth()]); out += fm ? m : m.padEnd(9); break; }
      case 'DD': out += pad(d.getDate(), 2, fm); break;
      case 'DDD': {
        const doy = Math.round((Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(d.getFullYear(), 0, 1)) / 86400000) + 1;
        out += pad(doy, 3, fm);
        break;
      }
      case 'D': out += String(d.getDay() + 1); break;
      case 'DY': out += caseLike(raw, DAYS[d.getDay()].slice(0, 3)); break;
      case 'DAY': { const s = caseLike(raw, DAYS[d.getDay()]); out += fm ? s : s.padEnd(9); break; }
      case 'HH24': out += pad(h, 2, fm); break;
      case 'HH': case 'HH12': out += pad(h % 12 === 0 ? 12 : h % 12, 2, fm); break;
      case 'MI': out += pad(d.getMinutes(), 2, fm); break;
      case 'SS': out += pad(d.getSeconds(), 2, fm); break;
      case 'SSSSS': out += pad(h * 3600 + d.getMinutes() * 60 + d.getSeconds(), 5, fm); break;
      case 'AM': case 'PM': out += caseLike(raw, h < 12 ? 'AM' : 'PM'); break;
      case 'A.M.': case 'P.M.': out += caseLike(raw, h < 12 ? 'A.M.' : 'P.M.'); break;
      case 'Q': out += String(Math.floor(d.getMonth() / 3) + 1); break;
      case 'J': out += String(julian(d)); break;
    }
  }
  return out;
}

export function parseDate(s: string, fmt: string, pos = 0): Date {
  const bad = (code = 'ORA-01861: literal does not match format string') => new SqlError(code, pos);
  let y = new Date().getFullYear(), mo = new Date().getMonth(), d = 1, h = 0, mi = 0, sec = 0;
  let pm: boolean | null = null;
  let i = 0;
  const num = (max: number): number => {
    const m = /^\d+/.exec(s.slice(i, i + max));
    if (!m) throw bad();
    i += m[0].length;
    return Number(m[0]);
  };
  for (const p of lex(fmt, pos)) {
    while (s[i] === ' ' && !('lit' in p && p.lit === ' ')) i++;
    if ('lit' in p) {
      if (s.slice(i, i + p.lit.length) === p.lit) i += p.lit.length;
      else if (/[-/,.;: ]/.test(p.lit) && /[-/,.;: ]/.test(s[i] ?? '')) i++;
      else if (i < s.length) throw bad();
      continue;
    }
    switch (p.tok) {
      case 'FM': case 'FX': break;
      case 'YYYY': case 'RRRR': y = num(4); break;
      case 'YY': y = 2000 + num(2); break;
      case 'RR': { const v = num(2); y = v < 50 ? 2000 + v : 1900 + v; break; }
      case 'MM': mo = num(2) - 1; if (mo < 0 || mo > 11) throw bad('ORA-01843: not a valid month'); break;
      case 'MON': case 'MONTH': {
        const up = s.slice(i).toUpperCase();
        const k = MONTHS.findIndex((m) => up.startsWith(m)) >= 0 && p.tok === 'MONTH'
          ? MONTHS.findIndex((m) => up.startsWith(m)) : MONTHS.findIndex((m) => up.startsWith(m.slice(0, 3)));
        if (k < 0) throw bad('ORA-01843: not a valid month');
        i += p.tok === 'MONTH' && up.startsWith(MONTHS[k]) ? MONTHS[k].length : 3;
        mo = k;
        break;
      }
      case 'DD': d = num(2); if (d < 1 || d > 31) throw bad('ORA-01847: day of month must be between 1 and last day of month'); break;
      case 'HH24': h = num(2); if (h > 23) throw bad('ORA-01850: hour must be between 0 and 23'); break;
      case 'HH': case 'HH12': h = num(2); if (h < 1 || h > 12) throw bad('ORA-01849: hour must be between 1 and 12'); break;
      case 'MI': mi = num(2); if (mi > 59) throw bad('ORA-01851: minutes must be between 0 and 59'); break;
      case 'SS': sec = num(2); if (sec > 59) throw bad('ORA-01852: seconds must be between 0 and 59'); break;
      case 'AM': case 'PM': { const t = s.slice(i, i + 2).toUpperCase(); pm = t === 'PM'; i += 2; break; }
      default: throw unsupported(`date format element '${p.tok}' in TO_DATE`, pos);
    }
  }
  if (s.slice(i).trim() !== '') throw bad('ORA-01830: date format picture ends before converting entire input string');
  if (pm !== null) h = (h % 12) + (pm ? 12 : 0);
  return new Date(y, mo, d, h, mi, sec);
}
