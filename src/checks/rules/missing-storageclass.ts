// A claim, or a StatefulSet claim template, naming a class that does not exist waits forever: the
// binder finds no class, no provisioner is asked, and only a "storageclass not found" event says so.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { raise, type Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, fieldEvidence, newestEvents } from '../evidence.ts';
import type { Finding } from '../finding.ts';
import { podsWaitingOn, severityForClaim, waitingText } from '../workload.ts';

const ID = 'missing-storageclass';

export const missingStorageClass: Check = {
  id: ID,
  run(model) {
    if (!model.sees('StorageClass')) return [];
    return [...pendingClaims(model), ...templates(model)];
  },
};

function existingClasses(model: ClusterModel): string {
  return [...model.storageClasses.keys()].join(', ') || 'none';
}

function pendingClaims(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  for (const claim of model.claims.values()) {
    const name = claim.spec?.storageClassName;
    if (claim.status?.phase !== 'Pending' || !name || model.storageClasses.has(name)) continue;
    const ns = claim.metadata.namespace;
    const owner = model.statefulSetOfClaim(claim);
    findings.push(raise(ID, {
      severity: severityForClaim(model, claim) ?? 'warning',
      object: refOf(claim),
      related: [...(owner ? [refOf(owner.sts)] : []), ...podsWaitingOn(model, claim).map(refOf)],
      message: `${ns}/${claim.metadata.name} is Pending on storageClassName "${name}", which does not exist${waitingText(model, claim)}`,
      evidence: [
        fieldEvidence(claim, `spec.storageClassName=${name}; classes: ${existingClasses(model)}`),
        ...newestEvents(model.eventsFor(claim), (e) => e.reason === 'ProvisioningFailed' || /not found/i.test(e.message), 1).map(eventEvidence),
      ],
      remediation: [
        { text: `Create class ${name} if it was meant to exist (the claim binds as soon as it does).` },
        owner
          ? { text: `Otherwise the StatefulSet's template is wrong: fix the template first (sts-template-drift explains the orphan re-create), then delete this Pending claim so it is re-created from the fixed template.`, command: kubectl.delete('pvc', claim.metadata.name, ns), safeWhen: 'the claim is still Pending (it holds no data)' }
          : { text: 'Otherwise delete the claim and re-create it with an existing class.', command: kubectl.delete('pvc', claim.metadata.name, ns), safeWhen: 'the claim is still Pending (it holds no data)' },
      ],
    }));
  }
  return findings;
}

function templates(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  for (const sts of model.statefulSets.values()) {
    for (const t of sts.spec?.volumeClaimTemplates ?? []) {
      const name = t.spec?.storageClassName;
      if (!name || model.storageClasses.has(name)) continue;
      const ns = sts.metadata.namespace;
      findings.push(raise(ID, {
        severity: 'warning',
        object: refOf(sts),
        message: `StatefulSet ${ns}/${sts.metadata.name} claim template "${t.metadata?.name}" names storageClassName "${name}", which does not exist: the next replica's claim will stay Pending`,
        evidence: [fieldEvidence(sts, `spec.volumeClaimTemplates[${t.metadata?.name}].spec.storageClassName=${name}; classes: ${existingClasses(model)}`)],
        remediation: [
          { text: `Create class ${name}, or re-create the StatefulSet with an existing class (the template cannot be edited in place):` },
          { text: 'Save the StatefulSet, then delete it leaving its pods running.', command: `${kubectl.get('statefulset', sts.metadata.name, ns)} > ${sts.metadata.name}.yaml && ${kubectl.delete('statefulset', sts.metadata.name, ns, ' --cascade=orphan')}` },
          { text: `Fix storageClassName in ${sts.metadata.name}.yaml (drop status, resourceVersion and uid) and apply it; the new StatefulSet adopts the running pods.`, command: `kubectl apply -f ${sts.metadata.name}.yaml` },
        ],
      }));
    }
  }
  return findings;
}
