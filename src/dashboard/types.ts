// What the dashboard's page receives: plain JSON, computed from the model by the pure functions of
// this folder and drawn by web/. The page never sees the model itself, so this file is the whole
// contract between the server (or an exported file) and the page.

import type { AuditId } from '../checks/audit/catalog.ts';
import type { Finding, Severity } from '../checks/finding.ts';

/** An element's worst finding, or none. */
export type Health = Severity | 'ok';

export interface DashboardMeta {
  source: 'live' | 'offline';
  /** The kubeconfig context, or the dump's file names. */
  sourceName: string;
  /** The model's clock (offline: the moment the dump describes), RFC3339. */
  now: string;
  /** Bumped on every change the page should fetch again for. */
  version: number;
  namespace?: string;
  /** What could not be read, in words. */
  notices: string[];
  currency: string;
}

export interface UsageSummary {
  /** The fullest claim of the StatefulSet. */
  claim: string;
  usedPercent: number;
  /** From the trend of the samples; absent when not filling or with too few samples. */
  daysToFull?: number;
}

export interface StatefulSetRow {
  /** namespace/name: the page's address of the StatefulSet. */
  key: string;
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  health: Health;
  worst?: { check: string; message: string };
  counts: Record<Severity, number>;
  usage?: UsageSummary;
  claims: number;
  provisionedGiB: number;
  monthlyCost?: number;
  operations: number;
  auditScore?: number;
}

export type GraphKind = 'Pod' | 'PersistentVolumeClaim' | 'PersistentVolume' | 'VolumeAttachment' | 'Node' | 'StorageClass' | 'CSIDriver';

export interface GraphNode {
  /** Kind/name, or Kind/namespace/name for namespaced kinds: also the key of its findings. */
  id: string;
  kind: GraphKind;
  name: string;
  namespace?: string;
  /** A second line: phase, capacity, Ready. */
  detail: string;
  health: Health;
  /** Why it is drawn though the StatefulSet does not use it now (a claim above the replicas, an
   *  Available or Released volume of its class). */
  leftover?: string;
  /** Nodes only: the zone the node is in, which groups them. */
  zone?: string;
}

export type EdgeKind = 'mounts' | 'bound-to' | 'attachment-of' | 'attached-to' | 'runs-on' | 'of-class' | 'provisioned-by';

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
}

export interface Topology {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Zones of the nodes drawn, sorted; "" for nodes without a zone label. */
  zones: string[];
  /** Leftover volumes of its classes not drawn, beyond the first few. */
  moreLeftovers: number;
}

export interface UsagePoint {
  /** ms since the epoch. */
  at: number;
  usedBytes: number;
  capacityBytes: number;
}

export type PolicyView =
  | { threshold: string; increment: string; max: string; cooldown: string; leadTime: string; decision: string; nextSize?: string }
  | { problem: string };

export interface ClaimUsage {
  claim: string;
  requested?: string;
  points: UsagePoint[];
  /** Bytes per day of the least-squares line through the points. */
  bytesPerDay?: number;
  daysToFull?: number;
  /** Why there is nothing to draw, in words; absent when there are points. */
  noData?: string;
  source: string;
  policy?: PolicyView;
}

export type StepState = 'done' | 'acting' | 'skipped' | 'pending';

export interface OperationView {
  /** The journal ConfigMap. */
  name: string;
  namespace: string;
  operation?: string;
  subject?: string;
  /** namespace/name of the StatefulSet it is about, when it is about one. */
  statefulSet?: string;
  startedAt?: string;
  updatedAt?: string;
  stopped?: string;
  holder?: string;
  steps: { id: string; title: string; state: StepState }[];
  /** A journal stsvol cannot read: why. */
  damaged?: string;
}

export interface AuditView {
  score: number;
  /** Of this StatefulSet (StatefulSet pages) or of the cluster-wide checks (the overview). */
  findings: Finding<AuditId>[];
}

export interface DashboardState {
  meta: DashboardMeta;
  rows: StatefulSetRow[];
  operations: OperationView[];
  /** The cluster's score and the findings about no single StatefulSet (default class, headroom). */
  audit: AuditView;
  cost?: { monthly: number; wasteMonthly: number; leftoversMonthly: number };
}

export interface StatefulSetDetail {
  row: StatefulSetRow;
  topology: Topology;
  /** Doctor's findings on it, worst first: the page draws their remedies as doctor prints them. */
  findings: Finding[];
  audit?: AuditView;
  /** Every drawn element's object as YAML (the fields stsvol reads), by graph node id. */
  yaml: Record<string, string>;
  usage: ClaimUsage[];
  operations: OperationView[];
}

/** What --export embeds: the state and every StatefulSet's page. */
export interface ExportedDashboard {
  state: DashboardState;
  details: Record<string, StatefulSetDetail>;
}
