// How SQL*Plus shows a NUMBER in a column of a given width (NUMWIDTH): exact when it fits,
// else rounded decimals, else scientific notation such as 1.2346E+13. Exact on any NUMBER.
import { OraNumber, numberText, sciText } from '../sql/number.ts';

function sci(n: OraNumber, width: number): string {
  const sign = n.sign() < 0 ? 1 : 0;
  for (let k = Math.max(0, width - sign - 6); k >= 0; k--) {
    const s = sciText(n, k);
    if (s.length <= width) return s;
  }
  return '#'.repeat(width);
}

/** Digits before the point of |n| (0 for |n| < 1). */
function intDigits(n: OraNumber): number {
  const { point } = n.parts();
  return Math.max(0, point);
}

export function numberInWidth(value: number | bigint | OraNumber, width: number): string {
  const v = OraNumber.from(value);
  const s = numberText(v);
  if (s.length <= width) return s;
  const sign = v.sign() < 0 ? 1 : 0;
  const ints = intDigits(v);
  if (ints > 0 && ints + sign <= width) {
    const r = numberText(v.round(Math.max(0, width - sign - ints - 1)));
    if (r.length <= width) return r;
  }
  if (ints === 0) {
    const r = numberText(v.round(width - sign - 1));
    // SQL*Plus keeps a fraction in fixed notation only while it keeps enough significant digits
    const zeros = /^-?\.(0*)/.exec(r)?.[1].length ?? 0;
    if (r.length <= width && !/^-?0?$/.test(r) && !/^-?\.0*$/.test(r) && (r.includes('.') ? zeros < 4 : true)) return r;
  }
  return sci(v, width);
}
