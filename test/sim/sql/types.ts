// Interface between the SQL engine (test/sim/sql) and the instance (test/sim/instance).
// See test/sim/CONTRACT.md. Nothing here may be imported by lib/ or bin/.
import type { OraNumber } from './number.ts';

export type ColumnType = 'NUMBER' | 'VARCHAR2' | 'DATE';
export interface ColumnDef {
  name: string;
  type: ColumnType;
  /** Optional declared width (VARCHAR2(n)); SQL*Plus sizes character columns by it. */
  width?: number;
}
/**
 * Cell values: NUMBER → number (the decimal its shortest text names), bigint (integers beyond
 * 2^53) or OraNumber (any other exact decimal); VARCHAR2 → string; DATE → Date (whole seconds:
 * the engine drops milliseconds); NULL → null.
 */
export type Cell = number | bigint | OraNumber | string | Date | null;
export interface View {
  columns: ColumnDef[];
  rows: Cell[][];
}

export type Command =
  | { kind: 'tablespaceBackup'; tablespace: string; action: 'BEGIN' | 'END' }
  | { kind: 'databaseBackup'; action: 'BEGIN' | 'END' }
  | { kind: 'datafileEndBackup'; file: string | number }
  | { kind: 'switchLogfile' }
  | { kind: 'archiveLogCurrent' }
  | { kind: 'checkpoint' }
  | { kind: 'createStandbyControlfile'; path: string; reuse: boolean }
  | { kind: 'addDatafile'; tablespace: string; path: string; bytes: number }
  | { kind: 'forceLogging'; on: boolean }
  | { kind: 'tablespaceReadOnly'; tablespace: string; readOnly: boolean }
  | { kind: 'tablespaceOnline'; tablespace: string; online: boolean }
  | { kind: 'databaseOpen'; readOnly?: boolean }
  // the standby instance (test/sim/standby) and the mount stage
  | { kind: 'mountDatabase'; standby: boolean }                       // ALTER DATABASE MOUNT [STANDBY DATABASE]
  | { kind: 'managedRecovery' }                                      // ALTER DATABASE RECOVER MANAGED STANDBY DATABASE ...
  | { kind: 'createDatafileAs'; file: string | number; as: string }  // ALTER DATABASE CREATE DATAFILE 'x' | n AS 'y'
  | { kind: 'renameFile'; from: string; to: string }                 // ALTER DATABASE RENAME FILE 'a' TO 'b'
  | { kind: 'registerLogfile'; path: string }                        // ALTER DATABASE REGISTER [OR REPLACE] [PHYSICAL] LOGFILE 'f'
  | { kind: 'tablespaceLogging'; tablespace: string; mode: 'LOGGING' | 'NOLOGGING' | 'FORCE LOGGING' | 'NO FORCE LOGGING' }
  // container databases (statements-cdb.ts)
  | { kind: 'setContainer'; container: string }
  | { kind: 'pluggableBackup'; pdb?: string; action: 'BEGIN' | 'END' }
  | { kind: 'pluggableOpenClose'; action: 'OPEN' | 'CLOSE'; pdbs?: string[] | 'ALL'; except: string[]; mode?: 'READ WRITE' | 'READ ONLY'; restricted?: boolean; force?: boolean; immediate?: boolean };

export interface SqlTarget {
  /** Upper-case view name ('V$DATAFILE', 'DBA_TABLESPACES', 'DUAL'); undefined when it does not exist. Throws OraError when it exists but is not available in this state (e.g. ORA-01219). */
  view(name: string): View | undefined;
  /** Executes a command; resolves with the SQL*Plus feedback message ('Tablespace altered.'); rejects with OraError. */
  exec(cmd: Command): Promise<string>;
  /** SYS_CONTEXT(namespace, parameter) of the session: a string, NULL, or throws OraError (ORA-02003). Optional: absent = SIM-00001 (not modelled). */
  context?(namespace: string, parameter: string): string | null;
  /** The clock SYSDATE reads (tests); the process clock when absent. */
  now?(): Date;
}

export type SqlResult =
  | { type: 'rows'; columns: ColumnDef[]; rows: Cell[][] }
  | { type: 'done'; message: string };

/** An Oracle error: lines[0] is 'ORA-nnnnn: text', further lines (ORA-01110 …) follow. */
export class OraError extends Error {
  readonly lines: string[];
  /** 1-based line of the statement where the error is reported (ERROR at line N:). */
  readonly line: number;
  /** Optional 0-based offset in the statement text where the error is (SQL*Plus puts its '*' there). */
  readonly position?: number;
  constructor(lines: string[] | string, line = 1, position?: number) {
    const l = Array.isArray(lines) ? lines : [lines];
    super(l.join('\n'));
    this.name = 'OraError';
    this.lines = l;
    this.line = line;
    if (position !== undefined) this.position = position;
  }
  get code(): number {
    const m = /^(?:ORA|SIM)-(\d+)/.exec(this.lines[0] ?? '');
    return m ? Number(m[1]) : 0;
  }
}
