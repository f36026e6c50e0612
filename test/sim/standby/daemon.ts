// The standby instance process: the socket protocol of CONTRACT.md (sql, startup, shutdown,
// admin stop/status) plus `recover` for SQL*Plus RECOVER, whose prompts are answered on the
// same connection ({"op":"recover","answer":...}).
import fs from 'node:fs';
import path from 'node:path';
import { stateDir, writeAtomic } from '../instance/control.ts';
import { createJsonLineServer } from '../instance/json-server.ts';
import { socketPathFor } from '../instance/socket.ts';
import { executeSql } from '../sql/index.ts';
import { OraError, type SqlTarget } from '../sql/types.ts';
import { encodeError, encodeResult } from '../sql/wire.ts';
import { currentContainerName, standbyCommand, type StandbySession } from './commands.ts';
import { f1110, StandbyInstance } from './instance.ts';
import { blockDefect, FLAG_NOLOGGING, inspectBlock } from '../instance/block.ts';
import { readBlock } from '../instance/datafile.ts';
import { type RecoverRequest, RecoverRun, type RecoverStep } from './recover-run.ts';
import { standbyView } from './views.ts';

interface Conn {
  run?: RecoverRun;
  /** the session's current container (ALTER SESSION SET CONTAINER); a new session is in the root */
  session: StandbySession;
}

function target(inst: StandbyInstance, conn: Conn): SqlTarget {
  return {
    view: (name) => standbyView(inst, name),
    exec: (cmd) => standbyCommand(inst, cmd, conn.session),
    context: (ns, p) => {
      if (ns.toUpperCase() !== 'USERENV') return null;
      const k = p.toUpperCase();
      if (k === 'DATABASE_ROLE') return 'PHYSICAL STANDBY';
      if (k === 'INSTANCE_NAME') return inst.s.sid;
      if (k === 'DB_NAME') return inst.s.cf.dbName;
      if (k === 'CON_NAME') return currentContainerName(inst, conn.session) ?? inst.s.cf.dbName;
      if (k === 'DB_UNIQUE_NAME') return inst.s.params.db_unique_name;
      if (k === 'SESSION_USER' || k === 'CURRENT_USER' || k === 'CURRENT_SCHEMA') return 'SYS';
      if (k === 'ISDBA') return 'TRUE';
      if (k === 'CON_ID') return String(inst.s.cf.containers ? conn.session.conId : 0);
      throw new OraError(['ORA-02003: invalid USERENV parameter']);
    },
  };
}

const stepResponse = (r: RecoverStep) => ({ ok: true, type: 'recover', lines: r.lines, prompt: r.prompt, ...(r.error ? { error: r.error } : {}) });

async function handle(inst: StandbyInstance, msg: any, conn: Conn, exit: (code: number) => void): Promise<object> {
  try {
    switch (msg.op) {
      case 'sql':
        return encodeResult(await executeSql(String(msg.text), target(inst, conn)));
      case 'startup':
        return done(inst.startup(msg.mode ?? 'open'));
      case 'shutdown':
        if (conn.run && !conn.run.done) conn.run.answer('CANCEL');
        return done(inst.shutdown(msg.mode ?? 'immediate'));
      case 'recover': {
        if (msg.answer !== undefined) {
          if (!conn.run || conn.run.done) return { ok: false, error: { lines: ['ORA-01112: media recovery not started'] } };
          return stepResponse(conn.run.answer(msg.answer));
        }
        if (msg.managed) {
          if (inst.state === 'IDLE') throw new OraError(['ORA-01034: ORACLE not available', 'ORA-27101: shared memory realm does not exist']);
          throw new OraError(['ORA-00439: feature not enabled: Managed Standby']);
        }
        conn.run = new RecoverRun(inst, msg as RecoverRequest);
        return stepResponse(conn.run.start());
      }
      case 'admin':
        if (msg.cmd === 'stop') {
          const lines = inst.state === 'IDLE' ? [] : inst.shutdown('immediate');
          setTimeout(() => exit(0), 20);
          return { ok: true, lines };
        }
        if (msg.cmd === 'read-block') return readBlockOf(inst, Number(msg.file), Number(msg.block));
        if (msg.cmd === 'status') return { ok: true, standby: true, state: inst.state, sid: inst.s.sid, recoveredScn: inst.state === 'IDLE' ? null : inst.recoveredScn() };
        return { ok: false, error: { lines: [`sim: admin '${msg.cmd}' is not available on a standby instance`] } };
      default:
        return { ok: false, error: { lines: [`sim: unknown op '${msg.op}'`] } };
    }
  } catch (e) {
    return encodeError(e);
  }
}

/**
 * A query touching one block (admin read-block): a block marked by NOLOGGING invalidation redo
 * is ORA-01578 + ORA-01110 + ORA-26040, a corrupt one ORA-01578 + ORA-01110.
 */
function readBlockOf(inst: StandbyInstance, file: number, block: number): object {
  if (inst.state === 'IDLE') throw new OraError(['ORA-01034: ORACLE not available', 'ORA-27101: shared memory realm does not exist']);
  if (inst.state !== 'OPEN') throw new OraError(['ORA-01219: database or pluggable database not open: queries allowed on fixed tables or views only']);
  const f = inst.s.files.find((x) => x.file === file);
  if (!f || block < 2 || block > f.blocks) throw new OraError([`ORA-01516: nonexistent log file, data file, or temporary file "${file}"`]);
  const fd = fs.openSync(f.name, 'r');
  let buf: Buffer;
  try {
    buf = readBlock(fd, block);
  } finally {
    fs.closeSync(fd);
  }
  const corrupt = [`ORA-01578: ORACLE data block corrupted (file # ${file}, block # ${block})`, f1110(f)];
  if (inspectBlock(buf).flags & FLAG_NOLOGGING) throw new OraError([...corrupt, 'ORA-26040: Data block was loaded using the NOLOGGING option']);
  if (blockDefect(buf, file, block)) throw new OraError(corrupt);
  return { ok: true, file, block, scn: inspectBlock(buf).headScn };
}

const done = (lines: string[]) => ({ ok: true, type: 'done', message: lines.join('\n'), lines });

export async function runStandbyDaemon(home: string, sid: string, mode: 'open' | 'mount' | 'nomount'): Promise<void> {
  const dir = stateDir(path.resolve(home), sid);
  const inst = new StandbyInstance(dir);
  const sock = socketPathFor(dir);
  const exit = (code: number) => {
    try {
      fs.rmSync(path.join(dir, 'socket'), { force: true });
      fs.rmSync(sock, { force: true });
      fs.rmSync(path.join(dir, 'pid'), { force: true });
    } finally {
      process.exit(code);
    }
  };
  fs.rmSync(sock, { force: true });
  const server = createJsonLineServer(() => {
    const conn: Conn = { session: { conId: 1 } };
    return {
      handle: (msg) => handle(inst, msg, conn, exit),
      // a client gone in the middle of RECOVER: the session ends as if cancelled
      closed: (pending) => void pending.then(() => { if (conn.run && !conn.run.done) conn.run.answer('CANCEL'); }),
    };
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
  fs.writeFileSync(path.join(dir, 'socket'), sock);
  process.on('SIGTERM', () => exit(0));
  let ready: { ok: boolean; lines: string[] };
  try {
    ready = { ok: true, lines: inst.startup(mode) };
  } catch (e) {
    ready = { ok: false, lines: e instanceof OraError ? e.lines : [String(e)] };
  }
  writeAtomic(path.join(dir, 'ready'), JSON.stringify(ready));
}
