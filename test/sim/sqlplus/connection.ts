// The client side of the instance socket (newline-delimited JSON, CONTRACT.md).
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function socketFile(home: string, sid: string): string {
  return path.join(home, 'dbs', `sim_${sid}`, 'socket');
}

export class Connection {
  private buf = '';
  private waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void } | undefined;
  closed = false;
  private constructor(private sock: net.Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      this.buf += d;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        const w = this.waiting;
        this.waiting = undefined;
        if (!w) continue;
        try { w.resolve(JSON.parse(line)); } catch (e) { w.reject(e as Error); }
      }
    });
    const gone = () => {
      this.closed = true;
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(new Error('end-of-file on communication channel'));
    };
    sock.on('close', gone);
    sock.on('error', gone);
  }

  /** Connects to the instance of ORACLE_HOME/ORACLE_SID; undefined when it is idle. */
  static async open(home: string, sid: string): Promise<Connection | undefined> {
    const f = socketFile(home, sid);
    if (!existsSync(f)) return undefined;
    const p = readFileSync(f, 'utf8').trim();
    if (!p) return undefined;
    return new Promise((resolve) => {
      const s = net.createConnection(p);
      s.once('connect', () => { s.removeAllListeners('error'); resolve(new Connection(s)); });
      s.once('error', () => resolve(undefined));
    });
  }

  request(msg: object): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.sock.write(JSON.stringify(msg) + '\n');
    });
  }

  close(): void {
    this.closed = true;
    this.sock.destroy();
  }
}
