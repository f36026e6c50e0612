// What bin/status.ts does in each mode. Every mode reads the same status document
// (snapshot.ts): JSON for machines, Prometheus text for node_exporter's textfile collector,
// one check line for Nagios/Zabbix, or an alert evaluation (cron/systemd timer, or --every).
import { setTimeout as sleep } from 'node:timers/promises';
import { evaluateAlerts } from '../alerts/run.ts';
import type { DrConfig } from '../config/index.ts';
import { createContext, lockTool } from '../context.ts';
import { DrError, formatError } from '../errors.ts';
import { writeFileAtomic } from '../state.ts';
import { renderCheck } from './check.ts';
import { renderPrometheus } from './prometheus.ts';
import { collectStatus, statusDocument } from './snapshot.ts';
import { allCheck, allDocument, allPrometheus, allSummary, collectAll } from './all.ts';

export type StatusMode = 'json' | 'prometheus' | 'check' | 'alert';
/** status --all: one line per database (default), the JSON document, Prometheus text or the check line of every database. */
export type StatusAllMode = 'summary' | 'json' | 'prometheus' | 'check';

export interface StatusOptions {
  mode: StatusMode;
  /** Written (atomically, mode 0644 so node_exporter can read it) in every mode. */
  prometheusFile?: string;
  /** --alert: evaluate every this many seconds until stopped, instead of once. */
  everySeconds?: number;
}

function writeProm(file: string, config: DrConfig, now: Date): void {
  writeFileAtomic(file, renderPrometheus([collectStatus(config, now)], now), 0o644);
}

/** Runs one mode; returns the exit code. `load` reads the configuration (its errors are UNKNOWN in --check mode). */
export async function statusCommand(load: () => DrConfig, o: StatusOptions, out: (text: string) => void, signal: AbortSignal): Promise<number> {
  if (o.mode === 'check') {
    try {
      const config = load();
      const now = new Date();
      const r = renderCheck([{ status: collectStatus(config, now), thresholds: config.thresholds }]);
      if (o.prometheusFile) writeProm(o.prometheusFile, config, now);
      out(r.line + '\n');
      return r.exitCode;
    } catch (err) {
      out(`DR UNKNOWN - ${formatError(err).split('\n')[0].replace(/\|/g, '/')}\n`);
      return 3;
    }
  }
  const config = load();
  if (o.mode === 'json' || o.mode === 'prometheus') {
    const now = new Date();
    if (o.prometheusFile) writeProm(o.prometheusFile, config, now);
    if (o.mode === 'json') out(JSON.stringify(statusDocument([collectStatus(config, now)], now), null, 2) + '\n');
    else if (!o.prometheusFile) out(renderPrometheus([collectStatus(config, now)], now));
    return 0;
  }

  const ctx = createContext(config, 'alerts', 'log', { console: false });
  const lock = lockTool(ctx);
  try {
    if (!config.alerts.channels.length) ctx.log.warn('no alert channel is configured (alerts.channels): conditions are only logged here');
    if (o.everySeconds === undefined) {
      if (o.prometheusFile) writeProm(o.prometheusFile, config, new Date());
      const r = await evaluateAlerts(config, ctx.log);
      if (r.failed.length) {
        throw new DrError(`alert delivery failed for ${r.failed.map((f) => f.error).join('; ')}`, {
          hint: `${r.pending} message(s) are kept in ${ctx.state.alerts()} and sent at a later evaluation; see ${ctx.logs.tool('alerts', 'log')}`,
        });
      }
      return 0;
    }
    ctx.log.info(`evaluating alerts every ${o.everySeconds} s`);
    let last = '';
    while (!signal.aborted) {
      try {
        if (o.prometheusFile) writeProm(o.prometheusFile, config, new Date());
        await evaluateAlerts(config, ctx.log);
        last = '';
      } catch (err) {
        const text = formatError(err);
        if (text !== last) ctx.log.error(text);
        last = text;
      }
      await sleep(o.everySeconds * 1000, undefined, { signal }).catch(() => undefined);
    }
    return 0;
  } finally {
    lock.release();
  }
}

/**
 * status --all: every configuration `files()` lists, each loaded by `load`. In --check mode
 * anything that stops the listing is UNKNOWN (exit 3); otherwise the exit code is 0 (the
 * document says what is wrong) and the listing's error is thrown.
 */
export function statusAllCommand(files: () => string[], load: (file: string) => DrConfig, o: { mode: StatusAllMode; prometheusFile?: string }, out: (text: string) => void): number {
  const now = new Date();
  let all;
  try {
    all = collectAll(files(), load, now);
  } catch (err) {
    if (o.mode !== 'check') throw err;
    out(`DR UNKNOWN - ${formatError(err).split('\n')[0].replace(/\|/g, '/')}\n`);
    return 3;
  }
  if (o.prometheusFile) writeFileAtomic(o.prometheusFile, allPrometheus(all, now), 0o644);
  if (o.mode === 'check') {
    const r = allCheck(all);
    out(r.line + '\n');
    return r.exitCode;
  }
  if (o.mode === 'json') out(JSON.stringify(allDocument(all, now), null, 2) + '\n');
  else if (o.mode === 'summary') out(allSummary(all).join('\n') + '\n');
  else if (!o.prometheusFile) out(allPrometheus(all, now));
  return 0;
}
