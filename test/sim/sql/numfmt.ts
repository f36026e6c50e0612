// TO_CHAR(number, 'format'): 9 0 . D , G FM S MI $ X and TM/TM9; '#' fill on overflow.
import { SqlError } from './errors.ts';
import { numberText } from './values.ts';

export function formatNumber(n: number, fmt: string, pos = 0): string {
  let f = fmt.toUpperCase();
  const fm = f.startsWith('FM');
  if (fm) f = f.slice(2);
  if (f === 'TM' || f === 'TM9' || f === 'TME') return numberText(n);
  if (/^X+$/.test(f) || /^0X+$/.test(f)) {
    if (n < 0 || !Number.isInteger(Math.round(n))) return '#'.repeat(f.length + 1);
    let h = Math.round(n).toString(16).toUpperCase();
    if (h.length > f.length) return '#'.repeat(f.length + 1);
    if (f.startsWith('0')) h = h.padStart(f.length, '0');
    return fm ? h : h.padStart(f.length + 1);
  }
  let lead = '', trail = '';
  if (f.startsWith('S')) { lead = 'S'; f = f.slice(1); }
  if (f.endsWith('MI')) { trail = 'MI'; f = f.slice(0, -2); } else if (f.endsWith('S')) { trail = 'S'; f = f.slice(0, -1); }
  const dollar = f.includes('$');
  f = f.replace('$', '');
  if (!/^[90,G]*([.D][09]*)?$/.test(f)) throw new SqlError('ORA-01481: invalid number format model', pos);
  const [ip, dp = ''] = f.split(/[.D]/);
  const hasPoint = /[.D]/.test(f);
  const decs = dp.length;
  const neg = n < 0;
  const abs = Math.abs(n);
  const fixed = abs.toFixed(decs);
  let [intDigits, fracDigits = ''] = fixed.split('.');
  const intSlots = ip.replace(/[,G]/g, '').length;
  const firstZero = ip.replace(/[,G]/g, '').indexOf('0');
  if (intDigits === '0' && (firstZero < 0 && hasPoint)) intDigits = '';
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
  let signed: string;
  if (lead === 'S') signed = (neg ? '-' : '+') + body;
  else if (trail === 'S') signed = body + (neg ? '-' : '+');
  else if (trail === 'MI') signed = body + (neg ? '-' : fm ? '' : ' ');
  else signed = (neg ? '-' : '') + body;
  if (fm) return signed;
  const width = fmt.length + (lead || trail ? 0 : 1);
  return signed.padStart(width);
}
