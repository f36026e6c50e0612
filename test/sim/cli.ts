// `sim`: the simulated Oracle instance's command line (create, start/stop/crash, workload, faults, recover, verify).
import { parseArgs } from 'node:util';
import { createInstance, parseSize } from './instance/create.ts';
import { stateDir } from './instance/control.ts';
import { FillError, parseFill } from './instance/fill.ts';
import { runDaemon } from './instance/daemon.ts';
import { writeSqlplusWrapper } from './instance/create.ts';
import { runStandbyDaemon } from './standby/daemon.ts';
import { initStandby, isStandbyHome, StandbyInitError } from './standby/state.ts';
import { NotRunningError, request } from './instance/socket.ts';
import { crashDaemon, startDaemon } from './instance/spawn.ts';
import { recoverStandby } from './recover.ts';
import { verifyStandby } from './verify.ts';

const USAGE = `usage: sim <command> [options]      (home and sid default to $ORACLE_HOME and $ORACLE_SID)
  create   --home H --sid S --root R [--tablespaces N] [--datafiles N] [--size 128|8M] [--seed N]
           [--skew X] [--odd-names] [--noarchivelog] [--log-size 4M] [--dest2 DIR]
           [--cdb [--pdbs 1-3] [--pdb-names 'SALES,hr_app']]   container database (CDB$ROOT, PDB$SEED, PDBs)
           [--lenient]         standby recovery accepts copies taken open outside backup mode unless torn
                               (default strict: such a copy never recovers)
           [--fill 0.5 [--fill-style rows|random]]   start that fraction of each file's blocks with rows
  standby-init --home H --sid S --controlfile F --archive-dest DIR [--file-name-convert 'from1,to1,...']
           [--log-archive-format FMT] [--standby-file-management MANUAL|AUTO]
                               the DR instance: its pfile and its copy of the shipped standby controlfile;
                               then sqlplus / as sysdba: STARTUP NOMOUNT, ALTER DATABASE MOUNT STANDBY DATABASE, RECOVER ...
  start    [--mount|--nomount] start the instance (crash recovery after a crash); a standby home: STARTED or MOUNTED standby
  stop                         SHUTDOWN IMMEDIATE (ORA-01149 while files are in backup mode)
  crash                        SHUTDOWN ABORT (SIGKILL)
  workload --rate N | --stop   changes per second
  status
  sql [--container PDB] TEXT   run one statement through the instance (JSON answer), in a container
  fault dest-full [--dest N] [--off] | fracture [--file F] [--block B] | release
        | nologging [--file F] [--blocks N] | delete-archived --sequence N [--dest N] [--mark-deleted]
        | change --file F [--block B] [--count N] | create-pdb --name P   (a new PDB, open READ WRITE; CDB)
        | stall-sql --match REGEX [--off] | asm-dest [--dest N] [--diskgroup +FRA]
        | omf-dest [--dest N] [--off]   (OMF names, as in a fast recovery area: .../<DB>/archivelog/<day>/o1_mf_1_<seq>_<id>_.arc)
  load     --tablespace T [--blocks N] [--nologging|--logging] [--container PDB]
                               a direct-path load (INSERT /*+ APPEND */) into a table of T: with the tablespace's
                               LOGGING attribute (or the one given) and no FORCE LOGGING, only invalidation redo
  open-resetlogs               ALTER DATABASE OPEN RESETLOGS of a mounted instance (new incarnation)
  catalog --file F             RMAN CATALOG ARCHIVELOG 'F': a V$ARCHIVED_LOG row with DEST_ID 0
  rman backup-archivelog --sequence N [--delete-input|--delete-all-input]
                               RMAN BACKUP ARCHIVELOG SEQUENCE N [DELETE [ALL] INPUT]: a V$BACKUP_REDOLOG row
  rman restore-archivelog --sequence N   RMAN RESTORE ARCHIVELOG SEQUENCE N (back under its name, DEST_ID 0)
  rename-tablespace --from X --to Y   ALTER TABLESPACE "X" RENAME TO "Y"
  recover  (--controlfile F | --home H --sid S) --archive-dir D [--convert 'from1,to1,...']
                               RECOVER AUTOMATIC FROM 'D' STANDBY DATABASE: opens D/<LOG_ARCHIVE_FORMAT name> only
  verify   (--controlfile F | --home H --sid S) [--convert ...] [--primary-home H --primary-sid S]
                               --home/--sid of a standby instance (standby-init): its own controlfile and file names`;

class UsageError extends Error {}

const options = {
  home: { type: 'string' }, sid: { type: 'string' }, root: { type: 'string' }, tablespaces: { type: 'string' },
  datafiles: { type: 'string' }, size: { type: 'string' }, seed: { type: 'string' }, skew: { type: 'string' },
  'odd-names': { type: 'boolean' }, lenient: { type: 'boolean' }, fill: { type: 'string' }, 'fill-style': { type: 'string' }, cdb: { type: 'boolean' }, pdbs: { type: 'string' }, 'pdb-names': { type: 'string' }, container: { type: 'string' }, name: { type: 'string' }, noarchivelog: { type: 'boolean' }, 'log-size': { type: 'string' }, dest2: { type: 'string' },
  mount: { type: 'boolean' }, nomount: { type: 'boolean' }, tablespace: { type: 'string' }, nologging: { type: 'boolean' }, logging: { type: 'boolean' }, mode: { type: 'string' }, rate: { type: 'string' }, stop: { type: 'boolean' },
  dest: { type: 'string' }, off: { type: 'boolean' }, file: { type: 'string' }, block: { type: 'string' }, blocks: { type: 'string' },
  sequence: { type: 'string' }, 'mark-deleted': { type: 'boolean' }, 'delete-input': { type: 'boolean' }, 'delete-all-input': { type: 'boolean' }, count: { type: 'string' },
  match: { type: 'string' }, diskgroup: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
  controlfile: { type: 'string' }, 'archive-dest': { type: 'string' }, 'file-name-convert': { type: 'string' },
  'log-archive-format': { type: 'string' }, 'standby-file-management': { type: 'string' }, 'archive-dir': { type: 'string' }, convert: { type: 'string' }, 'datafile-dir-convert': { type: 'string' },
  'primary-home': { type: 'string' }, 'primary-sid': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(v)) throw new UsageError(`--${name} needs a number, got '${v}'`);
  return Number(v);
}

async function main(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const [cmd, ...rest] = positionals;
  if (v.help || !cmd) {
    process.stdout.write(USAGE + '\n');
    return cmd || v.help ? 0 : 2;
  }
  const home = v.home ?? process.env.ORACLE_HOME;
  const sid = v.sid ?? process.env.ORACLE_SID;
  const needInstance = () => {
    if (!home || !sid) throw new UsageError('give --home and --sid (or set ORACLE_HOME and ORACLE_SID)');
    return stateDir(home, sid);
  };
  const out = (lines: string[]) => lines.length && process.stdout.write(lines.join('\n') + '\n');
  const admin = async (msg: object) => {
    const r = await request(needInstance(), { op: 'admin', ...msg });
    if (!r.ok) throw Object.assign(new Error(r.error.lines.join('\n')), { ora: true });
    return r;
  };
  switch (cmd) {
    case 'create': {
      if (!home || !sid || !v.root) throw new UsageError('create needs --home, --sid and --root');
      if ((v.pdbs !== undefined || v['pdb-names'] !== undefined) && !v.cdb) throw new UsageError('--pdbs and --pdb-names need --cdb');
      let fill;
      try {
        fill = parseFill(v.fill, v['fill-style']);
      } catch (e) {
        throw e instanceof FillError ? new UsageError(e.message) : e;
      }
      const t0 = Date.now();
      const c = createInstance({
        home, sid, root: v.root, tablespaces: num(v.tablespaces, 'tablespaces'), datafiles: num(v.datafiles, 'datafiles'),
        blocks: v.size ? parseSize(v.size) : undefined, seed: num(v.seed, 'seed'), skew: num(v.skew, 'skew'),
        oddNames: v['odd-names'], noArchivelog: v.noarchivelog, logSize: v['log-size'] ? parseSize(v['log-size']) * 8192 : undefined, dest2: v.dest2, fill,
        cdb: v.cdb, pdbs: num(v.pdbs, 'pdbs'), pdbNames: v['pdb-names']?.split(',').map((x) => x.trim()).filter(Boolean),
        lenient: v.lenient,
      });
      const blocks = c.datafiles.reduce((a, d) => a + d.blocks, 0);
      const cdb = c.cdb ? ` (CDB: ${c.containers!.map((k) => k.name).join(', ')})` : '';
      out([`created ${c.dbName} (DBID ${c.dbid})${cdb}: ${c.tablespaces.length} tablespaces, ${c.datafiles.length} datafiles, ${((blocks * 8192) / 2 ** 20).toFixed(1)} MiB in ${Date.now() - t0} ms`]);
      return 0;
    }
    case 'standby-init': {
      if (!home || !sid || !v.controlfile || !v['archive-dest']) throw new UsageError('standby-init needs --home, --sid, --controlfile and --archive-dest');
      try {
        const st = initStandby({
          home, sid, controlfile: v.controlfile, archiveDest: v['archive-dest'], fileNameConvert: v['file-name-convert'],
          logArchiveFormat: v['log-archive-format'], standbyFileManagement: v['standby-file-management'], writeSqlplus: writeSqlplusWrapper,
        });
        out([`standby instance ${sid} of ${st.cf.dbName} (DBID ${st.cf.dbid}): ${st.files.length} datafiles, archive destination ${st.params.log_archive_dest_1}, STANDBY_FILE_MANAGEMENT=${st.params.standby_file_management}`]);
      } catch (e) {
        if (e instanceof StandbyInitError) throw new UsageError(e.message);
        throw e;
      }
      return 0;
    }
    case 'daemon':
      if (isStandbyHome(home!, sid!)) {
        await runStandbyDaemon(home!, sid!, (v.mode as 'open' | 'mount' | 'nomount') ?? 'open');
        return -1;
      }
      await runDaemon(home!, sid!, (v.mode as 'open' | 'mount' | 'nomount') ?? 'open');
      return -1;
    case 'start': {
      needInstance();
      const r = await startDaemon(home!, sid!, v.nomount ? 'nomount' : v.mount ? 'mount' : 'open');
      out(r.lines);
      return r.ok ? 0 : 1;
    }
    case 'stop': {
      try {
        const r = await admin({ cmd: 'stop' });
        out(r.lines);
      } catch (e) {
        if (e instanceof NotRunningError) return out(['ORA-01034: ORACLE not available', 'ORA-27101: shared memory realm does not exist']), 1;
        throw e;
      }
      return 0;
    }
    case 'crash':
      return (await crashDaemon(home!, sid!)) ? (out(['ORACLE instance shut down (abort).']), 0) : (out(['sim: instance is not running']), 1);
    case 'workload': {
      if (!v.stop && v.rate === undefined) throw new UsageError('workload needs --rate N or --stop');
      const r = await admin(v.stop ? { cmd: 'workload', stop: true } : { cmd: 'workload', rate: num(v.rate, 'rate') });
      out([JSON.stringify(r.workload)]);
      return 0;
    }
    case 'status': {
      const r = await admin({ cmd: 'status' });
      out([JSON.stringify(r, null, v.json ? 0 : 1)]);
      return 0;
    }
    case 'sql': {
      const r = await request(needInstance(), { op: 'sql', text: rest.join(' '), ...(v.container ? { container: v.container } : {}) });
      out([JSON.stringify(r)]);
      return r.ok ? 0 : 1;
    }
    case 'fault': {
      const [name] = rest;
      if (!name) throw new UsageError('fault needs a name: dest-full, fracture, release, nologging, delete-archived, change, create-pdb, stall-sql, asm-dest, omf-dest');
      const r = await admin({
        cmd: name === 'change' ? 'change' : 'fault', fault: name, dest: num(v.dest, 'dest'), on: !v.off, file: num(v.file, 'file'), block: num(v.block, 'block'),
        blocks: num(v.blocks, 'blocks'), sequence: num(v.sequence, 'sequence'), markDeleted: v['mark-deleted'], count: num(v.count, 'count'), name: v.name,
        match: v.match, diskgroup: v.diskgroup,
      });
      out([JSON.stringify(r)]);
      return 0;
    }
    case 'load': {
      if (!v.tablespace) throw new UsageError('load needs --tablespace T');
      if (v.nologging && v.logging) throw new UsageError('give --nologging or --logging, not both');
      const logging = v.nologging ? false : v.logging ? true : undefined;
      out([JSON.stringify(await admin({ cmd: 'direct-load', tablespace: v.tablespace, blocks: num(v.blocks, 'blocks'), ...(logging === undefined ? {} : { logging }), ...(v.container ? { container: v.container } : {}) }))]);
      return 0;
    }
    case 'open-resetlogs':
      out([JSON.stringify(await admin({ cmd: 'open-resetlogs' }))]);
      return 0;
    case 'catalog': {
      if (!v.file) throw new UsageError('catalog needs --file F (an archived log)');
      out([JSON.stringify(await admin({ cmd: 'catalog-archivelog', file: v.file }))]);
      return 0;
    }
    case 'rman': {
      const [what] = rest;
      if (what !== 'backup-archivelog' && what !== 'restore-archivelog') throw new UsageError('rman needs backup-archivelog or restore-archivelog');
      if (v.sequence === undefined) throw new UsageError(`rman ${what} needs --sequence N`);
      out([JSON.stringify(await admin({ cmd: `rman-${what}`, sequence: num(v.sequence, 'sequence'), deleteInput: v['delete-input'], deleteAllInput: v['delete-all-input'] }))]);
      return 0;
    }
    case 'rename-tablespace': {
      if (!v.from || !v.to) throw new UsageError('rename-tablespace needs --from X --to Y');
      out([JSON.stringify(await admin({ cmd: 'rename-tablespace', from: v.from, to: v.to }))]);
      return 0;
    }
    case 'recover': {
      if (!v['archive-dir']) throw new UsageError('recover needs --archive-dir D');
      if (!v.controlfile && !(home && sid)) throw new UsageError('recover needs --controlfile F, or --home H and --sid S');
      const r = recoverStandby({ controlfile: v.controlfile, home, sid, convert: v.convert ?? v['datafile-dir-convert'], archiveDir: v['archive-dir'] });
      out(r.lines);
      return r.ok ? 0 : 1;
    }
    case 'verify': {
      if (!v.controlfile && !(home && sid)) throw new UsageError('verify needs --controlfile F, or --home H and --sid S');
      const r = verifyStandby({ controlfile: v.controlfile, home, sid, convert: v.convert ?? v['datafile-dir-convert'], primaryHome: v['primary-home'], primarySid: v['primary-sid'] });
      out(r.lines);
      return r.ok ? 0 : 1;
    }
    default:
      throw new UsageError(`unknown command '${cmd}'`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e) => {
    if (e instanceof UsageError || (e as NodeJS.ErrnoException).code?.startsWith?.('ERR_PARSE_ARGS')) {
      process.stderr.write(`sim: ${(e as Error).message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`sim: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
