// STARTUP NOMOUNT really is NOMOUNT on a primary, and SHUTDOWN then STARTUP work in one sqlplus
// session (the drill sequence; it used to fail with ORA-01078 because a second instance process
// was started while the first still answered).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sandbox, type Sandbox } from './instance/testkit.ts';

const boxes: Sandbox[] = [];
after(() => boxes.forEach((b) => b.cleanup()));

describe('STARTUP modes of a primary, in one sqlplus session', () => {
  it('SHUTDOWN, STARTUP NOMOUNT (STARTED, ORA-01507), ALTER DATABASE MOUNT, OPEN, SHUTDOWN, STARTUP MOUNT', async () => {
    const sb = sandbox(['--tablespaces', '1', '--datafiles', '2', '--size', '32']);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    const p = sb.sqlplus();
    const down = await p.run('shutdown immediate', { cmd: true });
    assert.deepEqual(down.lines, ['Database closed.', 'Database dismounted.', 'ORACLE instance shut down.']);
    const up = await p.run('startup nomount', { cmd: true });
    assert.ok(up.lines.includes('ORACLE instance started.'), up.lines.join('\n'));
    assert.equal(up.lines.some((l) => /ORA-|Database mounted/.test(l)), false, up.lines.join('\n'));
    assert.deepEqual(await p.rows('select status from v$instance'), ['STARTED']);
    assert.deepEqual(await p.error('select name from v$database'), ['ORA-01507: database not mounted']);
    assert.deepEqual(await p.error('alter system switch logfile'), ['ORA-01507: database not mounted']);
    assert.deepEqual(await p.error('alter database mount standby database'), ['ORA-01665: control file is not a standby control file']);
    await p.exec('alter database mount');
    assert.deepEqual(await p.rows('select status from v$instance'), ['MOUNTED']);
    assert.deepEqual(await p.error('alter database mount'), ['ORA-01100: database already mounted']);
    await p.exec('alter database open');
    assert.deepEqual(await p.rows('select open_mode from v$database'), ['READ WRITE']);
    await p.run('shutdown immediate', { cmd: true });
    const mount = await p.run('startup mount', { cmd: true });
    assert.ok(mount.lines.includes('Database mounted.'), mount.lines.join('\n'));
    assert.deepEqual(await p.rows('select status from v$instance'), ['MOUNTED']);
    await p.exec('alter database open');
    assert.equal(await p.close(), 0);
  });
});
