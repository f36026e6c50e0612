// rsync's output as the tools read it, from real runs: the fixtures are rsync 3.5.0's stdout
// and stderr, captured byte for byte, of a datafile whose DR copy was overwritten while the
// receiver rebuilt it, so its whole-file checksum failed and rsync sent it again (phase 2).
// Command: rsync -a -L -I --inplace --no-W --bwlimit=2000 --info=progress2
//   --out-format='@@F|%l|%b|%n' [--info=name1] --files-from=list src/ dst/   (exit 0)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseStderrLine, parseStdoutLine } from '../../lib/rsyncOutput.ts';

const fixture = (name: string) => fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name), 'utf8');
const lines = (text: string) => text.split(/[\r\n]/).filter((l) => l !== '');

test('a file sent twice (phase 2 after a failed checksum on DR) shows two out-format lines', () => {
  const parsed = lines(fixture('rsync-redo.stdout')).map(parseStdoutLine);
  const files = parsed.filter((p) => p.kind === 'file');
  assert.deepEqual(files, [
    { kind: 'file', name: 'a.dbf', length: 8388608, sent: 4202651 },
    { kind: 'file', name: 'a.dbf', length: 8388608, sent: files[1].kind === 'file' ? files[1].sent : -1 },
  ]);
  assert.ok(parsed.some((p) => p.kind === 'progress' && p.bytes === 16777216), 'progress2 counts the file twice (200%)');
  assert.deepEqual(parsed.filter((p) => p.kind === 'other'), []);
  assert.equal(fixture('rsync-redo.stderr'), '', 'without --info=name the receiver says nothing: only the second line tells');
});

test('with --info=name1 the receiver also warns, in the format of every version from 3.1.2', () => {
  assert.deepEqual(lines(fixture('rsync-redo-name1.stderr')).map(parseStderrLine), [{ kind: 'verification', name: 'a.dbf', outcome: 'retained', again: true }]);
  assert.deepEqual(parseStderrLine('ERROR: d/users 01.dbf failed verification -- update discarded.'), { kind: 'verification', name: 'd/users 01.dbf', outcome: 'discarded', again: false });
  assert.deepEqual(parseStderrLine('rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1394) [sender=3.5.0]').kind, 'other');
});

test('implied directories are not files; names keep | and spaces', () => {
  assert.deepEqual(parseStdoutLine('@@F|4096|0|linkdir/'), { kind: 'dir' });
  assert.deepEqual(parseStdoutLine('@@F|300|343|a|b c.dbf'), { kind: 'file', name: 'a|b c.dbf', length: 300, sent: 343 });
});
