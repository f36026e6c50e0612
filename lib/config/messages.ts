// How configuration problems read: "<yaml.key.path>: <what is wrong>", with a suggestion
// for a mistyped key, and the problems listed in the order of the file's sections.
import { z } from 'zod';
import { schema } from './schema.ts';

const kind: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

export function describe(v: unknown): string {
  if (v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

export function valueAt(raw: unknown, p: (string | number)[]): unknown {
  let v: unknown = raw;
  for (const k of p) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

export const errorMap: z.ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return { message: 'is required' };
      if (issue.expected === 'integer') return { message: `must be a whole number (found ${describe(ctx.data)})` };
      return { message: `must be ${kind[issue.expected] ?? issue.expected} (found ${describe(ctx.data)})` };
    case 'invalid_enum_value':
      return { message: `must be one of ${issue.options.join(', ')} (found ${describe(ctx.data)})` };
    case 'invalid_union_discriminator': {
      const found = (ctx.data as Record<string, unknown> | undefined)?.[String(issue.path.at(-1))];
      return { message: `must be one of ${issue.options.map(String).join(', ')} (found ${describe(found)})` };
    }
    case 'too_small':
      if (issue.type === 'string') return { message: 'must not be empty' };
      if (issue.type === 'number')
        return { message: issue.inclusive ? `must be at least ${issue.minimum}` : `must be greater than ${issue.minimum}` };
      break;
    case 'too_big':
      if (issue.type === 'number') return { message: `must be at most ${issue.maximum}` };
      break;
    case 'invalid_union':
      return { message: `is not valid (found ${describe(ctx.data)})` };
  }
  return { message: ctx.defaultError };
};

/** Problems in the order of the sections in the file (stable within a section). */
export function sortBySection(problems: string[]): void {
  const order = Object.keys(schema.shape);
  const rank = (p: string) => {
    const i = order.indexOf(/^[A-Za-z0-9_]+/.exec(p)?.[0] ?? '');
    return i < 0 ? order.length : i;
  };
  const sorted = problems.map((p, i) => ({ p, i, r: rank(p) })).sort((a, b) => a.r - b.r || a.i - b.i);
  problems.splice(0, problems.length, ...sorted.map((x) => x.p));
}

/** `oracle.connect.user`, `path_map[2].from`: how a problem names its key. */
export function keyPath(p: (string | number)[]): string {
  if (p.length === 0) return '(top level)';
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z0-9_]+$/.test(k) ? (i ? '.' : '') + k : `[${JSON.stringify(k)}]`)).join('');
}

// ---- unknown keys: suggest the key that was probably meant ---------------------------

function unwrap(s: z.ZodTypeAny): z.ZodTypeAny {
  for (;;) {
    if (s instanceof z.ZodEffects) s = s.innerType();
    else if (s instanceof z.ZodDefault) s = s._def.innerType;
    else if (s instanceof z.ZodOptional) s = s.unwrap();
    else return s;
  }
}

function allowedKeys(data: unknown, at: (string | number)[]): string[] {
  let s: z.ZodTypeAny = schema;
  let v: unknown = data;
  const step = () => {
    s = unwrap(s);
    if (s instanceof z.ZodDiscriminatedUnion) {
      const tag = (v as Record<string, unknown> | undefined)?.[s.discriminator];
      s = unwrap(s.optionsMap.get(tag as never) ?? s.options[0]);
    }
  };
  for (const k of at) {
    step();
    if (!(s instanceof z.ZodObject)) return [];
    s = (s.shape as Record<string, z.ZodTypeAny>)[k as string];
    v = (v as Record<string | number, unknown> | undefined)?.[k];
    if (!s) return [];
  }
  step();
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** Every YAML key path the file may contain, e.g. "oracle.connect.password_env" (for docs and tests). */
export function configKeys(): string[] {
  const out: string[] = [];
  const walk = (s: z.ZodTypeAny, prefix: string) => {
    s = unwrap(s);
    const objects = s instanceof z.ZodDiscriminatedUnion ? (s.options as z.ZodTypeAny[]).map(unwrap) : [s];
    for (const o of objects) {
      if (!(o instanceof z.ZodObject)) continue;
      for (const [k, v] of Object.entries(o.shape as Record<string, z.ZodTypeAny>)) {
        const key = prefix ? `${prefix}.${k}` : k;
        if (!out.includes(key)) out.push(key);
        walk(v, key);
      }
    }
  };
  walk(schema, '');
  return out;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

export function unknownKeyMessage(data: unknown, at: (string | number)[], key: string): string {
  const allowed = allowedKeys(data, at);
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const best = allowed
    .map((k) => ({ k, d: norm(k) === norm(key) ? 0 : distance(key.toLowerCase(), k) }))
    .sort((a, b) => a.d - b.d)[0];
  if (best && best.d <= Math.max(2, Math.floor(key.length / 4))) return `unknown key (did you mean ${best.k}?)`;
  return allowed.length ? `unknown key (allowed here: ${allowed.join(', ')})` : 'unknown key';
}
