// Waits for the next shipping pass: the poll interval, or sooner when a file appears in the
// local archive directory (ARCn creating the next archived log). The V$ARCHIVED_LOG row comes
// only once the file is complete, so a woken pass that finds nothing new costs one query and
// the next wake-up or the poll catches it. A destination that is not a plain directory (FRA,
// USE_DB_RECOVERY_FILE_DEST) is only polled.
import fs from 'node:fs';
import path from 'node:path';

export function waitForNextPass(pollMs: number, watchDir: string | undefined, signal: AbortSignal): Promise<'poll' | 'file' | 'abort'> {
  return new Promise((resolve) => {
    let watcher: fs.FSWatcher | undefined;
    const timers: NodeJS.Timeout[] = [];
    const done = (why: 'poll' | 'file' | 'abort') => {
      watcher?.close();
      for (const t of timers) clearTimeout(t);
      signal.removeEventListener('abort', onAbort);
      resolve(why);
    };
    const onAbort = () => done('abort');
    if (signal.aborted) return done('abort');
    signal.addEventListener('abort', onAbort);
    timers.push(setTimeout(() => done('poll'), pollMs));
    if (watchDir && path.isAbsolute(watchDir)) {
      try {
        watcher = fs.watch(watchDir, () => {
          // The file is still being written; look a little later.
          timers.push(setTimeout(() => done('file'), Math.min(300, pollMs)));
        });
        watcher.on('error', () => undefined);
      } catch {
        watcher = undefined; // not a directory we can watch: poll only
      }
    }
  });
}
