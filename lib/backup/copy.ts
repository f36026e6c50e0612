// Applies a backup plan: `parallel` workers pull rsync batches from one queue, so a huge
// file keeps one worker busy while the others go on with the next tablespaces. A tablespace
// is in backup mode from the start of the first batch holding one of its files until the
// sender has read its last file; which files of a batch are verified is attribution.ts's
// call; `ts_<TS>.done` is written only when every file of the tablespace is verified.
import { setTimeout as sleep } from 'node:timers/promises';
import { displayArgv } from '../exec.ts';
import type { Logger } from '../log.ts';
import { describeExit, startRsync, type RunningRsync } from '../rsync.ts';
import { failedInBatch } from './attribution.ts';
import { relativeToRoot, type Batch, type BackupPlan, type DoneMarker, type FilePlan, type TablespacePlan } from './plan.ts';
import type { Windows } from './windows.ts';

export interface CopyDeps {
  windows: Windows;
  log: Logger;
  tsLog: (ts: string) => Logger;
  rsyncLog: (line: string) => void;
  /** rsh: the value of rsync's -e for worker n (its own ssh connection, or the shared one). */
  rsync: { program: string; args: string[]; rsh: (worker: number) => string | undefined; destSpec: (dir: string) => string; retries: number };
  writeDone: (marker: DoneMarker) => void;
  cutoff: bigint;
  parallel: number;
  onBytes?: (doneBytes: number) => void;
  /** Per-batch rsync flags, output and end (lib/transfer/streams.ts: transfer mode, --stats, bandwidth share). */
  batchRsync?: { args(batch: Batch, queuedAfter: number): string[]; output(batch: Batch, line: string): void; done(batch: Batch): void };
}

export interface CopyOutcome {
  done: string[];
  failed: { tablespace: string; files: { source: string; reason: string }[] }[];
  interrupted: boolean;
}

interface TsState {
  plan: TablespacePlan;
  toSend: Set<number>; // files not yet read by a sender in the current window
  unverified: Set<number>;
  failures: Map<number, string>;
  running: number; // batches in flight holding files of this tablespace
}

export async function copyPlan(plan: BackupPlan, deps: CopyDeps, outer: AbortSignal): Promise<CopyOutcome> {
  // A worker that fails (e.g. BEGIN BACKUP refused) stops every other worker, and copyPlan
  // returns only once all have stopped: no copy may go on after the caller ends the windows,
  // and no .done marker may be written for a copy read outside its window.
  const ac = new AbortController();
  const signal = ac.signal;
  const onOuter = () => ac.abort(outer.reason);
  if (outer.aborted) onOuter();
  outer.addEventListener('abort', onOuter);
  const ts = new Map<string, TsState>();
  for (const p of plan.tablespaces) {
    const ids = p.files.map((f) => f.fileId);
    ts.set(p.name, { plan: p, toSend: new Set(ids), unverified: new Set(ids), failures: new Map(), running: 0 });
  }
  const queue: { batch: Batch; attempt: number }[] = plan.batches.map((batch) => ({ batch, attempt: 0 }));
  const running = new Set<RunningRsync>();
  // The window each file was read in, taken when the sender reports it (a later window for a
  // retried sibling must not rewrite it: the NOLOGGING check compares against this SCN).
  const readInWindow = new Map<number, bigint>();
  const outcome: CopyOutcome = { done: [], failed: [], interrupted: false };
  let verifiedBytes = 0;
  const inFlightBytes = new Map<number, number>();
  const report = () => deps.onBytes?.(verifiedBytes + [...inFlightBytes.values()].reduce((a, b) => a + b, 0));
  const onAbort = () => {
    for (const r of running) r.child.kill('SIGTERM');
  };
  signal.addEventListener('abort', onAbort);

  const maybeEnd = async (s: TsState) => {
    if (s.toSend.size === 0 && deps.windows.isOpen(s.plan.name)) {
      await deps.windows.close(s.plan.name);
    }
  };

  const finish = async (s: TsState) => {
    if (s.unverified.size > 0 || s.running > 0) return;
    const name = s.plan.name;
    if (s.failures.size === 0 && !signal.aborted) {
      // copied without backup mode because its container was closed or read only: still so?
      const why = await deps.windows.openedDuringCopy(s.plan);
      if (why !== undefined) for (const f of s.plan.files) s.failures.set(f.fileId, why);
    }
    if (s.failures.size > 0) {
      await deps.windows.close(name);
      outcome.failed.push({
        tablespace: name,
        files: s.plan.files.filter((f) => s.failures.has(f.fileId)).map((f) => ({ source: f.source, reason: s.failures.get(f.fileId)! })),
      });
      deps.tsLog(name).error(`NOT DONE: ${s.failures.size} file(s) failed; no .done marker written`);
      return;
    }
    if (signal.aborted) return; // the run is stopping: certify nothing more
    await deps.windows.close(name);
    deps.writeDone({
      tablespace: name,
      cutoffScn: deps.cutoff.toString(),
      files: [
        ...s.plan.keptFiles,
        ...s.plan.files.map((f) => {
          const w = readInWindow.get(f.fileId);
          return { fileId: f.fileId, source: f.source, dest: f.dest, bytes: f.bytes, ...(s.plan.window === 'none' || w === undefined ? {} : { windowScn: w.toString() }) };
        }),
      ],
      completedAt: new Date().toISOString(),
    });
    outcome.done.push(name);
    deps.tsLog(name).info(`DONE: ${s.plan.files.length} file(s) copied and verified`);
  };

  // `extraArgs`: the batch's own flags, taken when its worker took it off the queue, before any
  // await: a bandwidth share counts the batches still queued, and a worker whose BEGIN BACKUP
  // answered first must not take the share of one that took a batch before it (it would leave
  // that stream 1 KiB/s for its whole copy).
  const runBatch = async (item: { batch: Batch; attempt: number }, worker: number, extraArgs: string[]) => {
    const { batch } = item;
    const states = batch.tablespaces.map((n) => ts.get(n)!);
    try {
      for (const s of states) {
        s.running++;
        for (const f of batch.files) if (f.tablespace === s.plan.name) s.toSend.add(f.fileId);
        await deps.windows.ensure(s.plan);
      }
    } catch (err) {
      deps.batchRsync?.done(batch); // its share goes back
      throw err;
    }
    const byRel = new Map<string, FilePlan>(batch.files.map((f) => [relativeToRoot(f.source, batch.srcRoot), f]));
    const seen = new Set<string>();
    deps.log.info(`worker ${worker}: batch ${batch.id}${item.attempt ? ` (retry ${item.attempt})` : ''}: ${batch.files.length} file(s), ${batch.bytes} bytes, tablespaces ${batch.tablespaces.join(', ')}`);
    const r = startRsync({
      rsync: deps.rsync.program,
      args: [...deps.rsync.args, ...extraArgs],
      rsh: deps.rsync.rsh(worker),
      files: [...byRel.keys()],
      srcRoot: batch.srcRoot,
      destSpec: deps.rsync.destSpec(batch.destRoot),
      onStart: (argv) => deps.rsyncLog(`batch ${batch.id}: ${displayArgv(argv)}`),
      onOutput: (line) => {
        deps.rsyncLog(`batch ${batch.id}: ${line}`);
        deps.batchRsync?.output(batch, line);
      },
      onProgress: (b) => {
        inFlightBytes.set(batch.id, b);
        report();
      },
      onFileSent: (name, bytes) => {
        const f = byRel.get(name);
        if (!f) return;
        if (seen.has(name)) {
          deps.tsLog(f.tablespace).warn(`rsync is sending ${f.source} a second time: its checksum failed on DR; this copy will not count`);
          return;
        }
        seen.add(name);
        const s = ts.get(f.tablespace)!;
        s.toSend.delete(f.fileId);
        const w = deps.windows.windowScn.get(f.fileId);
        if (w !== undefined) readInWindow.set(f.fileId, w);
        deps.tsLog(f.tablespace).info(`sent ${f.source} -> ${f.dest} (${bytes} bytes)`);
        void maybeEnd(s).catch((err) => deps.log.error(`END BACKUP failed for ${f.tablespace}: ${(err as Error).message}`));
      },
    });
    running.add(r);
    let res;
    try {
      res = await r.done;
    } finally {
      running.delete(r);
      inFlightBytes.delete(batch.id);
      deps.batchRsync?.done(batch);
    }
    const failures = failedInBatch(batch, res);
    for (const f of batch.files.filter((x) => !failures.has(x))) {
      const s = ts.get(f.tablespace)!;
      s.unverified.delete(f.fileId);
      s.failures.delete(f.fileId);
      verifiedBytes += f.bytes;
    }
    if (failures.size) {
      if (signal.aborted) deps.log.warn(`batch ${batch.id} stopped: ${describeExit(res.code)}`);
      else deps.log.error(`batch ${batch.id}: ${failures.size} of ${batch.files.length} file(s) failed (${describeExit(res.code)})`);
      const again: FilePlan[] = [];
      for (const [f, { why, retry: retryable }] of failures) {
        const retry = !signal.aborted && retryable && item.attempt < deps.rsync.retries;
        const s = ts.get(f.tablespace)!;
        if (retry) {
          s.toSend.add(f.fileId); // must be read again, inside a (new) window
          again.push(f);
        } else {
          s.toSend.delete(f.fileId);
          s.failures.set(f.fileId, why);
          s.unverified.delete(f.fileId);
        }
        deps.tsLog(f.tablespace).error(`copy of ${f.source} failed: ${why}${retry ? ' (will retry)' : ''}`);
      }
      if (again.length) {
        const pause = Math.min(30, 5 * (item.attempt + 1));
        const retryBatch: Batch = { ...batch, files: again, tablespaces: [...new Set(again.map((f) => f.tablespace))], bytes: again.reduce((a, f) => a + f.bytes, 0) };
        deps.log.warn(`batch ${batch.id}: retry ${item.attempt + 1} of ${deps.rsync.retries} for ${again.length} file(s) in ${pause} s`);
        await sleep(pause * 1000, undefined, { signal }).catch(() => undefined);
        queue.unshift({ batch: retryBatch, attempt: item.attempt + 1 });
      }
    }
    report();
    for (const s of states) {
      s.running--;
      await maybeEnd(s);
      await finish(s);
    }
  };

  let failure: unknown;
  const worker = async (n: number) => {
    try {
      while (queue.length && !signal.aborted) {
        const item = queue.shift()!;
        await runBatch(item, n, deps.batchRsync?.args(item.batch, queue.length) ?? []);
      }
    } catch (err) {
      failure ??= err;
      ac.abort('error');
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, deps.parallel) }, (_, i) => worker(i + 1)));
  } finally {
    signal.removeEventListener('abort', onAbort);
    outer.removeEventListener('abort', onOuter);
  }
  if (failure !== undefined) throw failure;
  outcome.interrupted = outer.aborted;
  return outcome;
}
