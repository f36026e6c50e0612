// How SQL*Plus shows a NUMBER in a column of a given width (NUMWIDTH): exact when it fits,
// else rounded decimals, else scientific notation such as 1.2346E+13.
import { numberText } from '../sql/values.ts';

function sci(n: number, width: number): string {
  const sign = n < 0 ? 1 : 0;
  for (let k = Math.max(0, width - sign - 6); k >= 0; k--) {
    const [m, e] = Math.abs(n).toExponential(k).split('e');
    const ex = Number(e);
    const s = `${sign ? '-' : ''}${m}E${ex < 0 ? '-' : '+'}${String(Math.abs(ex)).padStart(2, '0')}`;
    if (s.length <= width) return s;
  }
  return '#'.repeat(width);
}

export function numberInWidth(v: number | bigint, width: number): string {
  if (typeof v === 'bigint') {
    const s = v.toString();
    return s.length <= width ? s : sci(Number(v), width);
  }
  const s = numberText(v);
  if (s.length <= width) return s;
  const abs = Math.abs(v);
  const sign = v < 0 ? 1 : 0;
  const intLen = abs >= 1 ? Math.floor(Math.log10(abs)) + 1 : 0;
  if (abs >= 1 && intLen + sign <= width) {
    const dec = Math.max(0, width - sign - intLen - 1);
    let r = v.toFixed(dec);
    if (r.includes('.')) r = r.replace(/0+$/, '').replace(/\.$/, '');
    if (r.length <= width) return r;
  }
  if (abs > 0 && abs < 1) {
    const dec = width - sign - 1;
    let r = abs.toFixed(dec).replace(/0+$/, '').replace(/^0/, '');
    if (r !== '.' && /[1-9]/.test(r) && (r.match(/^\.0*/)![0].length - 1) < 4) return (sign ? '-' : '') + r;
  }
  return sci(v, width);
}
