// Volumes that cannot grow: the class forbids expansion or its provisioner cannot expand.

import { refOf } from '../../../model/cluster-model.ts';
import { fieldEvidence } from '../../evidence.ts';
import { cannotExpand } from '../../provisioners.ts';
import { statefulSetsWithStorage, stsRef, templateClasses } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

export const noExpansion: AuditCheck = {
  id: 'no-expansion',
  run(scope) {
    const { model } = scope;
    return scope.each(statefulSetsWithStorage(model), (sts) => {
      const classes = templateClasses(model, sts).filter((t) => t.cls);
      if (!classes.length) return undefined;
      scope.judge(stsRef(sts));
      const stuck = classes.filter((t) => t.cls!.allowVolumeExpansion !== true || cannotExpand(t.cls!.provisioner));
      if (!stuck.length) return undefined;
      const why = (t: (typeof stuck)[number]) => (cannotExpand(t.cls!.provisioner) ? `its provisioner ${t.cls!.provisioner} cannot expand volumes` : 'it does not allow expansion (allowVolumeExpansion is not true)');
      return scope.raise({
        object: refOf(sts),
        related: stuck.map((t) => refOf(t.cls!)),
        message: `StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} cannot grow its volumes: ${stuck.map((t) => `template "${t.template}" uses class ${t.className}: ${why(t)}`).join('; ')}`,
        evidence: stuck.map((t) => fieldEvidence(t.cls!, `provisioner=${t.cls!.provisioner}, allowVolumeExpansion=${t.cls!.allowVolumeExpansion ?? 'unset'}`)),
        remediation: [{ text: 'Use a class that allows expansion and whose provisioner can expand (a CSI driver with a resizer): for new claims through the claim template (re-create the StatefulSet), for existing data through a copy to new claims.' }],
      });
    });
  },
};
