// Which StatefulSets' claim templates should follow their grown claims. The template follows the
// smallest claim of its replicas, never more: the resize executor then only re-creates the
// StatefulSet object and grows no claim itself (only an auto-expansion decision grows a disk), and
// a new replica starts no smaller than any existing one was allowed to be.

import { TEMPLATE_SYNC_ANNOTATION } from '../../model/annotations.ts';
import type { ClusterModel } from '../../model/cluster-model.ts';
import { formatBytes, parseQuantity } from '../../model/quantity.ts';
import type { StatefulSet } from '../../model/types.ts';

export interface TemplateSync {
  statefulSet: StatefulSet;
  template: string;
  to: string;
}

export function templatesToSync(model: ClusterModel): TemplateSync[] {
  const wanted: TemplateSync[] = [];
  for (const sts of model.snapshot.statefulSets) {
    if (sts.metadata.annotations?.[TEMPLATE_SYNC_ANNOTATION] !== 'true') continue;
    const claimsByTemplate = model.members(sts).claims;
    for (const t of sts.spec?.volumeClaimTemplates ?? []) {
      const template = t.metadata?.name;
      const current = parseQuantity(t.spec?.resources?.requests?.storage);
      const claims = template ? [...(claimsByTemplate.get(template)?.values() ?? [])] : [];
      if (!template || current === undefined || !claims.length) continue;
      const requested = claims.map((c) => parseQuantity(c.spec?.resources?.requests?.storage) ?? 0);
      // A resize still in flight is left to finish: the template follows what the disks are.
      const settled = claims.every((c, i) => (parseQuantity(c.status?.capacity?.storage) ?? 0) >= requested[i]!);
      const smallest = Math.min(...requested);
      if (settled && smallest > current) wanted.push({ statefulSet: sts, template, to: formatBytes(smallest) });
    }
  }
  return wanted;
}
