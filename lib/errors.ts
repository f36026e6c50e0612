// Typed errors with stable exit codes. Messages read like pgBackRest's: a lowercase
// sentence saying what failed, then a HINT line saying what the operator should do.

export const ExitCode = {
  OK: 0,
  FAILURE: 1, // generic / unexpected
  USAGE: 2, // bad command line
  CONFIG: 3, // invalid configuration
  LOCKED: 4, // another run holds the lock
  ORACLE: 5, // sqlplus / ORA- / SP2- error
  TRANSFER: 6, // rsync / ssh failed for at least one file
  GAP: 7, // archived-log gap: the standby cannot recover past it
  PRECONDITION: 8, // database not in a state we may work on (NOARCHIVELOG, no cutoff, ...)
  INTERRUPTED: 130, // SIGINT/SIGTERM/SIGHUP; backup mode was ended before exit
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class DrError extends Error {
  readonly hint?: string;
  readonly exitCode: number;
  constructor(message: string, opts: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? ExitCode.FAILURE;
  }
}

export class UsageError extends DrError {
  constructor(message: string, hint = 'run with --help to see the options') {
    super(message, { hint, exitCode: ExitCode.USAGE });
  }
}

/** Every problem found in a configuration, each prefixed with the YAML key that caused it. */
export class ConfigError extends DrError {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(
      `invalid configuration in ${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
      { hint: `fix the keys above in ${source}; etc/dr.example.yaml documents every key`, exitCode: ExitCode.CONFIG },
    );
    this.problems = problems;
  }
}

export class LockError extends DrError {
  constructor(message: string, hint: string) {
    super(message, { hint, exitCode: ExitCode.LOCKED });
  }
}

/** sqlplus printed ORA-/SP2- lines, or exited non-zero. `oraLines` keeps them verbatim. */
export class OracleError extends DrError {
  readonly oraLines: string[];
  constructor(message: string, oraLines: string[], hint?: string) {
    super(message + (oraLines.length ? '\n' + oraLines.map((l) => `  ${l}`).join('\n') : ''), {
      hint,
      exitCode: ExitCode.ORACLE,
    });
    this.oraLines = oraLines;
  }
  /** ORA error numbers found, e.g. [1146, 1110]. */
  get codes(): number[] {
    return this.oraLines.flatMap((l) => {
      const m = /^ORA-(\d{5})/.exec(l);
      return m ? [Number(m[1])] : [];
    });
  }
}

export class TransferError extends DrError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: ExitCode.TRANSFER });
  }
}

export class GapError extends DrError {
  constructor(message: string, hint: string) {
    super(message, { hint, exitCode: ExitCode.GAP });
  }
}

export class PreconditionError extends DrError {
  constructor(message: string, hint: string) {
    super(message, { hint, exitCode: ExitCode.PRECONDITION });
  }
}

export class InterruptedError extends DrError {
  constructor(signal: string, notEnded: string[] = []) {
    super(`interrupted by ${signal}`, {
      hint: notEnded.length
        ? `END BACKUP failed for ${notEnded.join(', ')}: end backup mode by hand (ALTER TABLESPACE ... END BACKUP), then re-run the same command`
        : 're-run the same command: completed tablespaces are kept and backup mode was ended',
      exitCode: ExitCode.INTERRUPTED,
    });
  }
}

/** The text an operator sees: message, then `HINT: …` when there is one. */
export function formatError(err: unknown): string {
  if (err instanceof DrError) return err.hint ? `${err.message}\nHINT: ${err.hint}` : err.message;
  if (err instanceof Error) return `unexpected error: ${err.message}\nHINT: this is a defect; please report it with the log file`;
  return `unexpected error: ${String(err)}`;
}

export function exitCodeOf(err: unknown): number {
  return err instanceof DrError ? err.exitCode : ExitCode.FAILURE;
}
