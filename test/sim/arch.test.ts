// ARCn writes an archived log's final header last: a copy taken while the file is still being
// written never looks like a complete log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Archiver } from './instance/arch.ts';
import type { Control, LogGroup } from './instance/control.ts';
import { decodeLogHeader, encodeLogHeader, encodeRecord, RecType, REDO_BLOCK } from './instance/redo-format.ts';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'simarch-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

describe('ARCn', () => {
  it('keeps the archived log marked incomplete until its body is written', async () => {
    const online = path.join(base, 'redo01.log');
    const dest = path.join(base, 'arch');
    const g: LogGroup = { group: 1, members: [online], sequence: 7, status: 'ACTIVE', archived: false, firstChange: 1000, firstTime: Date.now() - 5000, nextChange: 1400, nextTime: Date.now() };
    const header = { dbid: 4242, dbName: 'DBPROD', thread: 1, sequence: 7, resetlogsId: 99, firstChange: 1000, nextChange: 0, firstTime: g.firstTime, nextTime: 0, blocks: 0 };
    const records = Array.from({ length: 399 }, (_, i) => encodeRecord({ type: RecType.Delta, scn: 1000 + i, file: 4, block: 2 + (i % 30), prior: 0, offset: 100, data: Buffer.alloc(600, i % 256) }));
    fs.writeFileSync(online, Buffer.concat([encodeLogHeader(header), ...records]));
    const c = {
      dbid: 4242, dbName: 'DBPROD', resetlogsId: 99, resetlogsScn: 1, archivedLogs: [], nextRecid: 1, params: { log_archive_format: '%t_%s_%r.dbf' },
      dests: [{ id: 1, location: dest, status: 'VALID', error: '', full: false }],
    } as unknown as Control;
    const arch = new Archiver({ c, alert: () => undefined, save: () => undefined, running: () => true });
    arch.chunkBytes = 16 * 1024;
    arch.chunkDelayMs = 15;
    const file = path.join(dest, '1_7_99.dbf');
    const seen: string[] = [];
    let done = false;
    const finished = arch.waitFor(7).then(() => (done = true));
    arch.enqueue(g);
    while (!done) {
      if (fs.existsSync(file)) {
        const buf = fs.readFileSync(file);
        const h = decodeLogHeader(buf);
        if (!done && h && h.nextChange > 0) seen.push(`a complete-looking header (NEXT_CHANGE# ${h.nextChange}) on a file of ${buf.length} bytes while ARCn was still writing it`);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await finished;
    assert.deepEqual(seen, []);
    const h = decodeLogHeader(fs.readFileSync(file))!;
    assert.equal(h.nextChange, 1400);
    assert.equal(fs.statSync(file).size, (h.blocks + 1) * REDO_BLOCK);
  });
});
