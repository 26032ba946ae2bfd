// What an audit check is given: the model, its options, and a way to say which workloads it judged,
// so a StatefulSet that passes a check counts toward its score as much as one that fails it.

import type { ClusterModel } from '../../model/cluster-model.ts';
import type { ObjectRef } from '../../model/types.ts';
import { CheckScope, type Check } from '../check.ts';
import { AUDIT_CATALOG, type AuditId } from './catalog.ts';

export interface AuditOptions {
  /** A backup older than this is stale (--backup-max-age, default 24h). */
  backupMaxAgeMs: number;
  /** A volume that used less than this share of its capacity is overprovisioned (default 0.2). */
  overprovisionedBelow: number;
}

export const DEFAULT_AUDIT_OPTIONS: AuditOptions = { backupMaxAgeMs: 24 * 3600_000, overprovisionedBelow: 0.2 };

export class AuditScope extends CheckScope<AuditId> {
  readonly options: AuditOptions;
  /** The workloads (StatefulSets, the cluster) this check judged, passing or not. */
  readonly judged: ObjectRef[] = [];

  constructor(model: ClusterModel, check: AuditId, options: AuditOptions) {
    super(model, check, AUDIT_CATALOG[check].severity);
    this.options = options;
  }

  judge(workload: ObjectRef): void {
    this.judged.push(workload);
  }
}

export interface AuditCheck extends Check<AuditId> {
  run(scope: AuditScope): ReturnType<Check<AuditId>['run']>;
}
