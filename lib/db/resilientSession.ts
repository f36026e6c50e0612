// A database session that replaces itself: when the current one can no longer be used (ended,
// timed out, not connected), the next statement opens a new one (and says so); a statement
// that certainly did not run on the lost session is sent once more on the new one. A statement
// that may have run (a timeout, a connection cut mid-call) is never repeated here: the caller
// decides (hot_backup_ts ends or takes over the window, copy_archivelog retries at its next pass).
import { OracleError } from '../errors.ts';
import type { DbConnection } from './connection.ts';
import { SessionLostError } from './errors.ts';

export interface ResilientSessionOptions {
  /** ORACLE_SID, for messages. */
  sid: string;
  /** Told each time a new session replaces one that could not be used any more. */
  onReconnect?: (description: string) => void;
}

export class ResilientSession {
  private conn: DbConnection | undefined;
  private opening: Promise<DbConnection> | undefined;

  constructor(
    private readonly connect: () => Promise<DbConnection>,
    private readonly opts: ResilientSessionOptions,
  ) {}

  /** Opens the first session (its failure is the caller's: sqlplus missing, ...). */
  async start(): Promise<void> {
    this.conn = await this.connect();
  }

  get description(): string {
    return this.conn?.description ?? `ORACLE_SID=${this.opts.sid}`;
  }

  /** What glogin.sql/login.sql printed when the current session started. */
  get profileOutput(): string[] {
    return this.conn?.profileOutput ?? [];
  }

  async close(): Promise<void> {
    const c = this.conn;
    this.conn = undefined;
    await c?.close();
  }

  private session(): Promise<DbConnection> {
    if (this.conn?.usable) return Promise.resolve(this.conn);
    this.opening ??= (async () => {
      const old = this.conn;
      this.conn = undefined;
      await old?.close().catch(() => undefined);
      const c = await this.connect();
      this.conn = c;
      if (old) this.opts.onReconnect?.(c.description);
      return c;
    })().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private instanceDown(err: unknown): unknown {
    if (err instanceof OracleError && err.codes.includes(1034)) {
      return new OracleError(`instance ${this.opts.sid} is not available`, err.oraLines, `start the database (ORACLE_SID=${this.opts.sid}) or fix oracle.sid in the configuration`);
    }
    return err;
  }

  /** Runs fn on a usable session; once more on a new session when the statement was certainly not run. */
  async run<T>(fn: (c: DbConnection) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.session());
    } catch (err) {
      if (!(err instanceof SessionLostError && err.notSent)) throw this.instanceDown(err);
    }
    try {
      return await fn(await this.session());
    } catch (err) {
      if (err instanceof SessionLostError && err.notSent && err.codes.length === 0) {
        throw new SessionLostError(`${err.message}, also after connecting again`, err.oraLines, err.hint ?? '', true);
      }
      throw this.instanceDown(err);
    }
  }
}
