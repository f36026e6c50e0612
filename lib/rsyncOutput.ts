// What rsync prints and what its exit codes mean, as the tools read them. Pure: no processes.
//  - stdout: one --out-format line per file the sender has finished reading (printed after
//    the data because the format holds %b), and --info=progress2 lines (separated by \r);
//  - stderr: errors, and the receiver's "failed verification" warning;
//  - a file whose whole-file checksum fails on the receiver is sent a second time in rsync's
//    phase 2 (receiver.c: MSG_REDO), and its out-format line is printed again: a file named
//    twice was re-read later than its first line said (possibly after END BACKUP).

const FILE_LINE = '@@F|';
/** --out-format value: length of the file, bytes sent, name (relative to the source root). */
export const OUT_FORMAT = `${FILE_LINE}%l|%b|%n`;

export type RsyncLine =
  | { kind: 'file'; name: string; length: number; sent: number }
  | { kind: 'dir' }
  | { kind: 'progress'; bytes: number }
  | { kind: 'verification'; name: string; outcome: string; again: boolean }
  | { kind: 'other'; text: string };

/** One line of rsync's stdout (already split at \r and \n). */
export function parseStdoutLine(line: string): RsyncLine {
  if (line.startsWith(FILE_LINE)) {
    const [len, sent, ...rest] = line.slice(FILE_LINE.length).split('|');
    const name = rest.join('|');
    if (name.endsWith('/')) return { kind: 'dir' }; // an implied directory
    return { kind: 'file', name, length: Number(len), sent: Number(sent) };
  }
  const m = /^\s*([\d,]+)\s+\d+%/.exec(line);
  if (m) return { kind: 'progress', bytes: Number(m[1].replace(/,/g, '')) };
  return { kind: 'other', text: line };
}

/**
 * One line of rsync's stderr. The verification message is the same from 3.1.2 to 3.4
 * (receiver.c: "%s: %s failed verification -- update %s%s."): WARNING with " (will try
 * again)" before the second pass, ERROR when the second pass failed too.
 */
export function parseStderrLine(line: string): RsyncLine {
  const v = /^(?:WARNING|ERROR): (.+) failed verification -- update (retained|discarded|put into partial-dir)( \((?:will|may) try again\))?\.$/.exec(line);
  if (v) return { kind: 'verification', name: v[1], outcome: v[2], again: v[3] !== undefined };
  return { kind: 'other', text: line };
}

/** rsync exit codes worth another try: protocol/stream, partial transfer, vanished, timeouts, ssh failure. */
export function isRetryable(code: number): boolean {
  return [10, 11, 12, 23, 24, 30, 35, 255].includes(code);
}

export function describeExit(code: number): string {
  const known: Record<number, string> = {
    1: 'syntax or usage error',
    3: 'errors selecting input/output files, dirs',
    5: 'error starting client-server protocol',
    10: 'error in socket I/O',
    11: 'error in file I/O',
    12: 'error in rsync protocol data stream',
    20: 'received SIGUSR1 or SIGINT',
    23: 'partial transfer due to error',
    24: 'partial transfer due to vanished source files',
    30: 'timeout in data send/receive',
    35: 'timeout waiting for daemon connection',
    255: 'ssh connection failed',
  };
  return `rsync exit code ${code}${known[code] ? ` (${known[code]})` : ''}`;
}
