// Finding and reading the configuration file, and the checks that need the disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { ConfigError, DrError, ExitCode } from '../errors.ts';
import { alertDiskProblems } from './alerts.ts';
import { valueAt } from './messages.ts';
import type { DrConfig } from './types.ts';
import { check } from './validate.ts';

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
  const { config, problems } = check(doc.toJS(), file, opts.projectRoot, (data) => [...diskProblems(data), ...alertDiskProblems(data)]);
  if (problems.length) throw new ConfigError(file, problems);
  return config!;
}
