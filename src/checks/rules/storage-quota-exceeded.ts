// Seed 000's "new nodes lack storage quota" at the namespace level: a ResourceQuota refuses the
// claim the StatefulSet controller creates for a new replica, so the replica never appears.

import { keyOf, refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { parseQuantity } from '../../model/quantity.ts';
import type { ResourceQuota } from '../../model/types.ts';
import { raise, type Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, fieldEvidence } from '../evidence.ts';
import type { Finding } from '../finding.ts';

const ID = 'storage-quota-exceeded';

const QUOTA_REFUSAL = /exceeded quota: ([^,\s]+)/;
const CLAIM_IN_MESSAGE = /persistentvolumeclaims? "([^"]+)"/;

/** requests.storage, persistentvolumeclaims and their per-class forms. */
export function isStorageQuotaKey(key: string): boolean {
  return key === 'requests.storage' || key === 'persistentvolumeclaims' || /\.storageclass\.storage\.k8s\.io\/(requests\.storage|persistentvolumeclaims)$/.test(key);
}

export const storageQuotaExceeded: Check = {
  id: ID,
  run(model) {
    const refused = refusedClaims(model);
    const reported = new Set(refused.flatMap((f) => f.related.filter((r) => r.kind === 'ResourceQuota').map((r) => keyOf(r.namespace, r.name))));
    const full = model.snapshot.resourceQuotas.filter((q) => !reported.has(keyOf(q.metadata.namespace, q.metadata.name))).flatMap((q) => usedUp(q));
    return [...refused, ...full];
  },
};

function refusedClaims(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  for (const sts of model.statefulSets.values()) {
    const ns = sts.metadata.namespace;
    const byClaim = new Map<string, ReturnType<ClusterModel['eventsFor']>[number]>();
    for (const e of model.eventsFor(sts)) {
      if (e.reason !== 'FailedCreate' || !QUOTA_REFUSAL.test(e.message)) continue;
      const claim = CLAIM_IN_MESSAGE.exec(e.message)?.[1] ?? '';
      const prev = byClaim.get(claim);
      if (!prev || (e.lastTime ?? '') > (prev.lastTime ?? '')) byClaim.set(claim, e);
    }
    for (const [claimName, event] of byClaim) {
      if (claimName && model.claims.has(keyOf(ns, claimName))) continue; // created since: the refusal is over
      const quotaName = QUOTA_REFUSAL.exec(event.message)![1]!;
      const quota = model.snapshot.resourceQuotas.find((q) => q.metadata.namespace === ns && q.metadata.name === quotaName);
      findings.push(raise(ID, {
        object: refOf(sts),
        related: [{ kind: 'ResourceQuota', namespace: ns, name: quotaName }, ...(claimName ? [{ kind: 'PersistentVolumeClaim', namespace: ns, name: claimName }] : [])],
        message: `ResourceQuota ${ns}/${quotaName} refuses claim ${claimName || '(unnamed)'} of StatefulSet ${ns}/${sts.metadata.name}: the replica cannot be created`,
        evidence: [eventEvidence(event), ...(quota ? quotaEvidence(quota) : [])],
        remediation: [
          { text: 'See what the quota allows and what uses it.', command: kubectl.describe('resourcequota', quotaName, ns) },
          { text: 'Free storage in the namespace (orphan-pvc lists claims left by scale-downs), or raise the quota; the StatefulSet controller retries by itself.', command: kubectl.patch('resourcequota', quotaName, ns, { spec: { hard: { 'requests.storage': '<new limit>' } } }) },
        ],
      }));
    }
  }
  return findings;
}

function quotaEvidence(quota: ResourceQuota) {
  return Object.entries(quota.status?.hard ?? {})
    .filter(([k]) => isStorageQuotaKey(k))
    .map(([k, hard]) => fieldEvidence(quota, `${k}: used ${quota.status?.used?.[k] ?? '0'} of ${hard}`));
}

function usedUp(quota: ResourceQuota): Finding[] {
  const full = Object.entries(quota.status?.hard ?? {}).filter(([k, hard]) => {
    if (!isStorageQuotaKey(k)) return false;
    const used = parseQuantity(quota.status?.used?.[k] ?? '0');
    const limit = parseQuantity(hard);
    return used !== undefined && limit !== undefined && used >= limit;
  });
  if (!full.length) return [];
  const ns = quota.metadata.namespace;
  return [raise(ID, {
    severity: 'warning',
    object: refOf(quota),
    message: `ResourceQuota ${ns}/${quota.metadata.name} is used up (${full.map(([k]) => k).join(', ')}): the next claim in ${ns}, e.g. of a StatefulSet scaling up, will be refused`,
    evidence: full.map(([k, hard]) => fieldEvidence(quota, `${k}: used ${quota.status?.used?.[k]} of ${hard}`)),
    remediation: [
      { text: 'Before scaling a StatefulSet up here, free storage (orphan-pvc, released-pv) or raise the quota.', command: kubectl.describe('resourcequota', quota.metadata.name, ns) },
    ],
  })];
}
