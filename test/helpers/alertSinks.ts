// Where alert tests send to: an HTTP receiver on 127.0.0.1 that records every request (and
// can be taken down and brought back on the same port), and a fake `sendmail` for the front
// of PATH that records its argv and the message it reads. Imports nothing from lib/.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export interface Receiver {
  port: number;
  received: Received[];
  /** Answer every request with this status (default 200). */
  status: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let server: http.Server | undefined;
  const r: Receiver = {
    port: 0,
    received,
    status: 200,
    async up() {
      server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (b: Buffer) => chunks.push(b));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json });
          res.writeHead(r.status, { 'content-type': 'text/plain' });
          res.end(r.status === 200 ? 'ok' : 'receiver says no');
        });
      });
      await new Promise<void>((resolve) => server!.listen(r.port, '127.0.0.1', resolve));
      r.port = (server.address() as AddressInfo).port;
    },
    async down() {
      if (!server) return;
      const s = server;
      server = undefined;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    close: () => r.down(),
  };
  await r.up();
  return r;
}

export interface FakeSendmail {
  /** Directory to put first on PATH. */
  bin: string;
  /** Where the messages land; set FAKE_MAIL_DIR to it in the environment of the sender. */
  spool: string;
  /** Messages sent so far, oldest first: argv and the text read on stdin. */
  messages(): { argv: string[]; text: string }[];
  /** Make it fail (exit 75, like a relay that is down) or work again. */
  failing(on: boolean): void;
}

export function makeFakeSendmail(dir: string, opts: { sleepSeconds?: number } = {}): FakeSendmail {
  const bin = path.join(dir, 'fakebin');
  const spool = path.join(dir, 'spool');
  fs.mkdirSync(bin, { recursive: true });
  fs.mkdirSync(spool, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'sendmail'),
    [
      '#!/bin/sh',
      '# fake sendmail: records argv and the message; fails while $FAKE_MAIL_DIR/fail exists',
      'd="${FAKE_MAIL_DIR:?}"',
      'n=$(ls "$d" | grep -c "\\.eml$")',
      'n=$(printf "%04d" "$n")',
      'printf "%s\\n" "$@" > "$d/$n.argv"',
      'cat > "$d/$n.eml"',
      opts.sleepSeconds ? `sleep ${opts.sleepSeconds}` : ':',
      'if [ -f "$d/fail" ]; then echo "sendmail: cannot connect to the mail relay" >&2; rm -f "$d/$n.eml" "$d/$n.argv"; exit 75; fi',
      'exit 0',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return {
    bin,
    spool,
    messages: () =>
      fs
        .readdirSync(spool)
        .filter((f) => f.endsWith('.eml'))
        .sort()
        .map((f) => ({ argv: fs.readFileSync(path.join(spool, f.replace(/\.eml$/, '.argv')), 'utf8').split('\n').filter(Boolean), text: fs.readFileSync(path.join(spool, f), 'utf8') })),
    failing: (on) => (on ? fs.writeFileSync(path.join(spool, 'fail'), '') : fs.rmSync(path.join(spool, 'fail'), { force: true })),
  };
}
