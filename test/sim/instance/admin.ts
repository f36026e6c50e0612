// op:'admin' requests: status, workload control, faults (used by the `sim` CLI and tests, never by sqlplus).
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { OraError } from '../sql/types.ts';
import { encodeResult } from '../sql/wire.ts';
import { execCommand } from './commands.ts';
import { newSession, type SessionState } from './containers.ts';
import type { Daemon } from './daemon.ts';
import { shutdown } from './lifecycle.ts';
import { createPdb } from './pdb-create.ts';
import { asmDestination, catalogArchivelog, openResetlogs, renameTablespace, rmanBackupArchivelog, rmanRestoreArchivelog } from './maintenance.ts';
import { getView } from './views.ts';

const ok = (data: object = {}) => ({ ok: true, type: 'admin', ...data });

export function statusOf(d: Daemon): object {
  const i = d.inst;
  const cur = i.state === 'IDLE' ? undefined : i.current();
  return {
    state: i.state, sid: i.c.sid, dbName: i.c.dbName, logMode: i.c.logMode, scn: i.c.scn, sequence: cur?.sequence,
    logUsed: i.lw?.used ?? 0, logSize: i.c.logSize, dirtyBlocks: i.cache.dirtyCount(), archiverPending: i.arch.pending(),
    redoBlocked: i.redoBlockedSince > 0, workload: d.workload.stats(), lastStartup: d.lastStartup,
    fracture: i.cache.fracture?.held ?? null,
    backup: i.c.datafiles.filter((f) => f.backup.active).map((f) => f.file),
    dests: i.c.dests.map((x) => ({ id: x.id, status: x.status, error: x.error, full: x.full })),
  };
}

export async function adminOp(d: Daemon, msg: any, s: SessionState = newSession(d.inst.c)): Promise<object> {
  const inst = d.inst;
  switch (msg.cmd) {
    case 'status':
      return ok(statusOf(d));
    case 'workload':
      if (msg.stop) d.workload.stop();
      else {
        if (inst.state !== 'OPEN') throw new OraError(['ORA-01109: database not open']);
        d.workload.start(Number(msg.rate ?? 500));
      }
      return ok({ workload: d.workload.stats() });
    case 'exec':
      return { ok: true, type: 'done', message: await execCommand(inst, msg.command, s) };
    case 'view': {
      const v = getView(inst, msg.name, s);
      if (!v) throw new OraError(['ORA-00942: table or view does not exist']);
      return encodeResult({ type: 'rows', columns: v.columns, rows: v.rows });
    }
    case 'change': {
      // deterministic logged changes to one block (tests)
      if (inst.state !== 'OPEN') throw new OraError(['ORA-01109: database not open']);
      await inst.redoSpace(9000 * Number(msg.count ?? 1));
      return ok({ scns: d.workload.apply(Number(msg.count ?? 1), { file: Number(msg.file), block: msg.block === undefined ? undefined : Number(msg.block) }) });
    }
    case 'direct-load': {
      // INSERT /*+ APPEND */ (or SQL*Loader direct path) into a table of a tablespace: the table
      // is created with the tablespace's LOGGING attribute unless `logging` says otherwise
      if (inst.state !== 'OPEN') throw new OraError(['ORA-01109: database not open']);
      const c = inst.c;
      const t = c.tablespaces.find((x) => x.name === String(msg.tablespace) && (x.conId ?? 0) === Math.max(s.conId, c.cdb ? 1 : 0));
      if (!t) throw new OraError([`ORA-00959: tablespace '${msg.tablespace}' does not exist`]);
      const files = c.datafiles.filter((x) => x.ts === t.ts && (x.conId ?? 0) === (t.conId ?? 0) && x.status !== 'OFFLINE' && x.enabled === 'READ WRITE');
      if (!files.length) throw new OraError([`ORA-01647: tablespace '${t.name}' is read-only, cannot allocate space in it`]);
      const nologging = msg.logging === undefined ? !t.logging : !msg.logging;
      const file = files.at(-1)!.file;
      const n = Number(msg.blocks ?? 4);
      await inst.redoSpace(200 * n + 9000);
      const scns = d.workload.apply(n, { file }, nologging);
      inst.save();
      return ok({ file, scns, nologging, unrecoverableScn: inst.datafile(file).unrecoverableScn });
    }
    case 'open-resetlogs':
      return ok(await openResetlogs(inst));
    case 'catalog-archivelog': {
      const r = catalogArchivelog(inst, String(msg.file));
      return ok({ recid: r.recid, destId: r.destId, thread: r.thread, sequence: r.sequence, name: r.name });
    }
    case 'rman-backup-archivelog': {
      const b = rmanBackupArchivelog(inst, Number(msg.sequence), msg.deleteAllInput ? 'all' : msg.deleteInput ? 'input' : 'none');
      return ok({ setStamp: b.setStamp, setCount: b.setCount, sequence: b.sequence, piece: b.piece });
    }
    case 'rman-restore-archivelog': {
      const r = rmanRestoreArchivelog(inst, Number(msg.sequence));
      return ok({ recid: r.recid, destId: r.destId, sequence: r.sequence, name: r.name });
    }
    case 'rename-tablespace':
      renameTablespace(inst, String(msg.from), String(msg.to));
      return ok({ renamed: msg.to });
    case 'stop': {
      d.workload.stop();
      const lines = inst.state === 'IDLE' ? [] : await shutdown(inst, 'immediate');
      d.stopAccepting();
      setTimeout(() => d.exit(0), 20);
      return ok({ lines });
    }
    case 'fault':
      return fault(d, msg);
    default:
      return { ok: false, error: { lines: [`sim: unknown admin command '${msg.cmd}'`] } };
  }
}

async function fault(d: Daemon, msg: any): Promise<object> {
  const inst = d.inst;
  const c = inst.c;
  switch (msg.fault) {
    case 'dest-full': {
      const dest = c.dests.find((x) => x.id === Number(msg.dest ?? 1));
      if (!dest) throw new Error(`no archive destination ${msg.dest}`);
      dest.full = msg.on !== false;
      inst.save();
      return ok({ dest: dest.id, full: dest.full });
    }
    case 'fracture': {
      // change a block, then hold DBWR's write of it after the first half until 'release'
      if (inst.state !== 'OPEN') throw new OraError(['ORA-01109: database not open']);
      const file = Number(msg.file ?? inst.liveFiles().at(-1)!.file);
      const blk = msg.block === undefined ? Math.max(2, Math.floor(inst.datafile(file).blocks / 2)) : Number(msg.block);
      // make sure an older version of the block is on disk first
      await inst.redoSpace(20000);
      d.workload.apply(1, { file, block: blk });
      await inst.cache.flush(new Set([file]), inst.c.scn + 1);
      inst.cache.fracture = { file, block: blk, armed: true };
      await inst.redoSpace(20000);
      d.workload.apply(1, { file, block: blk });
      void inst.cache.flush(new Set([file]), inst.c.scn + 1);
      for (let k = 0; k < 500 && !inst.cache.fracture?.held; k++) await sleep(2);
      if (!inst.cache.fracture?.held) throw new Error('fracture fault: DBWR did not write the block');
      return ok({ held: inst.cache.fracture.held });
    }
    case 'release': {
      const f = inst.cache.fracture;
      inst.cache.fracture = undefined;
      f?.release?.();
      return ok({ released: f?.held ?? null });
    }
    case 'nologging': {
      if (inst.state !== 'OPEN') throw new OraError(['ORA-01109: database not open']);
      const file = Number(msg.file ?? inst.liveFiles().at(-1)!.file);
      const n = Number(msg.blocks ?? 4);
      await inst.redoSpace(200 * n + 9000);
      const scns = d.workload.apply(n, { file }, true);
      inst.save();
      return ok({ file, scns, unrecoverableScn: inst.datafile(file).unrecoverableScn, forceLogging: c.forceLogging });
    }
    case 'create-pdb': {
      const k = await createPdb(inst, String(msg.name ?? ''), msg.blocks === undefined ? undefined : Number(msg.blocks));
      return ok({ conId: k.conId, name: k.name, files: c.datafiles.filter((d) => d.conId === k.conId).map((d) => d.file) });
    }
    case 'delete-archived': {
      const seq = Number(msg.sequence);
      const rows = c.archivedLogs.filter((a) => a.sequence === seq && (msg.dest === undefined || a.destId === Number(msg.dest)));
      if (!rows.length) throw new Error(`no archived log with sequence ${seq}`);
      for (const a of rows) {
        if (a.name) fs.rmSync(a.name, { force: true });
        if (msg.markDeleted) Object.assign(a, { deleted: true, status: 'D', name: null });
      }
      inst.save();
      return ok({ deleted: rows.length });
    }
    case 'stall-sql': {
      d.stall?.release();
      d.stall = undefined;
      if (msg.on !== false) {
        let release = () => {};
        const released = new Promise<void>((r) => (release = r));
        d.stall = { re: new RegExp(String(msg.match), 'i'), released, release };
      }
      return ok({ stalled: d.stall ? String(msg.match) : null });
    }
    case 'omf-dest': {
      const dest = inst.c.dests.find((x) => x.id === Number(msg.dest ?? 1));
      if (!dest) throw new Error(`no archive destination ${msg.dest ?? 1}`);
      dest.omf = msg.on !== false;
      inst.save();
      return ok({ dest: dest.id, omf: dest.omf });
    }
    case 'asm-dest':
      asmDestination(inst, Number(msg.dest ?? 1), String(msg.diskgroup ?? '+FRA'));
      return ok({ dest: Number(msg.dest ?? 1), diskgroup: String(msg.diskgroup ?? '+FRA') });
    default:
      return { ok: false, error: { lines: [`sim: unknown fault '${msg.fault}'`] } };
  }
}
