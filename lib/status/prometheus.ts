// status.ts --prometheus: the status in the Prometheus text exposition format (0.0.4), for
// node_exporter's textfile collector. Every series carries sid="…"; a value that is not
// known (nothing shipped yet, standby not configured) is left out rather than faked.
import type { DatabaseStatus, Severity, Unreadable } from './types.ts';
import { TOOLS } from './types.ts';

const CODE: Record<Severity, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

type Labels = Record<string, string | number>;
interface Family {
  name: string;
  help: string;
  samples: (s: DatabaseStatus) => [Labels, number | null][];
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const FAMILIES: Family[] = [
  { name: 'dr_status', help: 'Overall status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (as status.ts --check).', samples: (s) => [[{}, CODE[s.status]]] },
  {
    name: 'dr_condition',
    help: 'A condition that is active now (1), by id and severity; the same list the alerts use.',
    samples: (s) => s.conditions.map((c) => [{ condition: c.id, severity: c.severity }, 1]),
  },
  { name: 'dr_backup_cycle', help: 'Backup cycle state (1 for the current one): none, waiting, copying, complete, failed, incomplete.', samples: (s) => [[{ state: s.backup.cycle }, 1]] },
  {
    name: 'dr_backup_tablespaces',
    help: 'Tablespaces of this backup cycle by state.',
    samples: (s) => (['done', 'inBackupMode', 'pending', 'failed'] as const).map((k) => [{ state: k === 'inBackupMode' ? 'in_backup_mode' : k }, s.backup.tablespaces[k]]),
  },
  { name: 'dr_backup_copied_bytes', help: 'Bytes copied by the last hot backup run.', samples: (s) => [[{}, s.backup.bytes?.done ?? null]] },
  { name: 'dr_backup_total_bytes', help: 'Bytes the last hot backup run planned to copy.', samples: (s) => [[{}, s.backup.bytes?.total ?? null]] },
  {
    name: 'dr_backup_mode_max_seconds',
    help: 'Longest time a tablespace has been in backup mode (0: none).',
    samples: (s) => [[{}, s.backup.inBackupMode.reduce((m, x) => Math.max(m, x.seconds ?? 0), 0)]],
  },
  { name: 'dr_backup_last_exit_code', help: 'Exit code of the last finished hot_backup_ts run.', samples: (s) => [[{}, s.backup.lastRun?.exitCode ?? null]] },
  { name: 'dr_transport_production_sequence', help: 'Sequence of the current online log on production.', samples: (s) => s.transport.threads.map((t) => [{ thread: t.thread }, t.productionSequence]) },
  { name: 'dr_transport_archived_sequence', help: 'Newest archived sequence on production.', samples: (s) => s.transport.threads.map((t) => [{ thread: t.thread }, t.archivedSequence]) },
  { name: 'dr_transport_shipped_sequence', help: 'Newest sequence shipped to DR (every earlier one needed is there too).', samples: (s) => s.transport.threads.map((t) => [{ thread: t.thread }, t.shippedSequence]) },
  { name: 'dr_transport_lag_sequences', help: 'Archived sequences not yet on DR.', samples: (s) => s.transport.threads.map((t) => [{ thread: t.thread }, t.lagSequences]) },
  {
    name: 'dr_transport_lag_seconds',
    help: 'Redo time archived on production but not yet on DR (NEXT_TIME of the newest archived log minus that of the newest shipped one).',
    samples: (s) => s.transport.threads.map((t) => [{ thread: t.thread }, t.lagSeconds]),
  },
  { name: 'dr_transport_last_pass_age_seconds', help: 'Seconds since the shipper last completed a pass (the figures above are as of then).', samples: (s) => [[{}, s.transport.lastPassAgeSeconds]] },
  { name: 'dr_transport_gaps', help: 'Archived logs missing before the newest shipped one (the standby cannot recover past a gap).', samples: (s) => [[{}, s.transport.gaps.length]] },
  {
    name: 'dr_archive_dest_valid',
    help: 'Local archive destination status is VALID (1) or not (0: ERROR, FULL, ...).',
    samples: (s) => (s.transport.archiveDests?.dests ?? []).map((d) => [{ dest_id: d.destId }, d.status === 'VALID' ? 1 : 0]),
  },
  {
    name: 'dr_archive_dest_used_percent',
    help: 'Used space of the filesystem holding a local archive destination.',
    samples: (s) => (s.transport.archiveDests?.dests ?? []).map((d) => [{ dest_id: d.destId }, d.usedPercent]),
  },
  { name: 'dr_recovery_area_used_percent', help: 'Used share of the fast recovery area quota (reclaimable space counted as free).', samples: (s) => [[{}, s.transport.archiveDests?.recoveryArea?.usedPercent ?? null]] },
  { name: 'dr_tool_up', help: 'The tool runs and its heartbeat is fresh (1), or not (0).', samples: (s) => TOOLS.map((t) => [{ tool: t }, s.tools[t].state === 'running' ? 1 : 0]) },
  { name: 'dr_tool_heartbeat_age_seconds', help: "Seconds since the tool's last heartbeat.", samples: (s) => TOOLS.map((t) => [{ tool: t }, s.tools[t].heartbeatAgeSeconds]) },
  { name: 'dr_standby_configured', help: 'The DR-side apply reports its progress (1), or not yet (0).', samples: (s) => [[{}, s.standby.configured ? 1 : 0]] },
  {
    name: 'dr_standby_applied_sequence',
    help: 'Newest sequence applied on the standby.',
    samples: (s) => (s.standby.configured ? s.standby.threads.map((t) => [{ thread: t.thread }, t.appliedSequence]) : []),
  },
  { name: 'dr_standby_apply_lag_sequences', help: 'Archived sequences not yet applied on the standby.', samples: (s) => (s.standby.configured ? [[{}, s.standby.lagSequences]] : []) },
  { name: 'dr_standby_apply_lag_seconds', help: 'Apply lag in seconds, as apply_standby reports it.', samples: (s) => (s.standby.configured ? [[{}, s.standby.lagSeconds]] : []) },
  { name: 'dr_standby_archive_dir_used_percent', help: 'Used space of the filesystem of the DR archive directory (archivelog.dest_dir), as apply_standby housekeeping last saw it.', samples: (s) => (s.standby.configured && s.standby.drArchive ? [[{}, s.standby.drArchive.usedPercent]] : []) },
  { name: 'dr_standby_archive_dir_free_bytes', help: 'Free bytes on the filesystem of the DR archive directory, as apply_standby housekeeping last saw it.', samples: (s) => (s.standby.configured && s.standby.drArchive ? [[{}, s.standby.drArchive.availBytes]] : []) },
  { name: 'dr_standby_consistent', help: 'The standby has passed the consistent point of this cycle (1).', samples: (s) => (s.standby.configured ? [[{}, s.standby.consistent ? 1 : 0]] : []) },
];

/** `unreadable` (status --all): one dr_config_unreadable series per configuration that could not be read. */
export function renderPrometheus(dbs: DatabaseStatus[], now: Date, unreadable: Unreadable[] = []): string {
  const out: string[] = [];
  for (const f of FAMILIES) {
    const lines: string[] = [];
    for (const s of dbs) {
      for (const [labels, value] of f.samples(s)) {
        if (value === null) continue;
        const all = { sid: s.sid, ...labels };
        lines.push(`${f.name}{${Object.entries(all).map(([k, v]) => `${k}="${esc(String(v))}"`).join(',')}} ${value}`);
      }
    }
    if (!lines.length) continue;
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`, ...lines);
  }
  if (unreadable.length) {
    out.push('# HELP dr_config_unreadable A configuration of status --all whose status could not be read (1): invalid, or its state files are.', '# TYPE dr_config_unreadable gauge');
    for (const u of unreadable) out.push(`dr_config_unreadable{config="${esc(u.config)}"${u.sid !== null ? `,sid="${esc(u.sid)}"` : ''}} 1`);
  }
  out.push('# HELP dr_status_generated_timestamp_seconds When this status was computed (Unix time).', '# TYPE dr_status_generated_timestamp_seconds gauge');
  out.push(`dr_status_generated_timestamp_seconds ${Math.floor(now.getTime() / 1000)}`);
  return out.join('\n') + '\n';
}
