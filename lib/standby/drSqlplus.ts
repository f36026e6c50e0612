// One `sqlplus -s -L / as sysdba` call on the standby instance: on the DR host over the
// destination's ssh connection (standby.run_on: dr, the default: one installation on
// production is enough), or on this host (run_on: local, for sites that install on DR).
// OS authentication: no password anywhere. The script goes through stdin, never argv.
import { DrError, ExitCode } from '../errors.ts';
import { run } from '../exec.ts';
import type { DrConfig } from '../config/types.ts';
import { shellQuote, type Remote } from '../remote.ts';

/** Settings at the top of every script: nothing a site glogin.sql set may change how we read the output. */
const PREAMBLE = ['SET DEFINE OFF', 'SET HEADING OFF', 'SET FEEDBACK OFF', 'SET PAGESIZE 0', 'SET LINESIZE 32767', 'SET TRIMOUT ON', 'SET TAB OFF', 'SET TIMING OFF', 'SET ECHO OFF', 'SET VERIFY OFF'];

export class DrSqlplus {
  constructor(
    private readonly config: DrConfig,
    private readonly remote: Remote,
  ) {}

  describe(): string {
    const where = this.config.standby.runOn === 'dr' && !this.remote.isLocal ? `on ${this.remote.target} (port ${this.remote.dest.type === 'ssh' ? this.remote.dest.port : ''})` : 'on this host';
    return `sqlplus / as sysdba ${where} (ORACLE_SID=${this.config.standby.sid})`;
  }

  private argv(): string[] {
    const s = this.config.standby;
    const sqlplus = s.home ? `${s.home}/bin/sqlplus` : 'sqlplus';
    const env = [`ORACLE_SID=${s.sid}`, ...(s.home ? [`ORACLE_HOME=${s.home}`] : [])];
    const cmd = ['env', ...env, sqlplus, '-s', '-L', '/', 'as', 'sysdba'];
    if (s.runOn === 'dr' && !this.remote.isLocal) return ['ssh', ...this.remote.sshOptions(), this.remote.target, '--', cmd.map(shellQuote).join(' ')];
    return cmd;
  }

  /** Runs `lines` (SQL*Plus commands and statements) and returns everything printed. */
  async script(lines: string[]): Promise<string> {
    const input = [...PREAMBLE, ...lines, 'EXIT', ''].join('\n');
    const r = await run(this.argv(), { input, timeoutMs: this.config.standby.statementTimeoutSeconds * 1000 });
    if (r.signal === 'SIGTERM') {
      throw new DrError(`${this.describe()} did not finish within ${this.config.standby.statementTimeoutSeconds} s`, {
        exitCode: ExitCode.ORACLE,
        hint: 'look at the standby alert log on DR; raise standby.statement_timeout_seconds if recovery of many logs takes longer',
      });
    }
    if (r.exitCode === 255 && this.config.standby.runOn === 'dr') {
      throw new DrError(`cannot reach the DR host to run ${this.describe()}: ${r.stderr.trim().split('\n').pop() ?? ''}`, {
        exitCode: ExitCode.TRANSFER,
        hint: 'check that the DR host is up and that ssh works as configured in destination (the shipper uses the same connection)',
      });
    }
    if (/command not found|No such file or directory/.test(r.stderr) && !r.stdout.trim()) {
      throw new DrError(`cannot start ${this.describe()}: ${r.stderr.trim()}`, { exitCode: ExitCode.PRECONDITION, hint: 'set standby.oracle_home (or oracle.home) to the ORACLE_HOME of the standby instance' });
    }
    return r.stdout;
  }
}
