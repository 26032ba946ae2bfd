// Would a ResourceQuota admit more claims or bigger ones? The quota admission counts storage and
// claim count per namespace and per class (<class>.storageclass.storage.k8s.io/...); a plan that
// would be refused half-way is refused before it starts.

import type { ClusterModel } from '../model/cluster-model.ts';
import { formatBytes, parseQuantity } from '../model/quantity.ts';
import type { Refusal } from './plan.ts';

export interface QuotaDemand {
  namespace: string;
  className: string;
  /** Bytes of storage requests added. */
  bytes: number;
  /** Claims added. */
  claims: number;
}

export function quotaRefusals(model: ClusterModel, demand: QuotaDemand): Refusal[] {
  const refusals: Refusal[] = [];
  const classKey = `${demand.className}.storageclass.storage.k8s.io/`;
  for (const quota of model.snapshot.resourceQuotas) {
    if (quota.metadata.namespace !== demand.namespace) continue;
    const hard = quota.status?.hard ?? quota.spec?.hard ?? {};
    const used = quota.status?.used ?? {};
    const asks: [string, number, (n: number) => string][] = [
      ['requests.storage', demand.bytes, formatBytes], [`${classKey}requests.storage`, demand.bytes, formatBytes],
      ['persistentvolumeclaims', demand.claims, String], [`${classKey}persistentvolumeclaims`, demand.claims, String],
    ];
    for (const [key, add, show] of asks) {
      const limit = parseQuantity(hard[key]);
      if (limit === undefined || add <= 0) continue;
      const now = parseQuantity(used[key]) ?? 0;
      if (now + add > limit) {
        refusals.push({ code: 'quota', message: `ResourceQuota ${quota.metadata.name} limits ${key} to ${hard[key]}; ${show(now)} is used and this needs ${show(add)} more (raise it: kubectl edit resourcequota ${quota.metadata.name} -n ${demand.namespace})` });
      }
    }
  }
  return refusals;
}
