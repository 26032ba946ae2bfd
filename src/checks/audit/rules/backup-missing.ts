// A StatefulSet no backup covers: no ReadyToUse VolumeSnapshot of any of its claims, no Velero
// Backup or Schedule that takes their data (backup-coverage.ts, velero.ts).

import { refOf } from '../../../model/cluster-model.ts';
import { fieldEvidence } from '../../evidence.ts';
import { backupsUnknown, coverageOf } from '../backup-coverage.ts';
import { statefulSetsWithStorage, stsRef } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

export const backupMissing: AuditCheck = {
  id: 'backup-missing',
  run(scope) {
    const { model } = scope;
    const unknown = backupsUnknown(model);
    return scope.each(statefulSetsWithStorage(model), (sts) => {
      const coverage = coverageOf(model, sts);
      if (!coverage.length) return undefined;
      const covered = coverage.filter((c) => c.copies.length);
      // A kind that could not be read could hold the backup: only a covered StatefulSet is judged then.
      if (!covered.length && unknown.length) return undefined;
      scope.judge(stsRef(sts));
      if (covered.length) return undefined;
      return scope.raise({
        object: refOf(sts),
        related: coverage.map((c) => refOf(c.claim)),
        message: `no backup of StatefulSet ${sts.metadata.namespace}/${sts.metadata.name}: ${coverage.length === 1 ? 'its claim has no' : `none of its ${coverage.length} claims has a`} ReadyToUse VolumeSnapshot, and no Velero Schedule or Backup takes ${coverage.length === 1 ? 'its' : 'their'} data${model.sees('Schedule') ? '' : ' (Velero is not installed)'}`,
        evidence: coverage.slice(0, 5).map((c) => fieldEvidence(c.claim, 'no ReadyToUse VolumeSnapshot of it; no Velero backup or schedule covers it')),
        remediation: [
          { text: 'Back up every claim of the StatefulSet: a Velero Schedule covering its namespace (with snapshotVolumes, or file-system backup of its volumes), or scheduled VolumeSnapshots of each claim. Copies made outside the cluster (a cloud backup service) are not visible here: record them in the ignore file with that reason.' },
        ],
      });
    });
  },
};
