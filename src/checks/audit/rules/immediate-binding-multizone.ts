// A zonal class that binds before scheduling in a cluster whose nodes span zones: the volume's zone
// is chosen before the pod is placed, and a pod that must go elsewhere never starts.

import { refOf } from '../../../model/cluster-model.ts';
import { fieldEvidence } from '../../evidence.ts';
import { driverOf, isZonal, schedulableNodes, statefulSetsWithStorage, stsRef, templateClasses, zonesOf } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

export const immediateBindingMultizone: AuditCheck = {
  id: 'immediate-binding-multizone',
  run(scope) {
    const { model } = scope;
    const zones = zonesOf(schedulableNodes(model));
    if (zones.size < 2) return []; // one zone (or none known): nothing to choose wrong
    return scope.each(statefulSetsWithStorage(model), (sts) => {
      const classes = templateClasses(model, sts).filter((t) => t.cls && isZonal(model, driverOf(t.cls)!));
      if (!classes.length) return undefined;
      scope.judge(stsRef(sts));
      const immediate = classes.filter((t) => (t.cls!.volumeBindingMode ?? 'Immediate') === 'Immediate');
      if (!immediate.length) return undefined;
      return scope.raise({
        object: refOf(sts),
        related: immediate.map((t) => refOf(t.cls!)),
        message: `StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} provisions from ${[...new Set(immediate.map((t) => t.className))].join(', ')} with volumeBindingMode Immediate while its nodes span ${zones.size} zones (${[...zones].sort().join(', ')}): a volume is made in a zone before the pod is placed`,
        evidence: immediate.map((t) => fieldEvidence(t.cls!, `provisioner=${t.cls!.provisioner} (zonal), volumeBindingMode=${t.cls!.volumeBindingMode ?? 'Immediate (the default)'}`)),
        remediation: [{ text: 'Give the claim template a class with volumeBindingMode WaitForFirstConsumer (a class cannot be changed: create one; the template changes by re-creating the StatefulSet, as for sts-template-drift).' }],
      });
    });
  },
};
