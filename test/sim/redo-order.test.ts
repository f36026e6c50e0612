// Every redo record lies inside its log's [FIRST_CHANGE#, NEXT_CHANGE#): recovery that resumes at
// a log boundary (a standby recovered pass by pass) skips what is below the header checkpoint,
// so a record written into the next log with an older SCN would be lost (ORA-00600 [3020]).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { decodeLogHeader, readRedo, REDO_BLOCK } from './instance/redo-format.ts';
import { sandbox, type Sandbox } from './instance/testkit.ts';

const boxes: Sandbox[] = [];
after(() => boxes.forEach((b) => b.cleanup()));

describe('redo ordering across log switches', () => {
  it('no archived log holds a record below its FIRST_CHANGE# or at/above its NEXT_CHANGE#', async () => {
    const sb = sandbox(['--tablespaces', '1', '--datafiles', '3', '--size', '64', '--log-size', '32K']);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'workload', rate: 3000 });
    await new Promise((r) => setTimeout(r, 1500));
    await sb.admin({ cmd: 'workload', stop: true });
    await sb.sql('alter system archive log current');
    const names = (await sb.rows('select name from v$archived_log where dest_id = 1 order by sequence#')).map((r) => String(r[0]));
    assert.ok(names.length >= 5, `several log switches under load: ${names.length}`);
    const outside: string[] = [];
    for (const n of names) {
      const buf = fs.readFileSync(n);
      const h = decodeLogHeader(buf)!;
      for (const r of readRedo(buf, REDO_BLOCK, REDO_BLOCK + (h.redoBytes ?? 0)).records) {
        if (r.scn < h.firstChange || r.scn >= h.nextChange) outside.push(`sequence ${h.sequence} [${h.firstChange}, ${h.nextChange}): record at SCN ${r.scn}`);
      }
    }
    assert.deepEqual(outside, []);
  });
});
