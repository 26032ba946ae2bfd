// Everything `stsvol operator` exports on /metrics, in one registry. Names follow Prometheus'
// conventions (base units, _total for counters); `stsvol alerts` builds its rules on these names.

import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export const METRIC = {
  findings: 'stsvol_findings',
  volumeUsedBytes: 'stsvol_volume_used_bytes',
  volumeCapacityBytes: 'stsvol_volume_capacity_bytes',
  volumeInodesUsed: 'stsvol_volume_inodes_used',
  volumeInodes: 'stsvol_volume_inodes',
  volumeFullInSeconds: 'stsvol_volume_full_in_seconds',
  volumeStatsUnavailable: 'stsvol_volume_stats_unavailable',
  expansions: 'stsvol_expansions_total',
  expansionFailures: 'stsvol_expansion_failures_total',
  templateSyncs: 'stsvol_template_syncs_total',
  janitorActions: 'stsvol_janitor_actions_total',
  apiRequests: 'stsvol_api_requests_total',
  watchRestarts: 'stsvol_watch_restarts_total',
  events: 'stsvol_events_total',
  leader: 'stsvol_leader',
  lastEvaluation: 'stsvol_last_evaluation_timestamp_seconds',
} as const;

const CLAIM = ['namespace', 'persistentvolumeclaim'] as const;

export class OperatorMetrics {
  readonly registry = new Registry();
  readonly findings = new Gauge({ name: METRIC.findings, help: 'Current doctor findings, by check, severity, namespace and workload.', labelNames: ['check', 'severity', 'namespace', 'workload'], registers: [this.registry] });
  readonly usedBytes = new Gauge({ name: METRIC.volumeUsedBytes, help: 'Bytes used on the volume of a claim, as its kubelet reports.', labelNames: CLAIM, registers: [this.registry] });
  readonly capacityBytes = new Gauge({ name: METRIC.volumeCapacityBytes, help: 'Capacity of the file system on the volume of a claim.', labelNames: CLAIM, registers: [this.registry] });
  readonly inodesUsed = new Gauge({ name: METRIC.volumeInodesUsed, help: 'Inodes used on the volume of a claim.', labelNames: CLAIM, registers: [this.registry] });
  readonly inodes = new Gauge({ name: METRIC.volumeInodes, help: 'Inodes of the file system on the volume of a claim.', labelNames: CLAIM, registers: [this.registry] });
  readonly fullIn = new Gauge({ name: METRIC.volumeFullInSeconds, help: 'Forecast: seconds until the volume is full (bytes or inodes) at its recent rate; absent when it is not filling.', labelNames: CLAIM, registers: [this.registry] });
  readonly statsUnavailable = new Gauge({ name: METRIC.volumeStatsUnavailable, help: 'A claim that opted in to auto-expansion but whose usage cannot be read, with the reason.', labelNames: [...CLAIM, 'reason'], registers: [this.registry] });
  readonly expansions = new Counter({ name: METRIC.expansions, help: 'Claims grown by auto-expansion.', labelNames: ['namespace'], registers: [this.registry] });
  readonly expansionFailures = new Counter({ name: METRIC.expansionFailures, help: 'Auto-expansions refused or failed, by reason.', labelNames: ['namespace', 'reason'], registers: [this.registry] });
  readonly templateSyncs = new Counter({ name: METRIC.templateSyncs, help: 'StatefulSet template syncs after their claims grew, by result.', labelNames: ['namespace', 'result'], registers: [this.registry] });
  readonly janitorActions = new Counter({ name: METRIC.janitorActions, help: 'VolumeAttachments the janitor deleted (or would delete in dry-run), by reason and result.', labelNames: ['reason', 'result'], registers: [this.registry] });
  readonly apiRequests = new Counter({ name: METRIC.apiRequests, help: 'Requests to the Kubernetes API server, by verb, resource and status code.', labelNames: ['verb', 'resource', 'code'], registers: [this.registry] });
  readonly watchRestarts = new Counter({ name: METRIC.watchRestarts, help: 'Watches started again, by kind and reason (expired, resync, error, closed).', labelNames: ['kind', 'reason'], registers: [this.registry] });
  readonly events = new Counter({ name: METRIC.events, help: 'Kubernetes Events written for findings and actions, by result (created, updated, throttled).', labelNames: ['result'], registers: [this.registry] });
  readonly leader = new Gauge({ name: METRIC.leader, help: '1 while this replica holds the leader Lease.', registers: [this.registry] });
  readonly lastEvaluation = new Gauge({ name: METRIC.lastEvaluation, help: 'When the checks last ran on the current model.', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'stsvol_' });
  }
}
