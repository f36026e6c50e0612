// etc/dr.yaml → DrConfig. One pure validation step reports every problem at once, each
// as "<yaml.key.path>: <what is wrong>" with the YAML (snake_case) key names, so an
// operator fixes the file in one pass. Unknown keys are problems: a typo must not fall
// back to a default in silence.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import YAML from 'yaml';
import { ConfigError, DrError, ExitCode } from './errors.ts';
import { normalizePath, parsePathMap, type PathRule } from './pathmap.ts';

export type { PathRule };

export type ConnectConfig =
  | { method: 'sqlplus' }
  | {
      method: 'oracledb';
      user: string;
      connectString: string;
      privilege: 'SYSDBA' | 'SYSBACKUP' | 'NONE';
      passwordEnv?: string;
      passwordFile?: string;
    };

export type Destination =
  | {
      type: 'ssh';
      host: string;
      user: string;
      port: number;
      identityFile?: string;
      knownHostsFile?: string;
      sshConfigFile?: string;
      cipher?: string;
      controlMaster: boolean;
      extraSshOptions: string[];
    }
  | { type: 'local' };

export interface DrConfig {
  source: string;
  projectRoot: string;
  oracle: { sid: string; home?: string; sqlplus: string; connect: ConnectConfig; nlsLang?: string };
  destination: Destination;
  pathMap: PathRule[];
  unmappedPaths: 'error' | 'same_path';
  archivelog: { destDir: string; pollSeconds: number; localDestId: number | 'auto' };
  standbyControlfile: { localPath: string; drPath: string };
  backup: {
    parallel: number;
    excludeTablespaces: string[];
    coreTablespaces: string[];
    batchMaxFiles: number;
    batchMaxBytes: number;
  };
  rsync: { path: string; extraOptions: string[]; bwlimitKBps: number; timeoutSeconds: number; retries: number };
  tmux: { session: string; socketName?: string };
  dirs: { log: string; state: string };
}

// ---- schema (YAML names) -------------------------------------------------------------

const str = z.string().min(1);
const absPath = str.superRefine((v, ctx) => {
  if (!v.startsWith('/')) ctx.addIssue({ code: 'custom', message: `must be an absolute path (found ${JSON.stringify(v)})` });
});
/** A program: a name looked up in PATH, or an absolute path. */
const program = str.superRefine((v, ctx) => {
  if (v.includes('/') && !v.startsWith('/'))
    ctx.addIssue({ code: 'custom', message: `must be a program name or an absolute path (found ${JSON.stringify(v)})` });
});
/** A tablespace name pattern (* any run, ? one character; matched by lib/match.ts). */
const pattern = str.superRefine((v, ctx) => {
  if (/[\x00-\x1f]/.test(v)) ctx.addIssue({ code: 'custom', message: `must be a tablespace name or pattern without control characters (found ${JSON.stringify(v)})` });
});

const connectSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('sqlplus') }).strict(),
  z
    .object({
      method: z.literal('oracledb'),
      user: str,
      connect_string: str.superRefine((v, ctx) => {
        if (/^[^@/\s]+\/[^@]*@/.test(v))
          ctx.addIssue({ code: 'custom', message: 'must not contain a password (user/password@...); use password_env or password_file' });
      }),
      privilege: z.enum(['SYSDBA', 'SYSBACKUP', 'NONE']).default('SYSDBA'),
      password_env: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable')
        .optional(),
      password_file: absPath.optional(),
    })
    .strict(),
]);

const destinationSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('ssh'),
      host: str.regex(/^[^\s@/]+$/, 'must be a host name or address, without user@ or spaces'),
      user: str.regex(/^[^\s@:/]+$/, 'must be a user name'),
      port: z.number().int().min(1).max(65535).default(22),
      identity_file: absPath.optional(),
      known_hosts_file: absPath.optional(),
      ssh_config_file: absPath.optional(),
      cipher: str.regex(/^[A-Za-z0-9@._,+-]+$/, 'must be an ssh cipher name such as aes128-gcm@openssh.com').optional(),
      control_master: z.boolean().default(true),
      extra_ssh_options: z.array(str).default([]),
    })
    .strict(),
  z.object({ type: z.literal('local') }).strict(),
]);

const schema = z
  .object({
    oracle: z
      .object({
        sid: str.regex(/^[A-Za-z][A-Za-z0-9_$#]{0,29}$/, 'must be an ORACLE_SID: a letter, then letters, digits, _ $ #'),
        home: absPath.optional(),
        sqlplus: program.default('sqlplus'),
        connect: connectSchema.default({ method: 'sqlplus' }),
        nls_lang: str.optional(),
      })
      .strict(),
    destination: destinationSchema,
    path_map: z.unknown(), // checked by parsePathMap: it accepts two shapes
    unmapped_paths: z.enum(['error', 'same_path']).default('error'),
    archivelog: z
      .object({
        dest_dir: absPath,
        poll_seconds: z.number().gt(0).max(3600).default(2),
        local_dest_id: z
          .custom<number | 'auto'>((v) => v === 'auto' || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 31), {
            message: 'must be auto or a destination number from 1 to 31',
          })
          .default('auto'),
      })
      .strict(),
    standby_controlfile: z.object({ local_path: absPath.optional(), dr_path: absPath }).strict(),
    backup: z
      .object({
        parallel: z.number().int().min(1).max(32).default(4),
        exclude_tablespaces: z.array(pattern).default(['TEMP*']),
        core_tablespaces: z.array(pattern).default(['SYSTEM', 'SYSAUX', 'UNDO*']),
        batch_max_files: z.number().int().min(1).default(256),
        batch_max_bytes: z.union([z.number(), z.string()]).default('8G'),
      })
      .strict()
      .default({}),
    rsync: z
      .object({
        path: program.default('rsync'),
        extra_options: z.array(z.string()).default([]),
        bwlimit_kbps: z.number().int().min(0).default(0),
        timeout_seconds: z.number().int().min(0).default(600),
        retries: z.number().int().min(0).max(100).default(3),
      })
      .strict()
      .default({}),
    tmux: z
      .object({
        session: str.regex(/^[^:.\s]+$/, 'must not contain ":", "." or spaces (tmux target syntax)').optional(),
        socket_name: str.regex(/^[A-Za-z0-9_.-]+$/, 'must be a plain name (letters, digits, _ . -)').optional(),
      })
      .strict()
      .default({}),
    dirs: z.object({ log: str.default('log'), state: str.default('state') }).strict().default({}),
  })
  .strict();

// ---- messages ------------------------------------------------------------------------

const kind: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

function describe(v: unknown): string {
  if (v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

function valueAt(raw: unknown, p: (string | number)[]): unknown {
  let v: unknown = raw;
  for (const k of p) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

const errorMap: z.ZodErrorMap = (issue, ctx) => {
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

// ---- validation ----------------------------------------------------------------------

const PASSWORD_KEY = /^(password|passwd|pwd)$/i;

/** Copies raw without null values (an empty YAML value means "not set") and finds password keys. */
function clean(v: unknown, at: (string | number)[], problems: string[]): unknown {
  if (Array.isArray(v)) return v.map((x, i) => clean(x, [...at, i], problems));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (PASSWORD_KEY.test(k)) {
      problems.push(
        `${keyPath([...at, k])}: a password must never be written in this file; use password_env (the name of an environment variable) or password_file (a file of mode 0600)`,
      );
      continue;
    }
    if (x !== null) out[k] = clean(x, [...at, k], problems);
  }
  return out;
}

/** Fills discriminators that have a natural default, so their absence is not an error. */
function withDefaults(v: Record<string, unknown>): Record<string, unknown> {
  const out = { ...v };
  const dest = out.destination;
  if (dest && typeof dest === 'object' && !Array.isArray(dest) && !('type' in dest)) out.destination = { type: 'ssh', ...dest };
  const ora = out.oracle;
  if (ora && typeof ora === 'object' && !Array.isArray(ora)) {
    const c = (ora as Record<string, unknown>).connect;
    if (c && typeof c === 'object' && !Array.isArray(c) && !('method' in c))
      out.oracle = { ...ora, connect: { method: 'sqlplus', ...c } };
  }
  return out;
}

/**
 * Checks a parsed YAML document and returns the configuration; throws ConfigError listing
 * every problem. Pure: reads no file (loadConfig adds the checks that need the disk).
 */
export function validateConfig(raw: unknown, source: string, projectRoot: string): DrConfig {
  const { config, problems } = check(raw, source, projectRoot);
  if (problems.length) throw new ConfigError(source, problems);
  return config!;
}

function check(
  raw: unknown,
  source: string,
  projectRoot: string,
  disk = false,
): { config?: DrConfig; problems: string[] } {
  const problems: string[] = [];
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return { problems: [`(top level): must be a mapping of keys (found ${describe(raw)})`] };
  const data = withDefaults(clean(raw, [], problems) as Record<string, unknown>);

  const rules = data.path_map === undefined ? [] : parsePathMap(data.path_map, 'path_map', problems);
  const parsed = schema.safeParse(data, { errorMap });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) problems.push(`${keyPath([...issue.path, k])}: ${unknownKeyMessage(data, issue.path, k)}`);
      } else {
        problems.push(`${keyPath(issue.path)}: ${issue.message}`);
      }
    }
  }
  // Checks on values that passed their type check.
  const extra = valueAt(data, ['rsync', 'extra_options']);
  if (Array.isArray(extra)) checkRsyncOptions(extra, problems);
  if (valueAt(data, ['oracle', 'connect', 'method']) === 'oracledb') {
    const env = valueAt(data, ['oracle', 'connect', 'password_env']);
    const file = valueAt(data, ['oracle', 'connect', 'password_file']);
    if ((env === undefined) === (file === undefined))
      problems.push(
        `oracle.connect: set exactly one of password_env and password_file with method: oracledb (${env === undefined ? 'neither is' : 'both are'} set)`,
      );
  }
  const bytes = valueAt(data, ['backup', 'batch_max_bytes']);
  let batchMaxBytes = 8 * 1024 ** 3;
  if (bytes !== undefined) {
    const n = parseSize(bytes);
    if (n === undefined) problems.push(`backup.batch_max_bytes: must be a size such as 8G, 512M or a number of bytes (found ${describe(bytes)})`);
    else batchMaxBytes = n;
  }
  if (disk) problems.push(...diskProblems(data));
  sortBySection(problems);
  if (problems.length || !parsed.success) return { problems };

  const y = parsed.data;
  const root = path.resolve(projectRoot);
  const dir = (p: string) => path.resolve(root, p);
  const sid = y.oracle.sid;
  const stateDir = dir(y.dirs.state);
  const c = y.oracle.connect;
  const d = y.destination;
  const config: DrConfig = {
    source: path.resolve(source),
    projectRoot: root,
    oracle: {
      sid,
      ...(y.oracle.home !== undefined && { home: normalizePath(y.oracle.home) }),
      sqlplus: y.oracle.sqlplus,
      connect:
        c.method === 'sqlplus'
          ? { method: 'sqlplus' }
          : {
              method: 'oracledb',
              user: c.user,
              connectString: c.connect_string,
              privilege: c.privilege,
              ...(c.password_env !== undefined && { passwordEnv: c.password_env }),
              ...(c.password_file !== undefined && { passwordFile: normalizePath(c.password_file) }),
            },
      ...(y.oracle.nls_lang !== undefined && { nlsLang: y.oracle.nls_lang }),
    },
    destination:
      d.type === 'local'
        ? { type: 'local' }
        : {
            type: 'ssh',
            host: d.host,
            user: d.user,
            port: d.port,
            ...(d.identity_file !== undefined && { identityFile: normalizePath(d.identity_file) }),
            ...(d.known_hosts_file !== undefined && { knownHostsFile: normalizePath(d.known_hosts_file) }),
            ...(d.ssh_config_file !== undefined && { sshConfigFile: normalizePath(d.ssh_config_file) }),
            ...(d.cipher !== undefined && { cipher: d.cipher }),
            controlMaster: d.control_master,
            extraSshOptions: d.extra_ssh_options,
          },
    pathMap: rules,
    unmappedPaths: y.unmapped_paths,
    archivelog: {
      destDir: normalizePath(y.archivelog.dest_dir),
      pollSeconds: y.archivelog.poll_seconds,
      localDestId: y.archivelog.local_dest_id,
    },
    standbyControlfile: {
      localPath: normalizePath(y.standby_controlfile.local_path ?? path.join(stateDir, `standby_${sid}.ctl`)),
      drPath: normalizePath(y.standby_controlfile.dr_path),
    },
    backup: {
      parallel: y.backup.parallel,
      excludeTablespaces: y.backup.exclude_tablespaces,
      coreTablespaces: y.backup.core_tablespaces,
      batchMaxFiles: y.backup.batch_max_files,
      batchMaxBytes,
    },
    rsync: {
      path: y.rsync.path,
      extraOptions: y.rsync.extra_options,
      bwlimitKBps: y.rsync.bwlimit_kbps,
      timeoutSeconds: y.rsync.timeout_seconds,
      retries: y.rsync.retries,
    },
    tmux: {
      session: y.tmux.session ?? `DR_${sid.toUpperCase()}`,
      ...(y.tmux.socket_name !== undefined && { socketName: y.tmux.socket_name }),
    },
    dirs: { log: dir(y.dirs.log), state: stateDir },
  };
  return { config, problems };
}

/** Problems in the order of the sections in the file (stable within a section). */
function sortBySection(problems: string[]): void {
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

// Options that would make rsync keep stale data on DR or delete files. Values: why.
const STALE = 'it skips or only appends to a destination file of the same size, silently keeping a stale datafile from an earlier run';
const FORBIDDEN_RSYNC: [RegExp, string][] = [
  [/^--append(-verify)?(=|$)/, STALE],
  [/^--size-only$/, STALE],
  [/^--ignore-existing$/, 'it skips datafiles already on DR, silently keeping stale copies'],
  [/^--update$/, 'it skips datafiles whose DR copy looks newer, silently keeping stale copies'],
  [/^--del(ete[a-z-]*)?(=|$)/, 'deleting files on DR is never this tool\'s decision'],
  [/^--remove-source-files$/, 'it would delete production files'],
  [/^(--rsh|--rsync-path)(=|$)/, 'the ssh command is built from the destination keys'],
  [/^(--inplace|--partial|--partial-dir(=.*)?)$/, 'archived logs and the standby controlfile must reach DR whole or not at all (temp name + rename); datafiles already use --inplace'],
];

/** Problems with rsync.extra_options (each item is one argv element). */
export function checkRsyncOptions(options: unknown[], problems: string[]): void {
  options.forEach((o, i) => {
    if (typeof o !== 'string') return; // the type error is reported by the schema
    const key = `rsync.extra_options[${i}]`;
    for (const [re, why] of FORBIDDEN_RSYNC) if (re.test(o)) return void problems.push(`${key}: ${o} is not allowed: ${why}`);
    // short option clusters, e.g. -avu: letters up to the first one that takes an argument
    const m = /^-([A-Za-z]+)$/.exec(o);
    if (m) {
      const flags = m[1].split(/[eBTMf]/)[0];
      if (flags.includes('u')) problems.push(`${key}: ${o} is not allowed: -u (--update) skips datafiles whose DR copy looks newer, silently keeping stale copies`);
      if (flags.includes('P')) problems.push(`${key}: ${o} is not allowed: -P (--partial) could leave an incomplete archived log under its final name on DR`);
      if (m[1][flags.length] === 'e') problems.push(`${key}: ${o} is not allowed: the ssh command is built from the destination keys`);
    }
  });
}

/** 8G, 512M, 1.5T, 4096 → bytes (binary units); undefined when not a size. */
export function parseSize(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Math.floor(Number(m[1]) * 1024 ** ' KMGT'.indexOf(m[2].toUpperCase() || ' '));
  return n > 0 ? n : undefined;
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

function unknownKeyMessage(data: unknown, at: (string | number)[], key: string): string {
  const allowed = allowedKeys(data, at);
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const best = allowed
    .map((k) => ({ k, d: norm(k) === norm(key) ? 0 : distance(key.toLowerCase(), k) }))
    .sort((a, b) => a.d - b.d)[0];
  if (best && best.d <= Math.max(2, Math.floor(key.length / 4))) return `unknown key (did you mean ${best.k}?)`;
  return allowed.length ? `unknown key (allowed here: ${allowed.join(', ')})` : 'unknown key';
}

// ---- loading -------------------------------------------------------------------------

/** Checks that need the disk: the password file exists, is a regular file and is private. */
function diskProblems(data: unknown): string[] {
  const file = valueAt(data, ['oracle', 'connect', 'password_file']);
  if (valueAt(data, ['oracle', 'connect', 'method']) !== 'oracledb' || typeof file !== 'string' || !file.startsWith('/')) return [];
  const key = 'oracle.connect.password_file';
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return [`${key}: ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`}`];
  }
  if (!st.isFile()) return [`${key}: ${file} is not a regular file`];
  const mode = st.mode & 0o777;
  if (mode & 0o077) return [`${key}: ${file} has mode 0${mode.toString(8)}; it must be 0600 or stricter (chmod 600 ${file})`];
  return [];
}

/** Which file: --config, then DR_CONFIG, then <projectRoot>/etc/dr.yaml. */
export function configPathFor(opts: { configPath?: string; env?: NodeJS.ProcessEnv; projectRoot: string }): {
  file: string;
  from: string;
} {
  const env = opts.env ?? process.env;
  if (opts.configPath) return { file: path.resolve(opts.configPath), from: '--config' };
  if (env.DR_CONFIG) return { file: path.resolve(env.DR_CONFIG), from: 'DR_CONFIG' };
  return { file: path.join(path.resolve(opts.projectRoot), 'etc', 'dr.yaml'), from: 'default' };
}

export function loadConfig(opts: { configPath?: string; env?: NodeJS.ProcessEnv; projectRoot: string }): DrConfig {
  const { file, from } = configPathFor(opts);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const example = path.join(path.resolve(opts.projectRoot), 'etc', 'dr.example.yaml');
    if (code === 'ENOENT')
      throw new DrError(`configuration file ${file} does not exist${from === 'default' ? '' : ` (given by ${from})`}`, {
        hint: `copy ${example} to ${from === 'default' ? file : 'etc/dr.yaml'} and edit it, or name another file with --config FILE or DR_CONFIG`,
        exitCode: ExitCode.CONFIG,
      });
    throw new DrError(`unable to read configuration file ${file}: ${code ?? (e as Error).message}`, {
      hint: 'check the file permissions',
      exitCode: ExitCode.CONFIG,
      cause: e,
    });
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    throw new ConfigError(
      file,
      doc.errors.map((err) => {
        const pos = err.linePos?.[0];
        const msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        const lc = msg.charAt(0).toLowerCase() + msg.slice(1);
        return pos ? `line ${pos.line}, column ${pos.col}: ${lc}` : lc;
      }),
    );
  }
  const { config, problems } = check(doc.toJS(), file, opts.projectRoot, true);
  if (problems.length) throw new ConfigError(file, problems);
  return config!;
}
