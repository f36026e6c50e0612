// Ways rsync can report a datafile copied when DR did not get it, or got it outside its
// backup window: a datafile moved to another mount and linked back, a datafile path that is
// not a file at all, and rsync's second pass for a file whose checksum failed on DR.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { shipAndRecover, withWorld } from './steps.ts';
import { waitFor, type World } from './world.ts';


/** Where the world's path_map sends a production path (prod/uNN/... -> dr/u(NN+10)/...). */
function drPathOf(w: World, src: string): string {
  const rel = path.relative(w.prod, src);
  const [mount, ...rest] = rel.split(path.sep);
  return path.join(w.dr, `u${Number(mount.slice(1)) + 10}`, ...rest);
}

async function datafiles(w: World): Promise<{ ts: string; id: number; name: string; bytes: number }[]> {
  return (await w.query(`SELECT tablespace_name || '|' || file_id || '|' || file_name || '|' || bytes FROM dba_data_files ORDER BY file_id`)).map((r) => {
    const [ts, id, name, bytes] = r.split('|');
    return { ts, id: Number(id), name, bytes: Number(bytes) };
  });
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a datafile moved to another mount and linked back, and a linked directory in a path: DR gets the content, not links', async () => {
  await withWorld({ tablespaces: 3, datafiles: 6, ssh: true }, async (w) => {
    const files = await datafiles(w);
    const moved = files.find((f) => f.ts.startsWith('APP'))!;
    const newMount = path.join(w.sb.dir, 'newmount');
    fs.mkdirSync(newMount);
    // the datafile itself is a link to its new home (same inode: the instance keeps writing it)
    fs.renameSync(moved.name, path.join(newMount, 'moved.dbf'));
    fs.symlinkSync(path.join(newMount, 'moved.dbf'), moved.name);
    // and the directory of another datafile is a link
    const other = files.find((f) => path.dirname(f.name) !== path.dirname(moved.name) && f.ts !== moved.ts)!;
    const dir = path.dirname(other.name);
    fs.renameSync(dir, path.join(newMount, 'dir'));
    fs.symlinkSync(path.join(newMount, 'dir'), dir);

    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    assert.equal((await w.sim(['workload', '--rate', '200'])).code, 0);
    const r = await w.tool('hot_backup_ts');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((await w.sim(['workload', '--stop'])).code, 0);
    for (const f of [moved, other]) {
      const st = fs.lstatSync(drPathOf(w, f.name));
      assert.ok(st.isFile(), `${drPathOf(w, f.name)} must be a regular file on DR, not a link to a production path`);
      assert.ok(st.size >= f.bytes + 2048, `${drPathOf(w, f.name)} holds the whole file`);
    }
    await shipAndRecover(w);
  });
});

test('a datafile path that is not a regular file is refused before any backup window, naming the file', async () => {
  await withWorld({ tablespaces: 2, datafiles: 4, ssh: true }, async (w) => {
    const f = (await datafiles(w)).find((x) => x.ts.startsWith('APP'))!;
    const away = path.join(w.sb.dir, 'away.dbf');
    fs.renameSync(f.name, away);
    fs.symlinkSync(path.join(w.sb.dir, 'gone', 'x.dbf'), f.name); // a link to nothing (the mount is not there)
    try {
      assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
      const r = await w.tool('hot_backup_ts');
      assert.equal(r.code, 8, r.stdout + r.stderr);
      assert.equal(
        r.stderr.slice(r.stderr.indexOf('hot_backup_ts: ')), // after the FORCE LOGGING warning
        `hot_backup_ts: 1 datafile(s) cannot be copied as files:\n  ${f.name} (tablespace ${f.ts}, file ${f.id}) is a symbolic link to ${path.join(w.sb.dir, 'gone', 'x.dbf')}, which does not exist\n` +
          'HINT: the tools copy datafiles that are regular files on a filesystem (a symbolic link to one is followed and its content copied); raw devices and ASM are not supported. Check DBA_DATA_FILES.FILE_NAME and the filesystem, then re-run\n',
      );
      assert.deepEqual(await w.activeBackups(), []);
      assert.equal(fs.readdirSync(path.join(w.sb.dir, 'state')).filter((n) => n.endsWith('.done')).length, 0);
    } finally {
      fs.rmSync(f.name);
      fs.renameSync(away, f.name);
    }
  });
});

/** Pids of rsync processes holding `file` open for writing (the receiver, once the generator has sent its checksums). */
function writers(file: string): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'rsync') continue;
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) !== file) continue;
        const flags = /flags:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))![1];
        if ((parseInt(flags, 8) & 3) !== 0) out.push(Number(pid));
      }
    } catch {} // the process or fd went away
  }
  return out;
}

test("rsync's second pass (checksum failed on DR) counts as a failed copy and the file is copied again in a new window", async () => {
  await withWorld({ tablespaces: 2, datafiles: 3, blocks: 1024, ssh: true, parallel: 1, extraConfig: { rsync: { retries: 1, timeout_seconds: 60 } } }, async (w) => {
    assert.equal((await w.tool('copy_archivelog', ['--once'])).code, 0);
    const first = await w.tool('hot_backup_ts');
    assert.equal(first.code, 0, first.stdout + first.stderr);
    // A new cycle: every datafile is copied again, over the DR copy (rsync's delta transfer).
    assert.equal((await w.tool('copy_archivelog', ['--once', '--new-cutoff'])).code, 0);
    const target = (await datafiles(w)).filter((f) => f.ts.startsWith('APP')).sort((a, b) => b.bytes - a.bytes)[0];
    const drFile = drPathOf(w, target.name);
    const size = fs.statSync(drFile).size;
    assert.ok(size >= 4 * 1024 * 1024, `a large enough datafile (${size} bytes)`);
    // The first three quarters of the DR copy differ, so rsync sends them as data, slowly...
    const head = Math.floor((size * 3) / 4);
    const fd = fs.openSync(drFile, 'r+');
    try {
      fs.writeSync(fd, crypto.randomBytes(head), 0, head, 0);
    } finally {
      fs.closeSync(fd);
    }
    w.updateConfig({ rsync: { bwlimit_kbps: 1000 } });
    const argv = w.toolArgv('hot_backup_ts');
    const child = spawn(argv[0], argv.slice(1), { env: w.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    const exited = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)));
    // ...and once the receiver has the file open, DR's copy of a later region changes under it:
    // the blocks it takes from there no longer match, and the whole-file checksum fails.
    await waitFor('the receiver to open the DR copy', () => writers(drFile).length > 0 || undefined, 60_000, 5);
    const fd2 = fs.openSync(drFile, 'r+');
    try {
      fs.writeSync(fd2, crypto.randomBytes(65536), 0, 65536, size - 65536);
    } finally {
      fs.closeSync(fd2);
    }
    assert.equal(await exited, 0, stderr);

    const tsLog = w.readLog(`ts_DBPROD.${target.ts}.log`);
    assert.match(tsLog, new RegExp(`rsync is sending ${esc(target.name)} a second time: its checksum failed on DR; this copy will not count`));
    assert.match(tsLog, new RegExp(`copy of ${esc(target.name)} failed: rsync's whole-file checksum failed on DR and rsync sent the file a second time, possibly after END BACKUP: it must be copied again inside a backup window \\(will retry\\)`));
    assert.match(w.readLog('hot_backup_ts.DBPROD.out'), /batch \d+: retry 1 of 1 for 1 file\(s\)/);
    // The certified copy was read in a later window than the failed one.
    const marker = JSON.parse(w.readState(`ts_DBPROD.${target.ts}.done`)!) as { files: { fileId: number; windowScn?: string }[] };
    const windows = [...tsLog.matchAll(/backup window open: header SCN frozen at (\d+)/g)].map((m) => m[1]);
    assert.ok(windows.length >= 2, `two backup windows in this cycle's log:\n${tsLog}`);
    assert.equal(marker.files.find((f) => f.fileId === target.id)?.windowScn, windows[windows.length - 1]);
    w.updateConfig({ rsync: { bwlimit_kbps: 0 } });
    await shipAndRecover(w);
  });
});
