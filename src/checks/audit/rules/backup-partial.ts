// Only some claims of a StatefulSet backed up: a restore brings back some replicas (or some
// volumes of each replica) and not the others.

import { refOf } from '../../../model/cluster-model.ts';
import { fieldEvidence } from '../../evidence.ts';
import { coverageOf } from '../backup-coverage.ts';
import { statefulSetsWithStorage, stsRef } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

export const backupPartial: AuditCheck = {
  id: 'backup-partial',
  run(scope) {
    const { model } = scope;
    return scope.each(statefulSetsWithStorage(model), (sts) => {
      const coverage = coverageOf(model, sts);
      const covered = coverage.filter((c) => c.copies.length);
      if (!covered.length) return undefined; // backup-missing
      scope.judge(stsRef(sts));
      const bare = coverage.filter((c) => !c.copies.length);
      if (!bare.length) return undefined;
      return scope.raise({
        object: refOf(sts),
        related: bare.map((c) => refOf(c.claim)),
        message: `StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} is only partly backed up: ${covered.length} of ${coverage.length} claims have a copy; ${bare.slice(0, 5).map((c) => c.claim.metadata.name).join(', ')}${bare.length > 5 ? ', …' : ''} ${bare.length === 1 ? 'has' : 'have'} none`,
        evidence: [
          ...covered.slice(0, 2).map((c) => fieldEvidence(c.claim, `copied by ${c.copies.map((x) => x.by).join(', ')}`)),
          ...bare.slice(0, 3).map((c) => fieldEvidence(c.claim, 'no copy')),
        ],
        remediation: [{ text: 'Make the backup take every claim: a label selector matching every replica\'s pods, file-system backup or snapshots for every volume of the pod template (backup.velero.io/backup-volumes names them), or snapshots of every ordinal.' }],
      });
    });
  },
};
