// Seeds 000/001: a claim stays Pending because the provisioner tried and failed (cloud quota, no
// capacity in the zone, bad parameters). The provisioner's own event says which.

import { refOf } from '../../model/cluster-model.ts';
import type { Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, isCurrent, newestEvents } from '../evidence.ts';
import { awaitsFirstConsumer, podsWaitingOn, severityForClaim, waitingText } from '../workload.ts';

const ID = 'pvc-provisioning-failed';

export const pvcProvisioningFailed: Check = {
  id: ID,
  run(scope) {
    const { model } = scope;
    return scope.each(model.claims.values(), (claim) => {
      if (claim.status?.phase !== 'Pending' || claim.metadata.deletionTimestamp) return undefined;
      // A class that does not exist is missing-storageclass's finding, with the better remedy.
      const className = claim.spec?.storageClassName;
      if (className && model.sees('StorageClass') && !model.storageClasses.has(className)) return undefined;
      // Under WaitForFirstConsumer a claim whose consumer is gone waits for the next one, as it
      // should; a failure from the last attempt is history.
      if (awaitsFirstConsumer(model, claim) && !podsWaitingOn(model, claim).length) return undefined;
      const failures = newestEvents(model.eventsFor(claim), (e) => e.reason === 'ProvisioningFailed');
      if (!failures.length || !isCurrent(model, failures[0]!)) return undefined;
      const ns = claim.metadata.namespace;
      const sc = model.storageClassOf(claim);
      return scope.raise({
        severity: severityForClaim(model, claim),
        object: refOf(claim),
        ...(sc ? { cause: refOf(sc) } : {}),
        related: [...(sc ? [refOf(sc)] : []), ...podsWaitingOn(model, claim).map(refOf)],
        message: `${ns}/${claim.metadata.name} is Pending: provisioning ${claim.spec?.resources?.requests?.storage ?? ''} in class ${claim.spec?.storageClassName ?? '(default)'} failed: ${failures[0]!.message}${waitingText(model, claim)}`,
        evidence: failures.map(eventEvidence),
        remediation: [
          { text: 'Fix the cause the provisioner names (cloud disk quota, capacity in that zone, class parameters, driver credentials); it retries by itself with back-off.', command: kubectl.describe('pvc', claim.metadata.name, ns) },
          ...(sc ? [{ text: `Check the class parameters against the driver's documentation.`, command: kubectl.get('storageclass', sc.metadata.name) }] : []),
        ],
      });
    });
  },
};
