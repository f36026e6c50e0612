// `sim verify` certifies a recovered standby: it fails while any recovered datafile header is
// still fuzzy or the files are not at one checkpoint SCN (recovery did not finish).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { convertArg, copyTo, quoteIdent, sandbox, type Sandbox } from './instance/testkit.ts';
import { verifyStandby } from './verify.ts';

const boxes: Sandbox[] = [];
after(() => boxes.forEach((b) => b.cleanup()));

describe('verify needs a finished recovery', () => {
  it('files copied in backup mode, no END BACKUP, no logs, no recover: verify fails saying why', async () => {
    const sb = sandbox(['--tablespaces', '1', '--datafiles', '5', '--size', '32', '--seed', '31', '--log-size', '64K']);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    const tss = (await sb.rows("select tablespace_name from dba_tablespaces where contents <> 'TEMPORARY' order by 1")).map((r) => String(r[0]));
    // each tablespace enters backup mode at its own SCN (a few changes in between), then all files are copied
    for (const ts of tss) {
      await sb.admin({ cmd: 'change', file: 1, count: 3 });
      await sb.sql(`alter tablespace ${quoteIdent(ts)} begin backup`);
    }
    for (const [name] of await sb.rows('select name from v$datafile')) copyTo(sb, String(name));
    const controlfile = path.join(sb.dr, 'standby.ctl');
    await sb.sql(`alter database create standby controlfile as '${controlfile}'`);
    const v = verifyStandby({ controlfile, convert: convertArg(sb) });
    assert.equal(v.ok, false, v.lines.join('\n'));
    const files = (await sb.rows('select file#, change# from v$backup order by file#')).map((r) => [Number(r[0]), Number(r[1])]);
    for (const [file, change] of files) {
      assert.ok(v.lines.includes(`verify: file ${file}: header still fuzzy (in backup mode since SCN ${change}): recovery has not passed its END BACKUP marker`), v.lines.join('\n'));
    }
    assert.ok(v.lines.some((l) => l.startsWith('verify: the recovered files are not at one checkpoint SCN: ')), v.lines.join('\n'));
    assert.equal(v.lines.at(-1), `verify: FAILED: recovery has not finished (${files.length + 1} header problems); blocks are only compared once every recovered file is consistent`);
  });
});
