// The correct manual procedure, under a running workload, recovers and verifies identical.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { recoverStandby } from './recover.ts';
import { verifyStandby } from './verify.ts';
import fs from 'node:fs';
import { blockDefect } from './instance/block.ts';
import { readBlock } from './instance/datafile.ts';
import { convertArg, drPath, manualBackup, sandbox, type Sandbox } from './instance/testkit.ts';

const boxes: Sandbox[] = [];
after(() => boxes.forEach((b) => b.cleanup()));

describe('correct hot backup procedure', () => {
  for (const seed of [1, 2, 3]) {
    it(`recovers and verifies identical under load (seed ${seed})`, async () => {
      const sb = sandbox(['--tablespaces', '3', '--datafiles', '9', '--size', '96', '--seed', String(seed), '--log-size', '64K', '--odd-names']);
      boxes.push(sb);
      assert.equal(sb.sim('start').code, 0);
      await sb.admin({ cmd: 'workload', rate: 1500 });
      await new Promise((r) => setTimeout(r, 300));
      const { controlfile, shipped } = await manualBackup(sb, {
        // seed 1 also forces a fractured block inside backup mode: the full image repairs it
        beforeCopy: seed === 1 ? async (ts, files) => {
          if (ts === 'USERS') await sb.admin({ cmd: 'fault', fault: 'fracture', file: 4 });
          void files;
        } : undefined,
        afterCopy: async (ts) => {
          if (seed === 1 && ts === 'USERS') {
            const { released: held } = await sb.admin({ cmd: 'fault', fault: 'release' });
            const fd = fs.openSync(drPath(sb, held.name), 'r');
            const defect = blockDefect(readBlock(fd, held.block), held.file, held.block);
            fs.closeSync(fd);
            assert.match(String(defect), /fractured/, 'the copy holds a fractured block');
          }
          await new Promise((r) => setTimeout(r, 80));
        },
      });
      assert.ok(shipped.length >= 2, `several logs shipped: ${shipped}`);
      const r = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
      assert.equal(r.ok, true, r.lines.join('\n'));
      const v = verifyStandby({ controlfile, convert: convertArg(sb) });
      assert.equal(v.ok, true, v.lines.join('\n'));
      assert.match(v.lines.at(-1)!, new RegExp(`^verify: \\d+ files, \\d+ blocks identical at SCN ${r.scn}$`));
      // the workload kept changing production: the standby is behind the current SCN
      const [[cur]] = await sb.rows('select current_scn from v$database');
      assert.ok(Number(cur) > r.scn);
    });
  }
});
