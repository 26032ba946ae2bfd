// Everything the page shows, decided once per model: doctor's findings, the audit's scores, the cost,
// and per StatefulSet its row, its graph, its usage and its operations. Pure: the model, the usage
// history and the journals come in, plain data goes out; the server and the export only serve it.

import { stringify } from 'yaml';
import type { AuditId } from '../checks/audit/catalog.ts';
import { costOf, type CostReport } from '../checks/audit/cost.ts';
import { runAudit } from '../checks/audit/index.ts';
import { DEFAULT_AUDIT_OPTIONS } from '../checks/audit/scope.ts';
import { findingsInNamespace, judgedInNamespace, score, type Scores } from '../checks/audit/score.ts';
import type { Finding, Severity } from '../checks/finding.ts';
import { runChecks } from '../checks/index.ts';
import { groupBy } from '../checks/per-model.ts';
import type { DamagedJournal, JournalRecord } from '../executor/journal.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import { BUILT_IN_PRICES, type PriceTable } from '../model/pricing.ts';
import { parseQuantity } from '../model/quantity.ts';
import { toRfc3339 } from '../model/time.ts';
import type { KubeObject, PersistentVolumeClaim, StatefulSet } from '../model/types.ts';
import { byHealth } from './health.ts';
import { operationViews } from './operations.ts';
import { healthIndex, topologyOf, unclaimedVolumesByClass, worstOf } from './topology.ts';
import type { ClaimUsage, DashboardMeta, DashboardState, ExportedDashboard, GraphNode, OperationView, StatefulSetDetail, StatefulSetRow } from './types.ts';
import { claimUsage, RECORDED_USAGE, usageSummary, type UsageHistory } from './usage.ts';

const GIB = 2 ** 30;

export interface ViewInput {
  model: ClusterModel;
  source: DashboardMeta['source'];
  sourceName: string;
  namespace?: string;
  notices: string[];
  version: number;
  usage?: UsageHistory;
  /** Live only: a dump holds no journals. */
  journals?: readonly (JournalRecord | DamagedJournal)[];
  prices?: PriceTable;
}

const keyOf = (ref: { namespace?: string; name: string }) => `${ref.namespace ?? ''}/${ref.name}`;
const byWorkload = <F extends Finding<string>>(findings: readonly F[]) => groupBy(findings, (f) => keyOf(f.workload));

export class DashboardView {
  private readonly model: ClusterModel;
  private readonly input: ViewInput;
  private readonly usage: UsageHistory;
  private readonly findingsByWorkload: Map<string, Finding[]>;
  private readonly health: Map<string, Finding[]>;
  private readonly auditByWorkload: Map<string, Finding<AuditId>[]>;
  private readonly scores: Scores;
  private readonly cost: CostReport;
  private readonly operations: OperationView[];
  private readonly unclaimed;
  private readonly usageCache = new Map<string, ClaimUsage[]>();
  private readonly costByKey: Map<string, number | undefined>;
  private readonly scoreByKey: Map<string, number>;
  private rowsCache?: StatefulSetRow[];

  constructor(input: ViewInput) {
    this.input = input;
    this.model = input.model;
    this.usage = input.usage ?? RECORDED_USAGE;
    const findings = findingsInNamespace(runChecks(this.model).findings, input.namespace);
    this.findingsByWorkload = byWorkload(findings);
    this.health = healthIndex(findings);
    const audit = runAudit(this.model, DEFAULT_AUDIT_OPTIONS);
    const auditFindings = findingsInNamespace(audit.findings, input.namespace);
    this.auditByWorkload = byWorkload(auditFindings);
    this.scores = score(judgedInNamespace(audit.judged, input.namespace), auditFindings);
    this.cost = costOf(this.model, input.prices ?? BUILT_IN_PRICES);
    this.costByKey = new Map(this.cost.byStatefulSet.map((r) => [r.name, r.monthly]));
    this.scoreByKey = new Map(this.scores.workloads.map((w) => [keyOf(w.workload), w.score]));
    this.operations = operationViews(input.journals ?? []).filter((o) => !input.namespace || o.namespace === input.namespace);
    this.unclaimed = unclaimedVolumesByClass(this.model);
  }

  get version(): number {
    return this.input.version;
  }

  private statefulSets(): StatefulSet[] {
    const all = [...this.model.statefulSets.values()];
    return this.input.namespace ? all.filter((s) => s.metadata.namespace === this.input.namespace) : all;
  }

  state(): DashboardState {
    const clusterAudit = this.auditByWorkload.get('/cluster') ?? [];
    return {
      meta: {
        source: this.input.source, sourceName: this.input.sourceName, now: toRfc3339(this.model.now), version: this.input.version,
        ...(this.input.namespace ? { namespace: this.input.namespace } : {}), notices: this.input.notices, currency: this.cost.currency,
      },
      rows: this.rows(),
      operations: this.operations,
      audit: { score: this.scores.cluster, findings: clusterAudit },
      cost: { monthly: this.cost.total.monthly, wasteMonthly: this.cost.total.wasteMonthly, leftoversMonthly: this.cost.total.leftoversMonthly },
    };
  }

  rows(): StatefulSetRow[] {
    this.rowsCache ??= this.statefulSets().map((sts) => this.row(sts)).sort(byHealthThenName);
    return this.rowsCache;
  }

  detail(namespace: string, name: string): StatefulSetDetail | undefined {
    const sts = this.model.statefulSets.get(namespace, name);
    if (!sts || (this.input.namespace && namespace !== this.input.namespace)) return undefined;
    const key = keyOf(sts.metadata);
    const topology = topologyOf(this.model, sts, this.health, this.unclaimed);
    const auditFindings = this.auditByWorkload.get(key);
    const auditScore = this.scoreByKey.get(key);
    return {
      row: this.row(sts),
      topology,
      findings: this.findingsByWorkload.get(key) ?? [],
      ...(auditScore !== undefined ? { audit: { score: auditScore, findings: auditFindings ?? [] } } : {}),
      yaml: Object.fromEntries(topology.nodes.map((n) => [n.id, this.yamlOf(n)])),
      usage: this.claimUsages(sts),
      operations: this.operations.filter((o) => o.statefulSet === key),
    };
  }

  exported(): ExportedDashboard {
    const details: Record<string, StatefulSetDetail> = {};
    for (const row of this.rows()) details[row.key] = this.detail(row.namespace, row.name)!;
    return { state: this.state(), details };
  }

  private row(sts: StatefulSet): StatefulSetRow {
    const key = keyOf(sts.metadata);
    const findings = this.findingsByWorkload.get(key) ?? [];
    const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
    for (const f of findings) counts[f.severity]++;
    const claims = this.claimsOf(sts);
    const usage = usageSummary(this.claimUsages(sts));
    const monthlyCost = this.costByKey.get(key);
    const auditScore = this.scoreByKey.get(key);
    return {
      key, namespace: sts.metadata.namespace ?? '', name: sts.metadata.name,
      desired: sts.spec?.replicas ?? 1, ready: sts.status?.readyReplicas ?? 0,
      health: worstOf(findings), ...(findings[0] ? { worst: { check: findings[0].check, message: findings[0].message } } : {}), counts,
      ...(usage ? { usage } : {}),
      claims: claims.length,
      provisionedGiB: claims.reduce((sum, c) => sum + (parseQuantity(c.status?.capacity?.storage ?? c.spec?.resources?.requests?.storage) ?? 0), 0) / GIB,
      ...(monthlyCost !== undefined ? { monthlyCost } : {}),
      operations: this.operations.filter((o) => o.statefulSet === key && !o.damaged).length,
      ...(auditScore !== undefined ? { auditScore } : {}),
    };
  }

  private claimsOf(sts: StatefulSet): PersistentVolumeClaim[] {
    return [...this.model.members(sts).claims.values()].flatMap((byOrdinal) => [...byOrdinal.values()]);
  }

  private claimUsages(sts: StatefulSet): ClaimUsage[] {
    const key = keyOf(sts.metadata);
    let usages = this.usageCache.get(key);
    if (!usages) this.usageCache.set(key, (usages = this.claimsOf(sts).map((c) => claimUsage(this.model, sts, c, this.usage))));
    return usages;
  }

  private yamlOf(node: GraphNode): string {
    const object = this.objectOf(node);
    return object ? stringify(object, { lineWidth: 0 }) : `# ${node.kind} ${node.name}: not in the ${this.input.source === 'live' ? 'cluster' : 'input'}\n`;
  }

  private objectOf(node: GraphNode): KubeObject | undefined {
    const m = this.model;
    switch (node.kind) {
      case 'Pod': return m.pod(node.namespace, node.name);
      case 'PersistentVolumeClaim': return m.claims.get(node.namespace, node.name);
      case 'PersistentVolume': return m.volumes.get(node.name);
      case 'VolumeAttachment': return m.snapshot.attachments.find((va) => va.metadata.name === node.name);
      case 'Node': return m.nodes.get(node.name);
      case 'StorageClass': return m.storageClasses.get(node.name);
      case 'CSIDriver': return m.csiDrivers.get(node.name);
    }
  }
}

function byHealthThenName(a: StatefulSetRow, b: StatefulSetRow): number {
  return byHealth(a, b) || a.key.localeCompare(b.key);
}
