// The name an archived log gets on DR (lib/archivelog/drNames.ts): LOG_ARCHIVE_FORMAT's, which
// the standby's RECOVER AUTOMATIC looks for, also for OMF logs of a fast recovery area.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drNameOf, formatArchiveName } from '../../lib/archivelog/drNames.ts';
import type { ArchivedLogRow } from '../../lib/db/database.ts';

const row = (name: string): ArchivedLogRow => ({ destId: 1, thread: 1, sequence: 57, resetlogsId: '1122334455', firstScn: 1n, nextScn: 2n, name, status: 'A', deleted: 'NO', blocks: 1, blockSize: 512 });

test('LOG_ARCHIVE_FORMAT is filled in with %t, %s and %r only', () => {
  assert.equal(formatArchiveName('%t_%s_%r.dbf', row('x')), '1_57_1122334455.dbf');
  assert.equal(formatArchiveName('arch_%t_%s_%r.arc', row('x')), 'arch_1_57_1122334455.arc');
  for (const f of ['%t_%S_%r.dbf', '%T_%s_%r.dbf', '%t_%s_%a.dbf', '%d_%t_%s_%r.dbf', 'a/%t_%s_%r', '']) assert.equal(formatArchiveName(f, row('x')), undefined, f);
});

test('a log is shipped under the format name: kept when it already is, renamed when it is an OMF name, left alone (and flagged) when the format cannot be filled in', () => {
  assert.deepEqual(drNameOf(row('/u12/arch/1_57_1122334455.dbf'), '%t_%s_%r.dbf'), { name: '1_57_1122334455.dbf', renamed: false, unmatched: false });
  assert.deepEqual(drNameOf(row('/fra/DBPROD/archivelog/2026_11_28/o1_mf_1_57_abcd1234_.arc'), '%t_%s_%r.dbf'), { name: '1_57_1122334455.dbf', renamed: true, unmatched: false });
  assert.deepEqual(drNameOf(row('/u12/arch/1_0000000057_1122334455.dbf'), '%t_%S_%r.dbf'), { name: '1_0000000057_1122334455.dbf', renamed: false, unmatched: false });
  assert.deepEqual(drNameOf(row('/fra/o1_mf_1_57_abcd1234_.arc'), '%t_%S_%r.dbf'), { name: 'o1_mf_1_57_abcd1234_.arc', renamed: false, unmatched: true });
  assert.deepEqual(drNameOf(row('/fra/o1_mf_1_57_abcd1234_.arc'), undefined), { name: 'o1_mf_1_57_abcd1234_.arc', renamed: false, unmatched: false });
});
