// A stand-in for tmux 2.7 (Oracle Linux / RHEL 8) first on PATH, for the compat e2e test.
// It parses the client flags and every command (split at ';' as cmd_list_parse() does) with
// tmux 2.7's own templates (tmuxCommands.ts), and refuses what 2.7 refuses with 2.7's
// output: the client's getopt complaint ("tmux: unknown option -- e", compat/getopt.c),
// then the server's "usage: CMD USAGE" (cmd_parse() in cmd.c) or, when no server runs (a command
// that could not be parsed does not start one), "error connecting to PATH (...)" (client.c). -V prints
// "tmux 2.7". Every invocation is logged (one JSON line). Otherwise the real tmux runs.
// Started by a launcher script: node oldTmux.js LOGFILE REAL_TMUX -- ARGS...
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TMUX_CLIENT_FLAGS, TMUX_CLIENT_USAGE, TMUX_COMMANDS, TMUX_VERSION, type TmuxCommand } from './tmuxCommands.ts';

const [logFile, real, sep, ...args] = process.argv.slice(2);
if (sep !== '--') throw new Error('usage: oldTmux LOGFILE REAL -- ARGS');

function log(entry: Record<string, unknown>): void {
  fs.appendFileSync(logFile, JSON.stringify({ pid: process.pid, version: TMUX_VERSION, argv: args, ...entry }) + '\n');
}

/** BSD getopt (tmux's compat/getopt.c): stops at the first non-option or `--`. */
function getopt(argv: string[], template: string): { flags: Map<string, string | true>; rest: string[]; error?: string } {
  const flags = new Map<string, string | true>();
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const at = c === ':' ? -1 : template.indexOf(c);
      if (at < 0) return { flags, rest: [], error: `tmux: unknown option -- ${c}` };
      if (template[at + 1] === ':') {
        if (j < a.length - 1) flags.set(c, a.slice(j + 1));
        else if (i + 1 < argv.length) flags.set(c, argv[++i]);
        else return { flags, rest: [], error: `tmux: option requires an argument -- ${c}` };
        break;
      }
      flags.set(c, true);
    }
  }
  return { flags, rest: argv.slice(i) };
}

/** cmd_list_parse(): an argument that is ';' or ends in an unescaped ';' ends a command. */
function splitCommands(argv: string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const a of argv) {
    if (a.endsWith(';') && !a.endsWith('\\;')) {
      const head = a.slice(0, -1);
      if (head) cur.push(head);
      out.push(cur);
      cur = [];
    } else cur.push(a.endsWith('\\;') ? a.slice(0, -2) + ';' : a);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** cmd_parse(): exact alias, else unique prefix of a name (exact name wins). */
function lookup(name: string): TmuxCommand | string {
  const alias = TMUX_COMMANDS.find((c) => c.alias === name);
  if (alias) return alias;
  const exact = TMUX_COMMANDS.find((c) => c.name === name);
  if (exact) return exact;
  const prefix = TMUX_COMMANDS.filter((c) => c.name.startsWith(name));
  if (prefix.length === 1) return prefix[0];
  if (prefix.length > 1) return `ambiguous command: ${name}, could be: ${prefix.map((c) => c.name).join(', ')}`;
  return `unknown command: ${name}`;
}

/** What the 2.7 client says when it cannot reach a server it may not start (client.c), or undefined when one runs. */
function noServer(socketPath: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    s.once('connect', () => {
      s.destroy();
      resolve(undefined);
    });
    s.once('error', (e: NodeJS.ErrnoException) =>
      resolve(e.code === 'ECONNREFUSED' ? `no server running on ${socketPath}` : `error connecting to ${socketPath} (${e.code === 'ENOENT' ? 'No such file or directory' : e.message})`),
    );
  });
}

async function main(): Promise<void> {
  const client = getopt(args, TMUX_CLIENT_FLAGS);
  if (client.error) {
    log({ refused: client.error });
    process.stderr.write(`${client.error}\n${TMUX_CLIENT_USAGE}`);
    process.exit(1);
  }
  if (client.flags.has('V')) {
    log({});
    process.stdout.write(`tmux ${TMUX_VERSION}\n`);
    return;
  }
  const socketPath = (client.flags.get('S') as string | undefined) ?? path.join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid!()}`, (client.flags.get('L') as string | undefined) ?? 'default');
  for (const cmd of splitCommands(client.rest)) {
    if (cmd.length === 0) continue;
    const entry = lookup(cmd[0]);
    let error: string | undefined;
    let getoptMessage: string | undefined;
    if (typeof entry === 'string') error = entry;
    else {
      const p = getopt(cmd.slice(1), entry.template);
      getoptMessage = p.error;
      const n = p.rest.length;
      if (p.error || n < entry.lower || (entry.upper !== -1 && n > entry.upper)) error = `usage: ${entry.name} ${entry.usage}`;
    }
    if (error) {
      log({ refused: error });
      // The client parses first (and getopt complains on its stderr); the command then goes
      // to the server, which answers with the usage line, unless no server runs.
      if (getoptMessage) process.stderr.write(`${getoptMessage}\n`);
      process.stderr.write(`${(await noServer(socketPath)) ?? error}\n`);
      process.exit(1);
    }
  }
  log({});
  const child = spawn(real, args, { stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    process.exit(code ?? 1);
  });
}

main().catch((e) => {
  process.stderr.write(`old tmux wrapper: ${(e as Error).message}\n`);
  process.exit(1);
});
