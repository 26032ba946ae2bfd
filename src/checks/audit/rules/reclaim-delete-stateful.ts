// A StatefulSet's data deleted with its claim: volumes under reclaimPolicy Delete, or templates whose
// class makes them so (a class's reclaimPolicy defaults to Delete).

import { refOf } from '../../../model/cluster-model.ts';
import { kubectl } from '../../commands.ts';
import { fieldEvidence } from '../../evidence.ts';
import { claimsOfStatefulSet, statefulSetsWithStorage, stsRef, templateClasses } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

export const reclaimDeleteStateful: AuditCheck = {
  id: 'reclaim-delete-stateful',
  run(scope) {
    const { model } = scope;
    return scope.each(statefulSetsWithStorage(model), (sts) => {
      scope.judge(stsRef(sts));
      const volumes = claimsOfStatefulSet(model, sts).map((c) => model.volumeOf(c)).filter((pv) => pv && (pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete') === 'Delete');
      const classes = templateClasses(model, sts).filter((t) => t.cls && (t.cls.reclaimPolicy ?? 'Delete') === 'Delete');
      if (!volumes.length && !classes.length) return undefined;
      const parts = [
        volumes.length ? `${volumes.length === 1 ? 'its volume' : `${volumes.length} of its volumes`} (${volumes.slice(0, 3).map((pv) => pv!.metadata.name).join(', ')}${volumes.length > 3 ? ', …' : ''}) ${volumes.length === 1 ? 'is' : 'are'} deleted with ${volumes.length === 1 ? 'its claim' : 'their claims'}` : '',
        classes.length ? `its claim template${classes.length > 1 ? 's' : ''} ${classes.map((t) => `"${t.template}"`).join(', ')} provision${classes.length > 1 ? '' : 's'} from class ${[...new Set(classes.map((t) => t.className))].join(', ')} with reclaimPolicy Delete` : '',
      ].filter(Boolean);
      return scope.raise({
        object: refOf(sts),
        related: volumes.map((pv) => refOf(pv!)),
        message: `StatefulSet ${sts.metadata.namespace}/${sts.metadata.name}: ${parts.join('; ')}: a claim deleted by mistake takes the data with it`,
        evidence: [
          ...volumes.slice(0, 5).map((pv) => fieldEvidence(pv!, `persistentVolumeReclaimPolicy=${pv!.spec?.persistentVolumeReclaimPolicy ?? 'Delete'}`)),
          ...classes.map((t) => fieldEvidence(t.cls!, `reclaimPolicy=${t.cls!.reclaimPolicy ?? 'Delete (the default)'}`)),
        ],
        remediation: [
          ...volumes.map((pv) => ({ text: `Keep ${pv!.metadata.name} when its claim goes.`, command: kubectl.patch('pv', pv!.metadata.name, undefined, { spec: { persistentVolumeReclaimPolicy: 'Retain' } }) })),
          ...(classes.length ? [{ text: 'For new replicas: a class with reclaimPolicy Retain (a class cannot be changed: create one, and re-create the StatefulSet with it in its claim template, as for sts-template-drift).' }] : []),
        ],
      });
    });
  },
};
