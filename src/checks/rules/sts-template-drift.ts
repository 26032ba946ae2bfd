// Seeds 002/003: claims of a StatefulSet were expanded one by one, but the claim template cannot be
// edited in place, so the next replica (or a re-created claim) gets the old size. Or the StatefulSet
// was re-created with a bigger template and the existing claims were never expanded.

import { refOf } from '../../model/cluster-model.ts';
import { formatBytes, parseQuantity } from '../../model/quantity.ts';
import type { PersistentVolumeClaim, StatefulSet } from '../../model/types.ts';
import { raise, type Check } from '../check.ts';
import { kubectl } from '../commands.ts';
import { fieldEvidence } from '../evidence.ts';
import type { Finding, RemediationStep } from '../finding.ts';
import { requestedBytes } from '../resize.ts';

const ID = 'sts-template-drift';

export const stsTemplateDrift: Check = {
  id: ID,
  run(model) {
    const findings: Finding[] = [];
    for (const sts of model.statefulSets.values()) {
      for (const t of sts.spec?.volumeClaimTemplates ?? []) {
        const name = t.metadata?.name;
        const templateBytes = parseQuantity(t.spec?.resources?.requests?.storage);
        const claims = name ? model.members(sts).claims.get(name) : undefined;
        if (!name || templateBytes === undefined || !claims) continue;
        const differing = [...claims].filter(([, c]) => requestedBytes(c) !== undefined && requestedBytes(c) !== templateBytes).sort(([a], [b]) => b - a);
        if (differing.length) findings.push(drift(sts, name, templateBytes, differing));
      }
    }
    return findings;
  },
};

function drift(sts: StatefulSet, template: string, templateBytes: number, differing: [number, PersistentVolumeClaim][]): Finding {
  const ns = sts.metadata.namespace;
  const sizes = differing.map(([o, c]) => `${c.metadata.name}=${c.spec?.resources?.requests?.storage}`).join(', ');
  const largest = Math.max(...differing.map(([, c]) => requestedBytes(c)!));
  const grown = largest > templateBytes;
  return raise(ID, {
    object: refOf(sts),
    related: differing.map(([, c]) => refOf(c)),
    message: grown
      ? `StatefulSet ${ns}/${sts.metadata.name} template "${template}" requests ${formatBytes(templateBytes)} but claims were expanded (${sizes}): a new replica, or a claim re-created after loss, gets ${formatBytes(templateBytes)}`
      : `StatefulSet ${ns}/${sts.metadata.name} template "${template}" requests ${formatBytes(templateBytes)} but existing claims were not expanded (${sizes})`,
    evidence: [
      fieldEvidence(sts, `spec.volumeClaimTemplates[${template}].spec.resources.requests.storage=${formatBytes(templateBytes)}`),
      ...differing.slice(0, 5).map(([, c]) => fieldEvidence(c, `spec.resources.requests.storage=${c.spec?.resources?.requests?.storage}, status.capacity.storage=${c.status?.capacity?.storage ?? '?'}`)),
    ],
    remediation: grown ? recreateWithSize(sts, template, formatBytes(largest)) : expandClaims(differing, formatBytes(templateBytes)),
  });
}

/** volumeClaimTemplates are immutable: re-create the StatefulSet without touching its pods. */
function recreateWithSize(sts: StatefulSet, template: string, size: string): RemediationStep[] {
  const ns = sts.metadata.namespace;
  const name = sts.metadata.name;
  return [
    { text: 'Save the StatefulSet as it is.', command: `${kubectl.get('statefulset', name, ns)} > ${name}.yaml` },
    {
      text: 'Delete only the StatefulSet object; its pods keep running, orphaned, and nothing restarts.',
      command: kubectl.delete('statefulset', name, ns, ' --cascade=orphan'),
      safeWhen: `${name}.yaml is saved; until the StatefulSet is re-created no controller replaces a failed pod`,
    },
    { text: `In ${name}.yaml set volumeClaimTemplates "${template}" storage to ${size}, drop status, metadata.resourceVersion and metadata.uid, and apply it: the new StatefulSet adopts the running pods. With Helm, change the chart value to ${size} and upgrade instead.`, command: `kubectl apply -f ${name}.yaml` },
  ];
}

function expandClaims(differing: [number, PersistentVolumeClaim][], size: string): RemediationStep[] {
  return [
    ...differing.map(([, c]) => ({
      text: `Expand ${c.metadata.name} (highest ordinal first; wait until its capacity shows ${size} before the next).`,
      command: kubectl.patch('pvc', c.metadata.name, c.metadata.namespace, { spec: { resources: { requests: { storage: size } } } }),
      safeWhen: 'the class allows expansion (see resize-unsupported)',
    })),
  ];
}
