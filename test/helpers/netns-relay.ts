// A delaying TCP relay: round-trip delay for the link test bed without netem. It listens on
// 127.0.0.1 and forwards each connection to a target (the DR sshd in its namespace), holding
// every chunk for `oneWayMs` in each direction before passing it on, so a request and its
// answer take 2 × oneWayMs longer: what limits one ssh channel (its window, ~2 MB, is
// acknowledged once per round trip) and rsync's request/response turns is emulated.
// Not emulated: TCP's own congestion window over a long path (the relay's sockets are local
// on one side and on the shaped veth on the other).
// Order is kept (one FIFO per direction); a direction stops reading when more than
// `maxQueuedBytes` wait, and stops writing while the outgoing socket is full (the shaped link
// drains it), so memory stays bounded.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RelayOptions {
  target: { host: string; port: number };
  oneWayMs: number;
  maxQueuedBytes?: number;
}

export interface Relay {
  host: '127.0.0.1';
  port: number;
  /** Bytes forwarded towards the target so far. */
  bytesForward(): number;
  close(): Promise<void>;
}

function pipeDelayed(from: Socket, to: Socket, delayMs: number, maxQueued: number, count: (n: number) => void): void {
  const queue: { at: number; buf: Buffer }[] = [];
  let queued = 0;
  let timer: NodeJS.Timeout | undefined;
  let blocked = false;
  let ended = false;
  const pump = () => {
    timer = undefined;
    while (queue.length && !blocked) {
      const head = queue[0]!;
      const wait = head.at - Date.now();
      if (wait > 0) {
        timer = setTimeout(pump, wait);
        return;
      }
      queue.shift();
      queued -= head.buf.length;
      count(head.buf.length);
      if (!to.write(head.buf)) blocked = true;
      if (queued < maxQueued / 2 && from.isPaused()) from.resume();
    }
    if (!queue.length && ended) to.end();
  };
  to.on('drain', () => {
    blocked = false;
    if (!timer) pump();
  });
  from.on('data', (buf: Buffer) => {
    queue.push({ at: Date.now() + delayMs, buf });
    queued += buf.length;
    if (queued > maxQueued) from.pause();
    if (!timer && !blocked) timer = setTimeout(pump, delayMs);
  });
  from.on('end', () => {
    ended = true;
    if (!timer && !blocked) pump();
  });
}

export function startRelay(o: RelayOptions): Promise<Relay> {
  const sockets = new Set<Socket>();
  let forward = 0;
  const max = o.maxQueuedBytes ?? 16 * 1024 * 1024;
  const server: Server = createServer((client) => {
    const upstream = connect(o.target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    pipeDelayed(client, upstream, o.oneWayMs, max, (n) => (forward += n));
    pipeDelayed(upstream, client, o.oneWayMs, max, () => undefined);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        host: '127.0.0.1',
        port,
        bytesForward: () => forward,
        close: () =>
          new Promise<void>((res) => {
            for (const s of sockets) s.destroy();
            server.close(() => res());
          }),
      });
    });
  });
}

// As a process (the bench runs it in its own CPU accounting group):
//   node --import tsx test/helpers/netns-relay.ts HOST PORT ONE_WAY_MS
// prints "listening <port>", and exits when its stdin closes (so it never outlives its parent).
if (process.argv[1] && resolvePath(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [host, port, ms] = process.argv.slice(2);
  const relay = await startRelay({ target: { host: host!, port: Number(port) }, oneWayMs: Number(ms) });
  process.stdout.write(`listening ${relay.port}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void relay.close().then(() => process.exit(0)));
  process.stdin.on('error', () => process.exit(0));
}
