// Seed 001's fault matrix: "PVC Pending forever: the class's provisioner does not exist". Nothing
// fails, so nothing says so: the claim only collects ExternalProvisioning "waiting" events.

import { refOf } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { PersistentVolumeClaim } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { provisionerLeases } from '../commands.ts';
import { eventEvidence, fieldEvidence, newestEvents } from '../evidence.ts';
import { remedy, type Finding } from '../finding.ts';
import { NO_PROVISIONER, provisionerOf } from '../provisioners.ts';
import { recreatePendingClaim } from '../recipes/replace-claim.ts';
import { PROVISIONING_GRACE } from '../thresholds.ts';
import { awaitsFirstConsumer, podsWaitingOn, severityForClaim, waitingText } from '../workload.ts';

const ID = 'pvc-no-provisioner';

const ACTED = new Set(['Provisioning', 'ProvisioningSucceeded', 'ProvisioningFailed']);

export const pvcNoProvisioner: Check = {
  id: ID,
  run(scope) {
    return scope.each(scope.model.claims.values(), (claim) => judge(scope, claim));
  },
};

function judge(scope: CheckScope, claim: PersistentVolumeClaim): Finding | undefined {
  const { model } = scope;
  if (claim.status?.phase !== 'Pending' || claim.spec?.volumeName || claim.metadata.deletionTimestamp) return undefined;
  const sc = model.storageClassOf(claim);
  const pending = model.since(claim.metadata.creationTimestamp);
  if (!sc || pending === undefined || pending < PROVISIONING_GRACE || awaitsFirstConsumer(model, claim)) return undefined;
  const provisioner = provisionerOf(claim, sc)!;
  const events = model.eventsFor(claim);
  if (events.some((e) => ACTED.has(e.reason))) return undefined; // someone is provisioning, or failing: another check
  const waiting = newestEvents(events, (e) => e.reason === 'ExternalProvisioning', 1);
  const seesDrivers = model.sees('CSIDriver');
  const driver = model.csiDrivers.get(provisioner);
  // A registered CSIDriver is a good sign but not proof its controller runs; only the waiting events
  // are. With CSIDrivers hidden from us, only those events can say anything.
  if ((driver || !seesDrivers) && !waiting.length) return undefined;
  const ns = claim.metadata.namespace;
  const staticClass = provisioner === NO_PROVISIONER;
  const why = staticClass
    ? `class ${sc.metadata.name} provisions nothing (${NO_PROVISIONER}): it waits for an administrator to create a matching PersistentVolume`
    : driver
      ? `CSIDriver ${provisioner} is registered but its provisioner has not acted on the claim`
      : seesDrivers
        ? `no CSIDriver or running provisioner serves ${provisioner}`
        : `no provisioner has acted on the claim for ${provisioner} (CSIDrivers could not be read)`;
  return scope.raise({
    severity: severityForClaim(model, claim),
    object: refOf(claim),
    cause: refOf(sc),
    related: [refOf(sc), ...podsWaitingOn(model, claim).map(refOf)],
    message: `${ns}/${claim.metadata.name} has been Pending ${formatDuration(pending)}: ${why}${waitingText(model, claim)}`,
    evidence: [
      fieldEvidence(sc, `provisioner=${sc.provisioner}${sc.provisioner !== provisioner ? ` (served by CSI driver ${provisioner})` : ''}, volumeBindingMode=${sc.volumeBindingMode ?? 'Immediate'}`),
      ...(model.sees('CSIDriver') ? [fieldEvidence(claim, driver ? `CSIDriver ${provisioner} exists` : `no CSIDriver named ${provisioner}; drivers: ${[...model.csiDrivers.keys()].join(', ') || 'none'}`)] : []),
      ...waiting.map(eventEvidence),
    ],
    remediation: staticClass
      ? [{ text: `Create a PersistentVolume of class ${sc.metadata.name} with at least ${claim.spec?.resources?.requests?.storage ?? 'the requested size'} and the claim's access modes (on the selected node, for local volumes).` }]
      : remedy([], {
          title: 'the class is right',
          steps: [{ text: `Install or repair the provisioner for ${provisioner} (its controller Deployment, e.g. the csi-provisioner sidecar), and check its logs. A running one holds a leader Lease named after ${provisioner} (its holder is the pod); no line here means none runs with leader election.`, command: provisionerLeases(provisioner) }],
        }, recreatePendingClaim(model, claim)),
  });
}
