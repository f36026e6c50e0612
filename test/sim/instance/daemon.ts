// The instance process: owns the Instance, serves the socket protocol of CONTRACT.md.
import fs from 'node:fs';
import path from 'node:path';
import { executeSql } from '../sql/index.ts';
import { encodeError, encodeResult } from '../sql/wire.ts';
import { type Command, OraError, type SqlTarget } from '../sql/types.ts';
import { execCommand } from './commands.ts';
import { inPdb, newSession, type SessionState, setContainer } from './containers.ts';
import { pdbCommand } from './pdb.ts';
import { sysContext } from './sys-context.ts';
import { stateDir, writeAtomic } from './control.ts';
import { adminOp } from './admin.ts';
import { Instance } from './instance.ts';
import { ORA_IDLE, shutdown, startup } from './lifecycle.ts';
import { createJsonLineServer } from './json-server.ts';
import { socketPathFor } from './socket.ts';
import { getView } from './views.ts';
import { Workload } from './workload.ts';

export interface Daemon {
  inst: Instance;
  workload: Workload;
  lastStartup: { ok: boolean; lines: string[] };
  exit(code: number): void;
  /** Stops accepting connections (a client connecting after `sim stop` sees a stopped instance, not a reset). */
  stopAccepting(): void;
  /** fault stall-sql: statements matching `re` wait (a lock, a hung checkpoint) until released */
  stall?: { re: RegExp; released: Promise<void>; release(): void };
}

/** The SQL engine's view of the instance for one session (its current container in a CDB). */
export function targetFor(inst: Instance, s: SessionState = newSession(inst.c)): SqlTarget {
  return {
    view: (name) => getView(inst, name, s),
    exec: (cmd: Command) => execCommand(inst, cmd, s),
    context: (ns, p) => sysContext(inst, s, ns, p),
  };
}

/**
 * A request may name a container (`"container": "PDB1"`): the session switches to it first, as
 * ALTER SESSION SET CONTAINER would. One-shot clients (sim sql, tests) use it; sqlplus keeps
 * one connection, so its ALTER SESSION SET CONTAINER lasts for the session (CONTRACT.md).
 */
function enterContainer(inst: Instance, s: SessionState, msg: any): void {
  if (msg.container === undefined) return;
  if (inst.state === 'IDLE') throw new OraError(ORA_IDLE.slice(0, 2));
  setContainer(inst.c, s, String(msg.container));
}

async function handle(d: Daemon, msg: any, s: SessionState): Promise<object> {
  const inst = d.inst;
  try {
    switch (msg.op) {
      case 'sql':
        if (d.stall?.re.test(String(msg.text))) await d.stall.released;
        enterContainer(inst, s, msg);
        return encodeResult(await executeSql(String(msg.text), targetFor(inst, s)));
      case 'startup': {
        if (inPdb(s)) return { ok: true, type: 'done', message: await pdbCommand(inst, { kind: 'pluggableOpenClose', action: 'OPEN', except: [] }, s).then(() => 'Pluggable Database opened.') };
        const lines = await startup(inst, msg.mode ?? 'open');
        Object.assign(s, newSession(inst.c));
        if (inst.state === 'OPEN') d.workload.start(d.workload.rate || 0);
        return { ok: true, type: 'done', message: lines.join('\n'), lines };
      }
      case 'shutdown': {
        // SHUTDOWN inside a PDB closes that PDB only
        if (inPdb(s)) return { ok: true, type: 'done', message: await pdbCommand(inst, { kind: 'pluggableOpenClose', action: 'CLOSE', except: [] }, s).then(() => 'Pluggable Database closed.') };
        d.workload.stop();
        const lines = await shutdown(inst, msg.mode ?? 'immediate');
        Object.assign(s, newSession(inst.c));
        return { ok: true, type: 'done', message: lines.join('\n'), lines };
      }
      case 'recover':
        // SQL*Plus RECOVER on a primary: managed recovery is EE-only; media recovery of a primary is not modelled
        if (msg.managed) throw new OraError(['ORA-00439: feature not enabled: Managed Standby']);
        throw new OraError(['SIM-00001: not supported by the simulator: RECOVER on a primary database (create a standby instance: sim standby-init)']);
      case 'admin':
        enterContainer(inst, s, msg);
        return await adminOp(d, msg, s);
      default:
        return { ok: false, error: { lines: [`sim: unknown op '${msg.op}'`] } };
    }
  } catch (e) {
    return encodeError(e);
  }
}

export async function runDaemon(home: string, sid: string, mode: 'open' | 'mount' | 'nomount'): Promise<void> {
  const dir = stateDir(path.resolve(home), sid);
  const inst = new Instance(dir);
  const workload = new Workload(inst, inst.c.seed);
  const d: Daemon = {
    inst, workload, lastStartup: { ok: true, lines: [] },
    exit: (code) => {
      try {
        fs.rmSync(path.join(dir, 'socket'), { force: true });
        fs.rmSync(sock, { force: true });
        fs.rmSync(path.join(dir, 'pid'), { force: true });
      } finally {
        process.exit(code);
      }
    },
    stopAccepting: () => {
      fs.rmSync(path.join(dir, 'socket'), { force: true });
      server.close();
    },
  };
  const sock = socketPathFor(dir);
  fs.rmSync(sock, { force: true });
  const server = createJsonLineServer(() => {
    const session = newSession(inst.c);
    return { handle: (msg) => handle(d, msg, session) };
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
  fs.writeFileSync(path.join(dir, 'socket'), sock);
  process.on('SIGTERM', () => {
    void shutdown(inst, 'abort').finally(() => d.exit(0));
  });
  {
    try {
      d.lastStartup = { ok: true, lines: await startup(inst, mode) };
    } catch (e) {
      d.lastStartup = { ok: false, lines: e instanceof OraError ? e.lines : [String(e)] };
    }
  }
  // atomically: `sim start` polls for this file and parses it as soon as it exists
  writeAtomic(path.join(dir, 'ready'), JSON.stringify(d.lastStartup));
}
