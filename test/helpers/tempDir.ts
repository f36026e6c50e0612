// Temporary directories of one test file, removed once its tests are done, passed or failed:
// the after() hook is registered on the root test when this module is imported (at the top
// of a test file), so a directory made in one test may still be used by the next.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

const made = new Set<string>();
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  made.clear();
});

/** mkdtemp in the OS temp directory (TMPDIR), removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.add(dir);
  return dir;
}
