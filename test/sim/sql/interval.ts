// INTERVAL DAY TO SECOND literals (INTERVAL '90' MINUTE, INTERVAL '1 02:03:04' DAY TO SECOND):
// operands of DATE arithmetic and of comparisons between intervals. YEAR TO MONTH is refused.
import { SqlError, unsupported } from './errors.ts';
import { OraNumber } from './number.ts';

export class DsInterval {
  constructor(readonly seconds: OraNumber) {}
}

export const INTERVAL_UNITS = ['DAY', 'HOUR', 'MINUTE', 'SECOND'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];
const UNIT_SECONDS = [86400n, 3600n, 60n, 1n];
const SEPARATOR = ['', ' ', ':', ':'];
const LIMIT = [Infinity, 24, 60, 60];

const invalid = (pos: number) => new SqlError('ORA-01867: the interval is invalid', pos);

/**
 * The value of INTERVAL 'text' lead[(leadPrecision)] [TO trail]: fields from lead to trail,
 * 'D HH:MI:SS.ff' style; the leading field has at most leadPrecision digits (ORA-01873).
 */
export function intervalLiteral(text: string, lead: IntervalUnit, leadPrecision: number, trail: IntervalUnit, pos: number): DsInterval {
  const a = INTERVAL_UNITS.indexOf(lead);
  const b = INTERVAL_UNITS.indexOf(trail);
  if (b < a) throw invalid(pos);
  let re = '^\\s*([+-])?(\\d+)';
  for (let i = a + 1; i <= b; i++) re += (SEPARATOR[i] === ' ' ? ' +' : SEPARATOR[i]) + '(\\d{1,2})';
  if (trail === 'SECOND') re += '(?:\\.(\\d+))?';
  const m = new RegExp(re + '\\s*$').exec(text);
  if (!m) throw invalid(pos);
  if (m[2].replace(/^0+(?=\d)/, '').length > leadPrecision) throw new SqlError('ORA-01873: the leading precision of the interval is too small', pos);
  let secs = BigInt(m[2]) * UNIT_SECONDS[a];
  for (let i = a + 1; i <= b; i++) {
    const v = Number(m[3 + i - a - 1]);
    if (v >= LIMIT[i]) throw invalid(pos);
    secs += BigInt(v) * UNIT_SECONDS[i];
  }
  const frac = trail === 'SECOND' ? m[3 + b - a] ?? '' : '';
  let total = OraNumber.of(secs * 10n ** BigInt(frac.length) + BigInt(frac || '0'), -frac.length);
  if (m[1] === '-') total = total.neg();
  return new DsInterval(total);
}

/** YEAR / MONTH intervals are valid Oracle but not modelled. */
export function yearMonthInterval(pos: number): SqlError {
  return unsupported('INTERVAL YEAR TO MONTH', pos);
}
