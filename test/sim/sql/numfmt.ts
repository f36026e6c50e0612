// TO_CHAR(number, 'format'): 9 0 . D , G FM S MI $ X and TM/TM9/TME, exact on any NUMBER;
// '#' fill on overflow. Other valid elements (B C L U V PR RN EEEE) are refused by name.
import { SqlError, unsupported } from './errors.ts';
import { OraNumber, numberText, sciMinimal } from './number.ts';

const VALID = /^(?:FM)?(?:EEEE|MI|PR|RN|TM9|TME|TM|[,.$09BCDGLSUVX])+$/;
const UNSUPPORTED = ['EEEE', 'PR', 'RN', 'B', 'C', 'L', 'U', 'V'];

function badFormat(fmt: string, pos: number): SqlError {
  const f = fmt.toUpperCase();
  if (VALID.test(f)) {
    const el = UNSUPPORTED.find((u) => f.replace(/^FM/, '').includes(u));
    if (el) return unsupported(`number format element '${el}'`, pos);
  }
  return new SqlError('ORA-01481: invalid number format model', pos);
}

export function formatNumber(n: OraNumber, fmt: string, pos = 0): string {
  let f = fmt.toUpperCase();
  const fm = f.startsWith('FM');
  if (fm) f = f.slice(2);
  if (f === 'TM' || f === 'TM9') return numberText(n);
  if (f === 'TME') return sciMinimal(n);
  if (/^0?X+$/.test(f)) return hex(n, f, fm);
  let lead = '', trail = '';
  if (f.startsWith('S')) { lead = 'S'; f = f.slice(1); }
  if (f.endsWith('MI')) { trail = 'MI'; f = f.slice(0, -2); } else if (f.endsWith('S')) { trail = 'S'; f = f.slice(0, -1); }
  const dollar = f.includes('$');
  f = f.replace('$', '');
  if (!/^[90,G]*([.D][09]*)?$/.test(f)) throw badFormat(fmt, pos);
  const [ip, dp = ''] = f.split(/[.D]/);
  const hasPoint = /[.D]/.test(f);
  const neg = n.sign() < 0;
  const rounded = n.abs().round(dp.length);
  let [intDigits, fracDigits = ''] = rounded.toPlain().split('.');
  fracDigits = fracDigits.padEnd(dp.length, '0');
  const intSlots = ip.replace(/[,G]/g, '').length;
  const firstZero = ip.replace(/[,G]/g, '').indexOf('0');
  if (intDigits === '0' && firstZero < 0 && hasPoint) intDigits = '';
  if (intDigits === '0' && intSlots === 0) intDigits = '';
  if (intDigits.length > intSlots) return '#'.repeat(fmt.length - (fm ? 2 : 0) + 1);
  const minLen = firstZero < 0 ? intDigits.length : Math.max(intDigits.length, intSlots - firstZero);
  const digits = intDigits.padStart(minLen, '0');
  let body = '';
  let di = digits.length - 1;
  for (let k = ip.length - 1; k >= 0 && di >= 0; k--) {
    const ch = ip[k];
    if (ch === ',' || ch === 'G') { body = ',' + body; continue; }
    body = digits[di--] + body;
  }
  body = body.replace(/^,+/, '');
  if (hasPoint) body += '.' + fracDigits;
  if (dollar) body = '$' + body;
  const showNeg = neg && !rounded.isZero();
  let signed: string;
  if (lead === 'S') signed = (showNeg ? '-' : '+') + body;
  else if (trail === 'S') signed = body + (showNeg ? '-' : '+');
  else if (trail === 'MI') signed = body + (showNeg ? '-' : fm ? '' : ' ');
  else signed = (showNeg ? '-' : '') + body;
  if (fm) return signed;
  const width = fmt.length + (lead || trail ? 0 : 1);
  return signed.padStart(width);
}

/** X / 0X formats: the rounded non-negative integer in hexadecimal. */
function hex(n: OraNumber, f: string, fm: boolean): string {
  const v = n.round(0);
  if (v.sign() < 0) return '#'.repeat(f.length + 1);
  let h = v.toBigInt().toString(16).toUpperCase();
  if (h.length > f.length) return '#'.repeat(f.length + 1);
  if (f.startsWith('0')) h = h.padStart(f.length, '0');
  return fm ? h : h.padStart(f.length + 1);
}
