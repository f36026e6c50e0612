// Plain-text logs, as the bash original kept them: one file per tool, one per tablespace
// (child loggers), and one consolidated errors file every error also goes to.
//   file:        2026-11-21 23:40:00 [INFO] message
//   errors file: 2026-11-21 23:40:00 [hot_backup_ts] message
// Every line of a multi-line message carries the prefix. Files never contain ANSI colour;
// the console gets colour only when asked (by default when stdout is a TTY). Each line is
// appended synchronously with O_APPEND, so what was logged survives a kill -9.
// Rotation (etc/logrotate/dr-suite): every line opens its file by name, so after logrotate
// renames a file the next line creates a new one (0600); nothing is written to a renamed or
// deleted inode, and there is nothing to signal or reopen. A file that cannot be written
// (disk full, a rotation that created one the tool may not write) never stops a tool: its
// lines go to stderr (the tmux pane, the journal) until it can be written again.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chalk } from 'chalk';
import { ensureDir } from './state.ts';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** The log file this logger writes. */
  file: string;
  /** Same console and errors file, another log file (e.g. log/ts_USERS.log). */
  child(file: string, opts?: { console?: boolean }): Logger;
}

export interface LoggerOptions {
  file: string;
  errorsFile: string;
  tool: string;
  /** Echo to stdout (info) / stderr (warn, error). Default false. */
  console?: boolean;
  /** Colour on the console. Default: process.stdout.isTTY. */
  color?: boolean;
  /** Clock, for tests. */
  now?: () => Date;
}

type Level = 'INFO' | 'WARN' | 'ERROR';

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as `YYYY-MM-DD HH:MM:SS`. */
export function formatTimestamp(d: Date): string {
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

// CSI and OSC sequences, and any other lone ESC: colour from a child's output must not
// reach a file.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b/g;
export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

/** `prefix` before every line of `msg`; the result ends with a newline. */
export function prefixLines(prefix: string, msg: string): string {
  const lines = stripAnsi(msg).replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  return lines.map((l) => `${prefix} ${l}`.trimEnd()).join('\n') + '\n';
}

/**
 * Appends text; a file this creates gets mode 0600 whatever the umask. A file renamed away
 * between the attempt to create it and the open for append (logrotate at that instant) is
 * simply created again: the text goes to the new file.
 */
export function appendPrivate(file: string, text: string): void {
  for (let attempt = 1; ; attempt++) {
    let fd: number;
    let created = false;
    try {
      fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
      created = true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && attempt < 5) {
        ensureDir(path.dirname(file));
        continue;
      }
      if (code !== 'EEXIST') throw e;
      try {
        fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND);
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 5) continue; // renamed away meanwhile
        throw e2;
      }
    }
    try {
      if (created) fs.fchmodSync(fd, 0o600);
      fs.writeSync(fd, text);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
}

const unwritable = new Set<string>();

/**
 * Appends log text to `file` (appendPrivate); when that fails, writes it to stderr instead
 * (unless `shown`: it is on the console already), with one notice per file until a write
 * succeeds again. Logging must never stop a tool, least of all with tablespaces in backup mode.
 */
export function appendLog(file: string, text: string, tool: string, shown = false): void {
  try {
    appendPrivate(file, text);
    unwritable.delete(file);
  } catch (e) {
    if (!unwritable.has(file)) {
      unwritable.add(file);
      const why = ((e as Error).message ?? String(e)).split(',')[0];
      process.stderr.write(
        `${tool}: cannot write ${file}: ${why}; its lines go to stderr until it can be written again\n` +
          `HINT: free space in ${path.dirname(file)} or fix its permissions (a log rotation must not create files the tool cannot write: etc/logrotate/dr-suite)\n`,
      );
    }
    if (!shown) process.stderr.write(text);
  }
}

interface Shared {
  errorsFile: string;
  tool: string;
  color: boolean;
  now: () => Date;
}

function make(file: string, consoleOn: boolean, shared: Shared): Logger {
  const paint = new Chalk({ level: shared.color ? 1 : 0 });
  const write = (level: Level, msg: string) => {
    const ts = formatTimestamp(shared.now());
    const line = prefixLines(`${ts} [${level}]`, msg);
    appendLog(file, line, shared.tool, consoleOn);
    if (level === 'ERROR') appendLog(shared.errorsFile, prefixLines(`${ts} [${shared.tool}]`, msg), shared.tool, consoleOn);
    if (consoleOn) {
      if (level === 'INFO') process.stdout.write(line);
      else process.stderr.write((level === 'WARN' ? paint.yellow : paint.red)(line.trimEnd()) + '\n');
    }
  };
  return {
    file,
    info: (msg) => write('INFO', msg),
    warn: (msg) => write('WARN', msg),
    error: (msg) => write('ERROR', msg),
    child: (childFile, opts) => make(path.resolve(childFile), opts?.console ?? consoleOn, shared),
  };
}

export function createLogger(opts: LoggerOptions): Logger {
  return make(path.resolve(opts.file), opts.console ?? false, {
    errorsFile: path.resolve(opts.errorsFile),
    tool: opts.tool,
    color: opts.color ?? process.stdout.isTTY === true,
    now: opts.now ?? (() => new Date()),
  });
}
