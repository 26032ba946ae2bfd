// Seeds 002/003: claims of a StatefulSet were expanded one by one, but the claim template cannot be
// edited in place, so the next replica (or a re-created claim) gets the old size. Or the StatefulSet
// was re-created with a bigger template and the existing claims were never expanded.
//
// Storage only grows, so the one state without drift is every claim and the template at the
// largest size among them; the remedy leads there, with sizes exactly as the API wrote them. A claim
// whose resize is in flight or finished minutes ago is a runbook in progress, not drift.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { parseQuantity } from '../../model/quantity.ts';
import type { PersistentVolumeClaim, StatefulSet } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl, shellWord, stsvolTarget } from '../commands.ts';
import { fieldEvidence, newestEvent } from '../evidence.ts';
import { remedy, type Finding, type RemediationStep } from '../finding.ts';
import { recreateStatefulSet } from '../recipes/recreate-statefulset.ts';
import { requestedBytes } from '../resize.ts';
import { RESIZE_GRACE } from '../thresholds.ts';

const ID = 'sts-template-drift';

const RESIZE_EVENTS = new Set(['Resizing', 'ExternalExpanding', 'VolumeResizeSuccessful', 'FileSystemResizeRequired', 'FileSystemResizeSuccessful']);
const RESIZE_CONDITIONS = new Set(['Resizing', 'FileSystemResizePending']);

export const stsTemplateDrift: Check = {
  id: ID,
  run(scope) {
    return scope.each(scope.model.statefulSets.values(), (sts) => {
      const findings: Finding[] = [];
      for (const t of sts.spec?.volumeClaimTemplates ?? []) {
        const name = t.metadata?.name;
        const size = t.spec?.resources?.requests?.storage;
        const claims = name ? scope.model.members(sts).claims.get(name) : undefined;
        if (!name || parseQuantity(size) === undefined || !claims) continue;
        const finding = judge(scope, sts, name, size!, [...claims]);
        if (finding) findings.push(finding);
      }
      return findings;
    });
  },
};

/** The claim's resize is in flight, or ended less than RESIZE_GRACE ago. */
function resizedRecently(model: ClusterModel, claim: PersistentVolumeClaim): boolean {
  const conditions = (claim.status?.conditions ?? []).filter((c) => RESIZE_CONDITIONS.has(c.type) && c.status === 'True').map((c) => c.lastTransitionTime);
  const event = newestEvent(model.eventsFor(claim).filter((e) => RESIZE_EVENTS.has(e.reason)));
  return [...conditions, event?.lastTime].some((t) => {
    const age = model.since(t);
    return age !== undefined && age < RESIZE_GRACE;
  });
}

function judge(scope: CheckScope, sts: StatefulSet, template: string, templateSize: string, claims: [number, PersistentVolumeClaim][]): Finding | undefined {
  const { model } = scope;
  const templateBytes = parseQuantity(templateSize)!;
  // Most claims match their template: the costlier question (a resize minutes ago?) is asked only
  // once a claim is known to differ.
  if (claims.every(([, c]) => requestedBytes(c) === undefined || requestedBytes(c) === templateBytes)) return undefined;
  const settled = claims.filter(([, c]) => requestedBytes(c) !== undefined && !c.metadata.deletionTimestamp && !resizedRecently(model, c));
  const differing = settled.filter(([, c]) => requestedBytes(c) !== templateBytes).sort(([a], [b]) => b - a);
  if (!differing.length) return undefined;
  // The size every claim and the template must reach, written as the API wrote it.
  let target = { bytes: templateBytes, text: templateSize };
  for (const [, c] of settled) if (requestedBytes(c)! > target.bytes) target = { bytes: requestedBytes(c)!, text: c.spec!.resources!.requests!.storage! };
  const below = settled.filter(([, c]) => requestedBytes(c)! < target.bytes).sort(([a], [b]) => b - a);
  const ns = sts.metadata.namespace;
  const sizes = differing.map(([, c]) => `${c.metadata.name}=${c.spec?.resources?.requests?.storage}`).join(', ');
  const grown = target.bytes > templateBytes;
  return scope.raise({
    object: refOf(sts),
    related: differing.map(([, c]) => refOf(c)),
    message: grown
      ? `StatefulSet ${ns}/${sts.metadata.name} template "${template}" requests ${templateSize} but claims were expanded (${sizes}): a new replica, or a claim re-created after loss, gets ${templateSize}`
      : `StatefulSet ${ns}/${sts.metadata.name} template "${template}" requests ${templateSize} but existing claims were not expanded (${sizes})`,
    evidence: [
      fieldEvidence(sts, `spec.volumeClaimTemplates[${template}].spec.resources.requests.storage=${templateSize}`),
      ...differing.slice(0, 5).map(([, c]) => fieldEvidence(c, `spec.resources.requests.storage=${c.spec?.resources?.requests?.storage}, status.capacity.storage=${c.status?.capacity?.storage ?? '?'}`)),
    ],
    remediation: remedy(
      expandClaims(below.map(([, c]) => c), target.text),
      ...(grown ? [
        {
          title: 'with stsvol',
          steps: [{
            text: 'stsvol takes the by-hand steps, journaled and resumable (claims first, then the orphan re-create, verifying that every pod is adopted); it shows the plan first and changes nothing without --apply.',
            command: `stsvol resize ${stsvolTarget('statefulset', sts.metadata.name, ns)} --to ${shellWord(target.text)} --template ${shellWord(template)}`,
          }],
        },
        { title: 'by hand', steps: recreateStatefulSet(sts, `set volumeClaimTemplates "${template}" storage to ${target.text}`) },
      ] : []),
    ),
  });
}

function expandClaims(claims: PersistentVolumeClaim[], size: string): RemediationStep[] {
  return claims.map((c) => ({
    text: `Expand ${c.metadata.name} to ${size} (highest ordinal first; wait until its capacity shows ${size} before the next).`,
    command: kubectl.patch('pvc', c.metadata.name, c.metadata.namespace, { spec: { resources: { requests: { storage: size } } } }),
    safeWhen: 'the class allows expansion (see resize-unsupported)',
  }));
}
