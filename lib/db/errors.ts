// The two ways a session fails that are not an answer from the database: a statement that does
// not finish in time, and a session that lost (or never had) its connection.
import { OracleError } from '../errors.ts';
import type { StatementOptions } from './connection.ts';

/** A statement did not finish within oracle.statement_timeout_seconds; its session was ended. */
export class StatementTimeoutError extends OracleError {
  constructor(sql: string, seconds: number, session: string, o: StatementOptions = {}) {
    super(
      `${o.what ?? sql} did not finish within ${seconds} s on ${session}${o.why ? `: ${o.why}` : ''}; the sqlplus session was ended` +
        (o.changesDatabase ? ' (the statement may still complete in the database)' : ''),
      [],
      o.hint ??
        'check the instance (alert log, what the session waited for in V$SESSION_WAIT); raise oracle.statement_timeout_seconds if the statement is only slow',
    );
  }
}

/**
 * The session cannot run statements: not connected (SP2-0640, ORA-03114, ORA-01012), talking
 * to an idle instance (ORA-01034), or cut off (ORA-03113 ...). `notSent`: the statement
 * certainly did not run, so it may be sent again on a new session.
 */
export class SessionLostError extends OracleError {
  constructor(
    message: string,
    oraLines: string[],
    hint: string,
    readonly notSent: boolean,
  ) {
    super(message, oraLines, hint);
  }
}

/** ORA codes after which a session is of no further use. */
export const LOST_SESSION_CODES = new Set([1012, 1034, 1089, 1092, 3113, 3114, 3135]);
/** ... and among them, those that mean the statement was not executed. */
export const NOT_SENT_CODES = new Set([1012, 1034, 3114]);
