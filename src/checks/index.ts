// Every check, in catalog order. Adding a check: an entry in catalog.ts, a file in rules/, a line here.

import type { ClusterModel } from '../model/cluster-model.ts';
import { CHECK_IDS, type CheckId } from './catalog.ts';
import { CheckScope, type Check, type CheckFailure } from './check.ts';
import { severityRank, type Finding } from './finding.ts';
import { attachLimit } from './rules/attach-limit.ts';
import { fencedNodeReady } from './rules/fenced-node-ready.ts';
import { autoExpandBlocked } from './rules/auto-expand-blocked.ts';
import { missingStorageClass } from './rules/missing-storageclass.ts';
import { multiAttach } from './rules/multi-attach.ts';
import { orphanPvc } from './rules/orphan-pvc.ts';
import { podOnMissingNode } from './rules/pod-on-missing-node.ts';
import { pvcNoProvisioner } from './rules/pvc-no-provisioner.ts';
import { pvcProvisioningFailed } from './rules/pvc-provisioning-failed.ts';
import { releasedPv } from './rules/released-pv.ts';
import { resizeFailed } from './rules/resize-failed.ts';
import { resizeFsPending } from './rules/resize-fs-pending.ts';
import { resizeUnsupported } from './rules/resize-unsupported.ts';
import { stalePvReuse } from './rules/stale-pv-reuse.ts';
import { staleVolumeAttachment } from './rules/stale-volumeattachment.ts';
import { storageQuotaExceeded } from './rules/storage-quota-exceeded.ts';
import { stsTemplateDrift } from './rules/sts-template-drift.ts';
import { stuckTerminating } from './rules/stuck-terminating.ts';
import { volumeMountTimeout } from './rules/volume-mount-timeout.ts';
import { volumeNodeAffinityConflict } from './rules/volume-node-affinity-conflict.ts';

const ALL: Check[] = [
  stalePvReuse, releasedPv, orphanPvc, podOnMissingNode, stuckTerminating, fencedNodeReady, staleVolumeAttachment, multiAttach,
  volumeMountTimeout, pvcProvisioningFailed, pvcNoProvisioner, missingStorageClass, storageQuotaExceeded,
  volumeNodeAffinityConflict, attachLimit, resizeFsPending, resizeFailed, resizeUnsupported, stsTemplateDrift, autoExpandBlocked,
];

export const CHECKS: ReadonlyMap<CheckId, Check> = new Map(ALL.map((c) => [c.id, c]));

// Fails at load, not in production, if the catalog and the checks ever disagree.
for (const id of CHECK_IDS) if (!CHECKS.has(id)) throw new Error(`check ${id} is in the catalog but not registered`);

function objectKey(f: Finding): string {
  return `${f.object.namespace ?? ''}/${f.object.kind}/${f.object.name}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface CheckRun {
  /** Worst first, then by object, then by check. */
  findings: Finding[];
  /** Checks that threw, on one object or as a whole; the findings above stand without them. */
  failures: CheckFailure[];
}

/** Runs the given checks (all by default). */
export function runChecks(model: ClusterModel, only?: readonly CheckId[]): CheckRun {
  const ids = only?.length ? only : CHECK_IDS;
  const findings: Finding[] = [];
  const failures: CheckFailure[] = [];
  for (const id of ids) {
    const scope = new CheckScope(model, id);
    try {
      // One by one: a check may raise hundreds of thousands, more than a spread's call stack holds.
      for (const finding of CHECKS.get(id)!.run(scope)) findings.push(finding);
    } catch (error) {
      failures.push({ check: id, error });
    }
    for (const failure of scope.failures) failures.push(failure);
  }
  findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || compare(objectKey(a), objectKey(b)) || compare(a.check, b.check));
  return { findings, failures };
}
