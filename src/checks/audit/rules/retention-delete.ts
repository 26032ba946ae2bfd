// A StatefulSet whose controller deletes its claims (persistentVolumeClaimRetentionPolicy Delete):
// information, stated plainly, since the data goes with the claims under a Delete reclaim policy.

import { refOf } from '../../../model/cluster-model.ts';
import { kubectl } from '../../commands.ts';
import { fieldEvidence } from '../../evidence.ts';
import { statefulSetsWithStorage, stsRef } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

export const retentionDelete: AuditCheck = {
  id: 'retention-delete',
  run(scope) {
    return scope.each(statefulSetsWithStorage(scope.model), (sts) => {
      scope.judge(stsRef(sts));
      const policy = sts.spec?.persistentVolumeClaimRetentionPolicy;
      const when = [policy?.whenDeleted === 'Delete' ? 'when it is deleted' : '', policy?.whenScaled === 'Delete' ? 'when it scales down' : ''].filter(Boolean);
      if (!when.length) return undefined;
      return scope.raise({
        object: refOf(sts),
        message: `StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} deletes its claims ${when.join(' and ')} (persistentVolumeClaimRetentionPolicy), and with reclaimPolicy Delete their disks go too`,
        evidence: [fieldEvidence(sts, `persistentVolumeClaimRetentionPolicy: whenDeleted=${policy?.whenDeleted ?? 'Retain'}, whenScaled=${policy?.whenScaled ?? 'Retain'}`)],
        remediation: [{
          text: 'Nothing if intended. Otherwise keep the claims:',
          command: kubectl.patch('statefulset', sts.metadata.name, sts.metadata.namespace, { spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } } }),
        }],
      });
    });
  },
};
