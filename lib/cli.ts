// What every bin/ entry point shares: flags (node:util parseArgs), --config / DR_CONFIG,
// signals turned into an AbortSignal (so backup mode is ended before exit), and errors
// turned into `message` + `HINT:` on stderr with a stable exit code. Only bin/ exits.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { configDirectoryFor, configFilesIn } from './config/directory.ts';
import { loadConfig, type DrConfig } from './config/index.ts';
import { formatError, exitCodeOf, UsageError } from './errors.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface CliSpec {
  tool: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /**
   * Called with an error that ends the tool (after it is printed on stderr) and the argv; may
   * print and return another exit code (status --check: a usage error is UNKNOWN, 3).
   */
  onError?: (err: unknown, argv: string[]) => number | undefined;
}

export type Values = Record<string, string | boolean | undefined>;

export function parseCli(spec: CliSpec, argv: string[]): { values: Values; help: boolean } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { ...spec.options, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    });
    return { values: values as Values, help: Boolean(values.help) };
  } catch (err) {
    // node's messages start with a capital ("Unknown option '--x'"); ours are lowercase sentences
    const msg = (err as Error).message.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase()).replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(msg, `usage: ${spec.usage}`);
  }
}

export function configFrom(values: Values): DrConfig {
  return loadConfig({ configPath: values.config as string | undefined, env: process.env, projectRoot: PROJECT_ROOT });
}

/** --all: every configuration file of the directory of --config (or --config DIR, DR_CONFIG, etc/), read again at each call. */
export function allConfigFiles(values: Values): string[] {
  return configFilesIn(configDirectoryFor({ configPath: values.config as string | undefined, env: process.env, projectRoot: PROJECT_ROOT }));
}

/** One of the files of allConfigFiles. */
export function configFile(file: string): DrConfig {
  return loadConfig({ configPath: file, env: process.env, projectRoot: PROJECT_ROOT });
}

/**
 * What is still keeping the event loop alive once a tool is done (DR_DEBUG_HANDLES=1):
 * the bins exit explicitly after cleanup, and this names what would otherwise have held them.
 */
export function describeActiveHandles(): string {
  const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
  return handles
    .map((h) => {
      const name = h.constructor?.name ?? typeof h;
      const extra = (h as { pid?: number; spawnfile?: string }).spawnfile ? ` ${(h as { spawnfile: string }).spawnfile} pid ${(h as { pid: number }).pid}` : '';
      return name + extra;
    })
    .join(', ');
}

/** Runs a tool body; returns the exit code (the bin exits with it). */
export async function runTool(spec: CliSpec, body: (values: Values, signal: AbortSignal) => Promise<number | void>): Promise<number> {
  // A closed tmux window takes the terminal with it: writes then fail with EIO/EPIPE. That
  // must not kill the process while it still has backup mode to end (the log file remains).
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const ac = new AbortController();
  let count = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      process.stderr.write(`\n${spec.tool}: ${sig} received: stopping copies and ending backup mode before exit...\n`);
      ac.abort(sig);
    } else {
      process.stderr.write(`${spec.tool}: still ending backup mode, please wait (kill -9 would leave tablespaces in backup mode)\n`);
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  try {
    const { values, help } = parseCli(spec, process.argv.slice(2));
    if (help) {
      process.stdout.write(`usage: ${spec.usage}\n`);
      return 0;
    }
    return (await body(values, ac.signal)) ?? 0;
  } catch (err) {
    process.stderr.write(`${spec.tool}: ${formatError(err)}\n`);
    return spec.onError?.(err, process.argv.slice(2)) ?? exitCodeOf(err);
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}
