// Every audit check, in catalog order. Adding one: an entry in catalog.ts, a file in rules/, a line here.

import type { ClusterModel } from '../../model/cluster-model.ts';
import type { ObjectRef } from '../../model/types.ts';
import type { CheckFailure } from '../check.ts';
import { severityRank, type Finding } from '../finding.ts';
import { AUDIT_IDS, type AuditId } from './catalog.ts';
import { attachHeadroom } from './rules/attach-headroom.ts';
import { backupMissing } from './rules/backup-missing.ts';
import { backupPartial } from './rules/backup-partial.ts';
import { backupStale } from './rules/backup-stale.ts';
import { csiControllerSingle } from './rules/csi-controller-single.ts';
import { csiNodeMissing } from './rules/csi-node-missing.ts';
import { defaultClass } from './rules/default-class.ts';
import { immediateBindingMultizone } from './rules/immediate-binding-multizone.ts';
import { noExpansion } from './rules/no-expansion.ts';
import { noPdb } from './rules/no-pdb.ts';
import { pdbBlocksDrain } from './rules/pdb-blocks-drain.ts';
import { overprovisioned } from './rules/overprovisioned.ts';
import { reclaimDeleteStateful } from './rules/reclaim-delete-stateful.ts';
import { replicasShareNode } from './rules/replicas-share-node.ts';
import { retentionDelete } from './rules/retention-delete.ts';
import { singleZone } from './rules/single-zone.ts';
import { usageUnmonitored } from './rules/usage-unmonitored.ts';
import { AuditScope, type AuditCheck, type AuditOptions } from './scope.ts';

const ALL: AuditCheck[] = [
  backupMissing, backupPartial, backupStale, reclaimDeleteStateful, immediateBindingMultizone, csiControllerSingle, csiNodeMissing,
  usageUnmonitored, noExpansion, noPdb, pdbBlocksDrain, singleZone, replicasShareNode, attachHeadroom, defaultClass, retentionDelete, overprovisioned,
];

export const AUDIT_CHECKS: ReadonlyMap<AuditId, AuditCheck> = new Map(ALL.map((c) => [c.id, c]));

for (const id of AUDIT_IDS) if (!AUDIT_CHECKS.has(id)) throw new Error(`audit check ${id} is in the catalog but not registered`);

export interface Judged {
  check: AuditId;
  workloads: readonly ObjectRef[];
}

export interface AuditRun {
  /** Worst first. */
  findings: Finding<AuditId>[];
  /** What each check judged: its findings' workloads and the workloads that passed it. */
  judged: Judged[];
  failures: CheckFailure<AuditId>[];
}

export function runAudit(model: ClusterModel, options: AuditOptions, only?: readonly AuditId[]): AuditRun {
  const run: AuditRun = { findings: [], judged: [], failures: [] };
  for (const id of only?.length ? only : AUDIT_IDS) {
    const scope = new AuditScope(model, id, options);
    try {
      for (const finding of AUDIT_CHECKS.get(id)!.run(scope)) run.findings.push(finding);
    } catch (error) {
      run.failures.push({ check: id, error });
    }
    run.judged.push({ check: id, workloads: scope.judged });
    for (const failure of scope.failures) run.failures.push(failure);
  }
  run.findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.check < b.check ? -1 : a.check > b.check ? 1 : 0));
  return run;
}
