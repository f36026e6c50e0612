// Oracle NUMBER: an exact decimal m × 10^e holding at most 20 base-100 digits (38 to 40
// decimal digits, depending on where the first digit falls), rounded half away from zero
// after every operation as Oracle stores a NUMBER. So 1/3*3 is .9999999999999999999999999999999999999999
// (not 1) and (DATE - DATE) * 1440 may miss a whole minute in its last digit, as on a real database.
import { SqlError } from './errors.ts';

const POW10: bigint[] = [1n];
export function pow10(n: number): bigint {
  while (POW10.length <= n) POW10.push(POW10[POW10.length - 1] * 10n);
  return POW10[n];
}

const abs = (m: bigint) => (m < 0n ? -m : m);
const digitCount = (m: bigint) => (m === 0n ? 1 : abs(m).toString().length);

/** m / d rounded half away from zero (d > 0). */
function roundDiv(m: bigint, d: bigint): bigint {
  const q = m / d;
  const r = m % d;
  if (2n * abs(r) >= d) return m < 0n ? q - 1n : q + 1n;
  return q;
}

const NUM_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

export class OraNumber {
  /** Use OraNumber.of(): the constructor takes an already normalized value. */
  private constructor(readonly m: bigint, readonly e: number) {}

  static readonly ZERO = new OraNumber(0n, 0);

  /** m × 10^e rounded to Oracle's precision; ORA-01426 beyond NUMBER's range (|x| >= 1E126), 0 below 1E-130. */
  static of(m: bigint, e = 0): OraNumber {
    if (m === 0n) return OraNumber.ZERO;
    const msd = digitCount(m) - 1 + e; // 10^msd is the most significant digit
    const lowest = 2 * Math.floor(msd / 2) - 38; // 20 base-100 digits down from the first one
    if (e < lowest) {
      m = roundDiv(m, pow10(lowest - e));
      e = lowest;
      if (m === 0n) return OraNumber.ZERO;
    }
    while (m % 10n === 0n) { m /= 10n; e++; }
    const top = digitCount(m) - 1 + e;
    if (top >= 126) throw new SqlError('ORA-01426: numeric overflow');
    if (top < -130) return OraNumber.ZERO;
    return new OraNumber(m, e);
  }

  static fromInt(n: number | bigint): OraNumber {
    return OraNumber.of(typeof n === 'bigint' ? n : BigInt(n));
  }

  /** A JS number stands for the decimal its shortest text names (0.1 is 0.1, not the binary fraction). */
  static fromNumber(n: number): OraNumber {
    if (Number.isSafeInteger(n)) return OraNumber.of(BigInt(n));
    if (!Number.isFinite(n)) throw new SqlError('ORA-01426: numeric overflow');
    return OraNumber.parse(String(n))!;
  }

  /** Decimal text ('12', '-.5', '1.5E+20'); null when it is not a number. */
  static parse(s: string): OraNumber | null {
    const x = NUM_TEXT.exec(s);
    if (!x || (x[2] === '' && (x[3] ?? '') === '')) return null;
    const frac = x[3] ?? '';
    const m = BigInt(x[2] + frac || '0');
    return OraNumber.of(x[1] === '-' ? -m : m, -frac.length + Number(x[4] ?? 0));
  }

  /** number, bigint or OraNumber → OraNumber. */
  static from(v: number | bigint | OraNumber): OraNumber {
    return v instanceof OraNumber ? v : typeof v === 'bigint' ? OraNumber.fromInt(v) : OraNumber.fromNumber(v);
  }

  sign(): number { return this.m < 0n ? -1 : this.m > 0n ? 1 : 0; }
  isZero(): boolean { return this.m === 0n; }
  isInteger(): boolean { return this.e >= 0; }
  neg(): OraNumber { return this.m === 0n ? this : new OraNumber(-this.m, this.e); }
  abs(): OraNumber { return this.m < 0n ? new OraNumber(-this.m, this.e) : this; }

  /** Both coefficients at the smaller exponent. */
  private align(b: OraNumber): [bigint, bigint, number] {
    const e = Math.min(this.e, b.e);
    return [this.m * pow10(this.e - e), b.m * pow10(b.e - e), e];
  }

  add(b: OraNumber): OraNumber { const [x, y, e] = this.align(b); return OraNumber.of(x + y, e); }
  sub(b: OraNumber): OraNumber { const [x, y, e] = this.align(b); return OraNumber.of(x - y, e); }
  mul(b: OraNumber): OraNumber { return OraNumber.of(this.m * b.m, this.e + b.e); }

  /** Quotient to Oracle's precision; the caller checks for a zero divisor (ORA-01476). */
  div(b: OraNumber): OraNumber {
    if (b.m === 0n) throw new SqlError('ORA-01476: divisor is equal to zero');
    const shift = Math.max(0, 44 + digitCount(b.m) - digitCount(this.m));
    return OraNumber.of((this.m * pow10(shift)) / b.m, this.e - b.e - shift);
  }

  /** Remainder with the sign of the dividend (Oracle's MOD); MOD(x, 0) is x. */
  mod(b: OraNumber): OraNumber {
    if (b.m === 0n) return this;
    const [x, y, e] = this.align(b);
    return OraNumber.of(x % y, e);
  }

  cmp(b: OraNumber): number {
    const s = this.sign(), t = b.sign();
    if (s !== t) return s < t ? -1 : 1;
    const [x, y] = this.e === b.e ? [this.m, b.m] : this.align(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  equals(b: OraNumber): boolean { return this.m === b.m && this.e === b.e; }

  /** ROUND(n, d): half away from zero at 10^-d (d may be negative). */
  round(d = 0): OraNumber {
    if (this.e >= -d) return this;
    return OraNumber.of(roundDiv(this.m, pow10(-d - this.e)), -d);
  }

  /** TRUNC(n, d). */
  trunc(d = 0): OraNumber {
    if (this.e >= -d) return this;
    return OraNumber.of(this.m / pow10(-d - this.e), -d);
  }

  floor(): OraNumber { const t = this.trunc(); return this.m < 0n && !t.equals(this) ? t.sub(ONE) : t; }
  ceil(): OraNumber { const t = this.trunc(); return this.m > 0n && !t.equals(this) ? t.add(ONE) : t; }

  /** n^k for an integer k, exactly then rounded. */
  powInt(k: number): OraNumber {
    if (k < 0) return ONE.div(this.powInt(-k));
    let r: OraNumber = ONE;
    let b: OraNumber = this;
    while (k > 0) {
      if (k & 1) r = r.mul(b);
      k >>= 1;
      if (k) b = b.mul(b);
    }
    return r;
  }

  /** The integer part (truncated). */
  toBigInt(): bigint { return this.e >= 0 ? this.m * pow10(this.e) : this.m / pow10(-this.e); }

  /** Nearest JS double. */
  toNumber(): number { return Number(`${this.m}e${this.e}`); }

  /** Is this the exact decimal a JS number names (so a number cell can carry it)? */
  fitsNumber(): boolean {
    const n = this.toNumber();
    return Number.isFinite(n) && (Number.isSafeInteger(n) || !Number.isInteger(n)) && OraNumber.fromNumber(n).equals(this);
  }

  /** Decimal digits and the place of the first one: value = 0.d1d2d3... × 10^point. */
  parts(): { neg: boolean; digits: string; point: number } {
    const digits = abs(this.m).toString();
    return { neg: this.m < 0n, digits, point: digits.length + this.e };
  }

  /** Plain decimal text without exponent, '0.5' style (leading zero kept). */
  toPlain(): string {
    const { neg, digits, point } = this.parts();
    let s: string;
    if (this.m === 0n) return '0';
    if (point <= 0) s = '0.' + '0'.repeat(-point) + digits;
    else if (point >= digits.length) s = digits + '0'.repeat(point - digits.length);
    else s = digits.slice(0, point) + '.' + digits.slice(point);
    return (neg ? '-' : '') + s;
  }

  /** Canonical key (equal values, equal keys). */
  key(): string { return `${this.m}e${this.e}`; }
  toJSON(): string { return this.key(); }
  toString(): string { return this.toPlain(); }
}

export const ONE = OraNumber.of(1n);

/** Scientific text with k digits after the point: 1.8447E+19 (SQL*Plus and TO_CHAR style). */
export function sciText(n: OraNumber, k: number): string {
  if (n.isZero()) return `${k > 0 ? '0.' + '0'.repeat(k) : '0'}E+00`;
  let { point } = n.parts();
  let x = point - 1;
  let mant = OraNumber.of(n.abs().m, n.e - x).round(k);
  if (mant.cmp(TEN) >= 0) { x++; mant = OraNumber.of(n.abs().m, n.e - x).round(k); }
  const plain = mant.toPlain();
  const [ip, fp = ''] = plain.split('.');
  const m = k > 0 ? `${ip}.${fp.padEnd(k, '0')}` : ip;
  return `${n.sign() < 0 ? '-' : ''}${m}E${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
}
const TEN = OraNumber.of(10n);

/**
 * TO_CHAR(n) without a format (the TM text-minimum model): every significant digit, no
 * leading zero before the point ('.5'); scientific notation only beyond 64 characters.
 */
export function numberText(n: OraNumber): string {
  const plain = n.toPlain().replace(/^(-?)0\./, '$1.');
  if (plain.length <= 64) return plain;
  return sciMinimal(n);
}

/** Shortest scientific form: 1E+100, -1.5E-70. */
export function sciMinimal(n: OraNumber): string {
  const { digits } = n.parts();
  return sciText(n, digits.length - 1);
}
