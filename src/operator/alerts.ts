// `stsvol alerts`: Prometheus alerting rules for StatefulSet storage, built from the names the
// operator exports (metrics.ts) and the check catalog, so a renamed metric or a new check cannot
// leave a rule behind. Pure data: the CLI prints it, tests read it.
//
// Three groups: volumes filling up (kubelet metrics, with the operator's as the fallback), one alert
// per check that can raise a critical finding, and the operator's own health. The last two, and the
// operator's forecast, need the operator: without it they are not printed (`--operator` asks for
// them), since an alert on metrics nobody exports either never fires or, for "operator down",
// always does.

import { CATALOG, CHECK_IDS, type CheckId } from '../checks/catalog.ts';
import { DEFAULT_DOCS_BASE } from '../model/about.ts';
import { METRIC } from './metrics.ts';

export interface AlertRule {
  alert: string;
  expr: string;
  /** Absent: fire at the first evaluation that matches. */
  for?: string;
  labels: { severity: 'critical' | 'warning' };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

export interface AlertOptions {
  /** The docs folder's address (ending in /); each alert links the page and anchor that explain it. */
  docsBase: string;
  /** The operator runs and is scraped: its findings, forecast and health are alerted on too. */
  operator: boolean;
}

export const DEFAULT_RUNBOOK_BASE = DEFAULT_DOCS_BASE;

/** Headings of docs/alerts.md the volume and operator alerts point at; a check alert points at its
 *  own heading in docs/checks.md. */
export const RUNBOOK_SECTION = {
  volumes: 'Volume alerts',
  operator: 'Operator alerts',
} as const;

/** Checks whose catalog default is below critical but that raise critical in a documented case:
 *  a stale attachment when another node needs the volume, claim problems when a pod waits for the
 *  claim (severityForClaim), pods waiting on the scheduler's max volume count. The unit test scans
 *  src/checks/rules for the ways a rule can raise critical and keeps this list equal to them. */
export const ESCALATED_TO_CRITICAL = ['stale-volumeattachment', 'pvc-provisioning-failed', 'pvc-no-provisioner', 'attach-limit'] as const satisfies readonly CheckId[];

/** Every check that can raise a critical finding, in catalog order. */
export const CRITICAL_CHECKS: CheckId[] = CHECK_IDS.filter((id) => CATALOG[id].severity === 'critical' || (ESCALATED_TO_CRITICAL as readonly CheckId[]).includes(id));

/** The operator's forecast lead: long enough for a person to grow the volume, short enough that a
 *  forecast this near is no longer noise, and inside auto-expansion's default lead time (6h). */
export const FORECAST_LEAD_SECONDS = 4 * 3600;

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces as hyphens. */
export function githubAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, '').replaceAll(' ', '-');
}

function runbook(options: AlertOptions, section: keyof typeof RUNBOOK_SECTION): string {
  return `${options.docsBase}alerts.md#${githubAnchor(RUNBOOK_SECTION[section])}`;
}

export function alertRuleGroups(options: AlertOptions): RuleGroup[] {
  return [
    { name: 'stsvol-volumes', rules: volumeRules(options) },
    ...(options.operator
      ? [{ name: 'stsvol-checks', rules: CRITICAL_CHECKS.map((id) => checkRule(id, options)) }, { name: 'stsvol-operator', rules: operatorRules(options) }]
      : []),
  ];
}

export function prometheusRule(options: AlertOptions & { name: string; namespace: string; labels?: Record<string, string> }) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: options.name, namespace: options.namespace, labels: { 'app.kubernetes.io/name': 'stsvol', ...options.labels } },
    spec: { groups: alertRuleGroups(options) },
  };
}

// --- Volumes --------------------------------------------------------------------------------

// Series are matched per claim; `cluster` keeps claims of different clusters apart in a
// multi-cluster Prometheus (Thanos) and is simply empty in a single one.
const ON_CLAIM = 'on(cluster, namespace, persistentvolumeclaim)';

/** Every operator replica reads usage and exports it (a new leader starts with a history), so the
 *  operator's volume series are taken once per claim, whatever the number of replicas. */
const perClaim = (aggregate: 'max' | 'min', metric: string) => `${aggregate} by (cluster, namespace, persistentvolumeclaim) (${metric})`;

/** kubernetes-mixin's exclusions: read-only volumes cannot fill, and a claim labelled
 *  excluded_from_alerts=true opted out. Both need kube-state-metrics; without it nothing is excluded. */
const MIXIN_EXCLUSIONS = `unless ${ON_CLAIM}
kube_persistentvolumeclaim_access_mode{access_mode="ReadOnlyMany"} == 1
unless ${ON_CLAIM}
kube_persistentvolumeclaim_labels{label_excluded_from_alerts="true"} == 1`;

interface Resource {
  alert: string;
  /** What is running out, for the annotations. */
  noun: string;
  free: string;
  total: string;
  used: string;
  /** The operator's series for the same resource, for clusters whose kubelets are not scraped. */
  operatorUsed: string;
  operatorTotal: string;
}

const BYTES: Resource = {
  alert: 'StsvolVolumeFillingUp', noun: 'space',
  free: 'kubelet_volume_stats_available_bytes', total: 'kubelet_volume_stats_capacity_bytes', used: 'kubelet_volume_stats_used_bytes',
  operatorUsed: METRIC.volumeUsedBytes, operatorTotal: METRIC.volumeCapacityBytes,
};

const INODES: Resource = {
  alert: 'StsvolVolumeInodesFillingUp', noun: 'inodes',
  free: 'kubelet_volume_stats_inodes_free', total: 'kubelet_volume_stats_inodes', used: 'kubelet_volume_stats_inodes_used',
  operatorUsed: METRIC.volumeInodesUsed, operatorTotal: METRIC.volumeInodes,
};

const CLAIM_TEXT = '{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }}';

function volumeRules(options: AlertOptions): AlertRule[] {
  return [BYTES, INODES].flatMap((r) => [criticalRule(r, options), warningRule(r, options)]).concat(options.operator ? [forecastRule(options)] : []);
}

/** The mixin's free fraction, kept to claims that report usage: some CSI drivers report zeros. */
function kubeletLeft(r: Resource, below: number): string {
  return `(\n  ${r.free}\n    /\n  ${r.total}\n) < ${below}\nand\n${r.used} > 0`;
}

/** The same on the operator's copy of the kubelet's numbers (claims opted in to auto-expansion),
 *  only where the kubelet series are missing: a cluster that scrapes both gets one alert, not two.
 *  The operator exports used, not available, so blocks reserved for root count as free and this
 *  fires a little later. */
function operatorLeft(r: Resource, below: number): string {
  const ratio = `${perClaim('max', r.operatorUsed)}\n    /\n  ${perClaim('max', r.operatorTotal)}`;
  return `(\n  1 - ${ratio}\n) < ${below}\nand ${ON_CLAIM}\n${r.operatorUsed} > 0\nunless ${ON_CLAIM}\n${r.total}`;
}

const indent = (text: string) => text.replaceAll('\n', '\n  ');

/** The mixin's KubePersistentVolumeFillingUp (critical): under 3% left, from the kubelet or else
 *  from the operator. One rule with `or`, not two of one name and severity (promtool flags those). */
function criticalRule(r: Resource, options: AlertOptions): AlertRule {
  return {
    alert: r.alert,
    expr: `(\n  ${indent(kubeletLeft(r, 0.03))}\n  or\n  ${indent(operatorLeft(r, 0.03))}\n)\n${MIXIN_EXCLUSIONS}`,
    for: '1m',
    labels: { severity: 'critical' },
    annotations: {
      summary: `Volume ${r.noun} almost exhausted`,
      description: `The volume of claim ${CLAIM_TEXT} has {{ $value | humanizePercentage }} of its ${r.noun} left; writes will fail when it runs out. Grow it (stsvol resize) or enable auto-expansion.`,
      runbook_url: runbook(options, 'volumes'),
    },
  };
}

/** The mixin's warning: under 15% left and the last 6h's trend empties it within 4 days. The
 *  operator's own forecast covers this for clusters without kubelet metrics (StsvolVolumeForecastFull). */
function warningRule(r: Resource, options: AlertOptions): AlertRule {
  return {
    alert: r.alert,
    expr: `${kubeletLeft(r, 0.15)}\nand\npredict_linear(${r.free}[6h], 4 * 24 * 3600) < 0\n${MIXIN_EXCLUSIONS}`,
    for: '1h',
    labels: { severity: 'warning' },
    annotations: {
      summary: `Volume ${r.noun} expected to run out within 4 days`,
      description: `The volume of claim ${CLAIM_TEXT} has {{ $value | humanizePercentage }} of its ${r.noun} left and, at the rate of the last 6 hours, runs out within 4 days.`,
      runbook_url: runbook(options, 'volumes'),
    },
  };
}

/** The operator forecasts bytes and inodes together, for claims opted in to auto-expansion, and
 *  exports nothing for a volume that is not filling, so one threshold covers both. 4h is inside
 *  auto-expansion's default lead time (6h): it fires when expansion did not keep up, not before it
 *  had its chance. 15m lets a burst (a compaction's temporary files) pass. */
function forecastRule(options: AlertOptions): AlertRule {
  return {
    alert: 'StsvolVolumeForecastFull',
    expr: `${perClaim('min', METRIC.volumeFullInSeconds)} < ${FORECAST_LEAD_SECONDS}`,
    for: '15m',
    labels: { severity: 'critical' },
    annotations: {
      summary: 'Volume forecast to be full within 4 hours',
      description: `At its recent rate the volume of claim ${CLAIM_TEXT} is full (space or inodes) in {{ $value | humanizeDuration }}, and auto-expansion has not grown it.`,
      runbook_url: runbook(options, 'volumes'),
    },
  };
}

// --- Checks ---------------------------------------------------------------------------------

/** StsvolStuckTerminating for stuck-terminating. */
export function checkAlertName(id: CheckId): string {
  return `Stsvol${id.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
}

/** `max by` keeps one alert per workload even when several operator replicas export findings. The
 *  5 minutes ride out a finding that one evaluation raises and the next clears. */
function checkRule(id: CheckId, options: AlertOptions): AlertRule {
  const title = CATALOG[id].title;
  return {
    alert: checkAlertName(id),
    expr: `max by (check, namespace, workload) (${METRIC.findings}{check="${id}",severity="critical"}) > 0`,
    for: '5m',
    labels: { severity: 'critical' },
    annotations: {
      summary: `${title} ({{ $labels.namespace }}/{{ $labels.workload }})`,
      description: `stsvol reports {{ $value }} critical ${id} finding(s) for {{ $labels.workload }} in namespace {{ $labels.namespace }}. ${title}. \`stsvol doctor -n {{ $labels.namespace }} --check ${id} -o wide\` shows the evidence and the remedy.`,
      runbook_url: `${options.docsBase}checks.md#${id}`,
    },
  };
}

// --- The operator ---------------------------------------------------------------------------

function operatorRules(options: AlertOptions): AlertRule[] {
  const url = runbook(options, 'operator');
  return [
    {
      // absent() also fires when the target vanished from service discovery, which up == 0 misses.
      // Critical as kubernetes-mixin's controller-down alerts: without the operator every check
      // alert above goes silent and auto-expansion stops.
      alert: 'StsvolOperatorDown',
      expr: 'absent(up{job=~".*stsvol.*"} == 1)',
      for: '15m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'The stsvol operator is down',
        description: 'No stsvol operator target has been up for 15 minutes: storage findings are not evaluated, their alerts cannot fire, and volumes are not auto-expanded.',
        runbook_url: url,
      },
    },
    {
      // A labelled counter appears at its first increment, already at 1, and increase() sees no
      // increase in a series that begins inside its window: the second line catches that first
      // failure (a series that did not exist an hour ago). No `for`: a failure is not transient.
      alert: 'StsvolAutoExpansionFailing',
      expr: `sum by (namespace, reason) (increase(${METRIC.expansionFailures}[1h])) > 0\nor\nsum by (namespace, reason) (${METRIC.expansionFailures} unless ${METRIC.expansionFailures} offset 1h) > 0`,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Auto-expansion failing',
        description: 'In the last hour {{ $value | humanize }} auto-expansion(s) in namespace {{ $labels.namespace }} failed ({{ $labels.reason }}); the claims they were for keep filling.',
        runbook_url: url,
      },
    },
    {
      // Watches restart normally every few minutes (expired resourceVersions, resyncs); one every
      // 10 seconds for 15 minutes means the operator keeps losing its view of the cluster. Every
      // replica watches: reasons are summed per replica, and the worst replica counts.
      alert: 'StsvolWatchRestartsHigh',
      expr: `max by (kind) (sum without (reason) (rate(${METRIC.watchRestarts}[15m]))) > 0.1`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'stsvol watches keep restarting',
        description: 'The operator restarts its {{ $labels.kind }} watch {{ printf "%.1f" $value }} times a second; its findings may lag the cluster (API server overloaded, or access lost).',
        runbook_url: url,
      },
    },
  ];
}
