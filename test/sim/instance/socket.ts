// Where the daemon's unix socket lives, and a small client for the newline-delimited JSON protocol.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function socketPathFor(dir: string): string {
  const p = path.join(dir, 'sim.sock');
  if (Buffer.byteLength(p) < 100) return p;
  return path.join(os.tmpdir(), `sim-${crypto.createHash('sha1').update(dir).digest('hex').slice(0, 16)}.sock`);
}

/** The socket path recorded by the running daemon (H/dbs/sim_S/socket), or undefined. */
export function recordedSocket(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, 'socket'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export class NotRunningError extends Error {
  constructor(dir: string) {
    super(`instance at ${dir} is not running`);
    this.name = 'NotRunningError';
  }
}

/** Sends one request and resolves with the parsed response. */
export function request(dir: string, msg: object, timeoutMs = 120_000): Promise<any> {
  const sock = recordedSocket(dir);
  if (!sock) return Promise.reject(new NotRunningError(dir));
  return new Promise((resolve, reject) => {
    const s = net.createConnection(sock);
    let buf = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer from the instance within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on('connect', () => s.write(JSON.stringify(msg) + '\n'));
    s.on('data', (d) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        s.end();
        try {
          resolve(JSON.parse(buf.slice(0, nl)));
        } catch (e) {
          reject(e);
        }
      }
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? new NotRunningError(dir) : e);
    });
  });
}
