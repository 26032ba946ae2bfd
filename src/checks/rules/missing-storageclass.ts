// A claim, or a StatefulSet claim template, naming a class that does not exist waits forever: the
// binder finds no class, no provisioner is asked, and only a "storageclass not found" event says so.
// So does a claim naming no class at all in a cluster without a default class: it can only bind a
// volume that has no class, and no provisioner is ever asked for one.

import { DEFAULT_CLASS_ANNOTATION } from '../../model/annotations.ts';
import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { formatDuration } from '../../model/time.ts';
import type { PersistentVolumeClaim, StatefulSet } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, fieldEvidence, newestEvents } from '../evidence.ts';
import { remedy, type Finding } from '../finding.ts';
import { recreateStatefulSet } from '../recipes/recreate-statefulset.ts';
import { recreatePendingClaim } from '../recipes/replace-claim.ts';
import { PROVISIONING_GRACE } from '../thresholds.ts';
import { podsWaitingOn, severityForClaim, waitingText } from '../workload.ts';

const ID = 'missing-storageclass';

export const missingStorageClass: Check = {
  id: ID,
  run(scope) {
    const { model } = scope;
    if (!model.sees('StorageClass')) return [];
    return [
      ...scope.each(model.claims.values(), (claim) => pendingClaim(scope, claim)),
      ...scope.each(model.statefulSets.values(), (sts) => templates(scope, sts)),
    ];
  },
};

function existingClasses(model: ClusterModel): string {
  return [...model.storageClasses.keys()].join(', ') || 'none';
}

function pendingClaim(scope: CheckScope, claim: PersistentVolumeClaim): Finding | undefined {
  const { model } = scope;
  if (claim.status?.phase !== 'Pending' || claim.metadata.deletionTimestamp) return undefined;
  const name = claim.spec?.storageClassName;
  if (name === undefined) return noClassNoDefault(scope, claim);
  if (!name || model.storageClasses.has(name)) return undefined; // "" asks for a volume without a class, on purpose
  const ns = claim.metadata.namespace;
  const owner = model.statefulSetOfClaim(claim);
  return scope.raise({
    severity: severityForClaim(model, claim) ?? 'warning',
    object: refOf(claim),
    cause: { kind: 'StorageClass', name },
    related: [...(owner ? [refOf(owner.sts)] : []), ...podsWaitingOn(model, claim).map(refOf)],
    message: `${ns}/${claim.metadata.name} is Pending on storageClassName "${name}", which does not exist${waitingText(model, claim)}`,
    evidence: [
      fieldEvidence(claim, `spec.storageClassName=${name}; classes: ${existingClasses(model)}`),
      ...newestEvents(model.eventsFor(claim), (e) => e.reason === 'ProvisioningFailed' || /not found/i.test(e.message), 1).map(eventEvidence),
    ],
    remediation: remedy([], { title: 'the class was meant to exist', steps: [{ text: `Create class ${name}: the claim binds as soon as it does.` }] }, recreatePendingClaim(model, claim)),
  });
}

/** With no default class, a claim without storageClassName can only bind a volume without a class. */
function noClassNoDefault(scope: CheckScope, claim: PersistentVolumeClaim): Finding | undefined {
  const { model } = scope;
  const pending = model.since(claim.metadata.creationTimestamp);
  if (model.defaultStorageClass() || pending === undefined || pending < PROVISIONING_GRACE || claim.spec?.volumeName) return undefined;
  const ns = claim.metadata.namespace;
  const candidates = [...model.storageClasses.keys()];
  return scope.raise({
    severity: severityForClaim(model, claim) ?? 'warning',
    object: refOf(claim),
    related: podsWaitingOn(model, claim).map(refOf),
    message: `${ns}/${claim.metadata.name} has been Pending ${formatDuration(pending)}: it names no StorageClass and the cluster has no default class, so nothing provisions it (only a volume without a class could bind it)${waitingText(model, claim)}`,
    evidence: [fieldEvidence(claim, `spec.storageClassName unset; classes: ${existingClasses(model)}, none annotated ${DEFAULT_CLASS_ANNOTATION}=true`)],
    remediation: remedy([], {
      title: 'give the cluster a default class',
      steps: [candidates.length
        ? {
            text: 'Make a class the default: since Kubernetes 1.28 the PV controller then gives it to claims like this one that have none.',
            command: kubectl.patch('storageclass', candidates[0]!, undefined, { metadata: { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } } }),
            safeWhen: `${candidates[0]} is the class new claims without one should get`,
          }
        : { text: 'Create a StorageClass and make it the default: since Kubernetes 1.28 the PV controller then gives it to claims like this one that have none.' }],
    }, recreatePendingClaim(model, claim)),
  });
}

function templates(scope: CheckScope, sts: StatefulSet): Finding[] {
  const { model } = scope;
  const findings: Finding[] = [];
  for (const t of sts.spec?.volumeClaimTemplates ?? []) {
    const name = t.spec?.storageClassName;
    if (!name || model.storageClasses.has(name)) continue;
    const ns = sts.metadata.namespace;
    findings.push(scope.raise({
      severity: 'warning',
      object: refOf(sts),
      cause: { kind: 'StorageClass', name },
      message: `StatefulSet ${ns}/${sts.metadata.name} claim template "${t.metadata?.name}" names storageClassName "${name}", which does not exist: the next replica's claim will stay Pending`,
      evidence: [fieldEvidence(sts, `spec.volumeClaimTemplates[${t.metadata?.name}].spec.storageClassName=${name}; classes: ${existingClasses(model)}`)],
      remediation: remedy([],
        { title: `the class should exist`, steps: [{ text: `Create class ${name}; the claims of new replicas then provision from it.` }] },
        { title: 'the template should name another class', steps: [
          { text: 'Re-create the StatefulSet with an existing class in its claim template (the template cannot be edited in place):' },
          ...recreateStatefulSet(sts, `set storageClassName of volumeClaimTemplates "${t.metadata?.name}" to an existing class`),
        ] }),
    }));
  }
  return findings;
}
