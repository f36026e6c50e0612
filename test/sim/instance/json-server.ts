// The daemons' wire: a unix socket server reading one JSON request per line and writing one
// JSON answer per line, in order, per connection (the primary's and the standby's daemon).
import net from 'node:net';

export interface JsonConnection {
  handle(msg: any): Promise<unknown>;
  /** The client went away; `pending` settles once the requests it sent are answered. */
  closed?(pending: Promise<void>): void;
}

export function createJsonLineServer(accept: (socket: net.Socket) => JsonConnection): net.Server {
  return net.createServer((c) => {
    const conn = accept(c);
    let buf = '';
    let chain = Promise.resolve();
    c.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        chain = chain.then(async () => {
          let msg: any;
          try {
            msg = JSON.parse(line);
          } catch {
            c.write(JSON.stringify({ ok: false, error: { lines: ['sim: request is not JSON'] } }) + '\n');
            return;
          }
          const res = await conn.handle(msg);
          if (!c.destroyed) c.write(JSON.stringify(res) + '\n');
        });
      }
    });
    c.on('close', () => conn.closed?.(chain));
    c.on('error', () => undefined);
  });
}
