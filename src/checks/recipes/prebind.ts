// Pre-binding: a volume reserved for one named claim (claimRef with namespace and name, no uid) is
// bound to that claim only. It is how data is given back to a replica without leaving the volume
// Available, where the binder hands it to any matching claim (seed 000).

import type { PersistentVolume } from '../../model/types.ts';
import { kubectl } from '../commands.ts';
import type { RemediationStep } from '../finding.ts';

export function prebindVolume(pv: PersistentVolume, claim: { namespace?: string; name?: string } | undefined, why: string): RemediationStep {
  return {
    text: `${why} Reserve the volume for that one claim (pre-binding: claimRef with namespace and name, no uid); never clear claimRef, which opens it to any claim.`,
    command: kubectl.patch('pv', pv.metadata.name, undefined, { spec: { claimRef: { namespace: claim?.namespace ?? '<namespace>', name: claim?.name ?? '<claim>', uid: null, resourceVersion: null } } }),
  };
}
