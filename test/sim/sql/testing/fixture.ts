// An in-memory SqlTarget for tests of the SQL engine and of the sqlplus client.
import { OraError, type Cell, type ColumnDef, type Command, type SqlTarget, type View } from '../types.ts';

const N = (name: string): ColumnDef => ({ name, type: 'NUMBER' });
const V = (name: string): ColumnDef => ({ name, type: 'VARCHAR2' });
const D = (name: string): ColumnDef => ({ name, type: 'DATE' });

export const T0 = new Date(2026, 10, 21, 23, 40, 0);
const at = (min: number) => new Date(T0.getTime() + min * 60000);

export class FixtureTarget implements SqlTarget {
  commands: Command[] = [];
  /** The clock SYSDATE reads (SqlTarget.now); the real one when unset. */
  now?: () => Date;
  tablespaces: { ts: number; name: string; backup: boolean }[] = [
    { ts: 0, name: 'SYSTEM', backup: false }, { ts: 1, name: 'SYSAUX', backup: false }, { ts: 2, name: 'USERS', backup: false },
    { ts: 3, name: 'my data', backup: false }, { ts: 4, name: 'TEMP', backup: false },
  ];
  datafiles: Cell[][] = [
    [1, 0, '/r/u01/oradata/DBPROD/system01.dbf', 12345678901234, 734003200],
    [2, 1, '/r/u02/oradata/DBPROD/sysaux01.dbf', 12345678901234, 629145600],
    [3, 2, '/r/u05/oradata/DBPROD/users01.dbf', 12345678901100, 5242880],
    [4, 2, '/r/u05/oradata/DBPROD/users 02.dbf', 12345678901100, 5242880],
    [5, 3, '/r/u06/oradata/DBPROD/my data01.dbf', null, 1048576],
  ];
  /** NAME, DEST_ID, THREAD#, SEQUENCE#, FIRST_CHANGE#, NEXT_CHANGE#, FIRST_TIME, STATUS, STANDBY_DEST, DELETED */
  archived: Cell[][] = [];
  constructor() {
    for (let seq = 10; seq < 18; seq++) {
      for (const dest of [1, 2]) {
        const first = 1000 + (seq - 10) * 100;
        this.archived.push([
          dest === 1 ? `/r/u12/fra/DBPROD/archivelog/1_${seq}_1122334455.dbf` : `/r/u13/dest2/1_${seq}_1122334455.dbf`,
          dest, 1, seq, first, first + 100, at(seq), seq === 12 && dest === 1 ? 'D' : 'A', 'NO', seq === 12 && dest === 1 ? 'YES' : 'NO',
        ]);
      }
    }
  }

  view(name: string): View | undefined {
    switch (name) {
      case 'DUAL': return { columns: [V('DUMMY')], rows: [['X']] };
      case 'V$DATABASE': return {
        columns: [N('DBID'), V('NAME'), V('LOG_MODE'), V('OPEN_MODE'), V('FORCE_LOGGING'), N('CURRENT_SCN'), D('RESETLOGS_TIME')],
        rows: [[1122334455, 'DBPROD', 'ARCHIVELOG', 'READ WRITE', 'NO', 12345678901234, T0]],
      };
      case 'V$TABLESPACE': return { columns: [N('TS#'), V('NAME'), V('BIGFILE')], rows: this.tablespaces.map((t) => [t.ts, t.name, 'NO']) };
      case 'DBA_TABLESPACES': return {
        columns: [V('TABLESPACE_NAME'), N('BLOCK_SIZE'), V('STATUS'), V('CONTENTS')],
        rows: this.tablespaces.map((t) => [t.name, 8192, 'ONLINE', t.name === 'TEMP' ? 'TEMPORARY' : 'PERMANENT']),
      };
      case 'V$DATAFILE': return { columns: [N('FILE#'), N('TS#'), V('NAME'), N('CHECKPOINT_CHANGE#'), N('BYTES')], rows: this.datafiles };
      case 'V$BACKUP': return {
        columns: [N('FILE#'), V('STATUS'), N('CHANGE#'), D('TIME')],
        rows: this.datafiles.map((f) => {
          const ts = this.tablespaces.find((t) => t.ts === f[1])!;
          return [f[0], ts.backup ? 'ACTIVE' : 'NOT ACTIVE', ts.backup ? 12345678901300 : 0, ts.backup ? T0 : null];
        }),
      };
      case 'V$ARCHIVED_LOG': return {
        columns: [V('NAME'), N('DEST_ID'), N('THREAD#'), N('SEQUENCE#'), N('FIRST_CHANGE#'), N('NEXT_CHANGE#'), D('FIRST_TIME'), V('STATUS'), V('STANDBY_DEST'), V('DELETED')],
        rows: this.archived,
      };
      case 'V$LOG': return {
        // SCNs above 2^53 (exact only as bigint) and DATEs with milliseconds, as a careless view might give them
        columns: [N('GROUP#'), N('SEQUENCE#'), V('STATUS'), N('FIRST_CHANGE#'), D('FIRST_TIME'), N('NEXT_CHANGE#'), D('NEXT_TIME')],
        rows: [
          [1, 16, 'INACTIVE', 9007199254740990, new Date(T0.getTime() - 60000), 9007199254740992, new Date(T0.getTime() + 1250)],
          [2, 17, 'INACTIVE', 9007199254740992, new Date(T0.getTime() + 1250), 9007199254740993n, new Date(T0.getTime() + 286778)],
          [3, 18, 'CURRENT', 9007199254740993n, new Date(T0.getTime() + 286778), 18446744073709551615n, null],
        ],
      };
      case 'V$PARAMETER': return {
        columns: [V('NAME'), V('VALUE'), V('ISDEFAULT')],
        rows: [['db_name', 'DBPROD', 'FALSE'], ['log_archive_dest_1', 'LOCATION=/r/u12/fra', 'FALSE'], ['log_archive_format', '%t_%s_%r.dbf', 'FALSE'], ['db_block_size', '8192', 'TRUE']],
      };
      default: return undefined;
    }
  }

  async exec(cmd: Command): Promise<string> {
    this.commands.push(cmd);
    switch (cmd.kind) {
      case 'tablespaceBackup': {
        const ts = this.tablespaces.find((t) => t.name === cmd.tablespace);
        if (!ts) throw new OraError(`ORA-00959: tablespace '${cmd.tablespace}' does not exist`);
        const f = this.datafiles.find((d) => d[1] === ts.ts)!;
        if (cmd.action === 'BEGIN' && ts.backup) throw new OraError([`ORA-01146: cannot start online backup - file ${f[0]} is already in backup`, `ORA-01110: data file ${f[0]}: '${f[2]}'`]);
        if (cmd.action === 'END' && !ts.backup) throw new OraError([`ORA-01142: cannot end online backup - none of the files are in backup`]);
        ts.backup = cmd.action === 'BEGIN';
        return 'Tablespace altered.';
      }
      case 'switchLogfile': case 'archiveLogCurrent': case 'checkpoint': return 'System altered.';
      case 'tablespaceReadOnly': case 'tablespaceOnline': case 'addDatafile': return 'Tablespace altered.';
      default: return 'Database altered.';
    }
  }
}
