// A minimal instance socket for client tests: serves CONTRACT.md's protocol with
// executeSql over a FixtureTarget, in a temporary ORACLE_HOME.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { executeSql } from '../index.ts';
import { encodeError, encodeResult } from '../wire.ts';
import { FixtureTarget } from './fixture.ts';

export interface TestInstance {
  home: string;
  sid: string;
  target: FixtureTarget;
  /** ops received (sql text or startup/shutdown) */
  log: object[];
  stop(): Promise<void>;
  cleanup(): void;
}

export async function startTestInstance(sid = 'DBPROD', opts: { up?: boolean } = {}): Promise<TestInstance> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'simhome-'));
  const dir = path.join(home, 'dbs', `sim_${sid}`);
  mkdirSync(dir, { recursive: true });
  const sock = path.join(dir, 's.sock');
  const target = new FixtureTarget();
  const log: object[] = [];
  const conns = new Set<net.Socket>();
  const server = net.createServer((c) => {
    conns.add(c);
    c.on('close', () => conns.delete(c));
    let buf = '';
    c.setEncoding('utf8');
    let chain = Promise.resolve();
    c.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        log.push(msg);
        chain = chain.then(async () => {
          let resp: object;
          if (msg.op === 'sql') {
            try { resp = encodeResult(await executeSql(msg.text, target)); } catch (e) { resp = encodeError(e); }
          } else if (msg.op === 'shutdown') {
            resp = { ok: true, type: 'done', message: '' };
            c.write(JSON.stringify(resp) + '\n');
            await inst.stop();
            return;
          } else resp = { ok: false, error: { lines: ['ORA-01081: cannot start already-running ORACLE - shut it down first'] } };
          c.write(JSON.stringify(resp) + '\n');
        });
      }
    });
  });
  const inst: TestInstance = {
    home, sid, target, log,
    stop: () => new Promise<void>((res) => { rmSync(path.join(dir, 'socket'), { force: true }); for (const c of conns) c.end(); server.close(() => res()); }),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
  if (opts.up === false) return inst;
  await new Promise<void>((res) => server.listen(sock, res));
  writeFileSync(path.join(dir, 'socket'), sock + '\n');
  return inst;
}
