// Seed 000's "new nodes lack storage quota" at the namespace level: a ResourceQuota refuses the
// claim the StatefulSet controller creates for a new replica, so the replica never appears.
//
// Only claims refused for a storage key count (requests.storage, persistentvolumeclaims, or their
// per-class forms): a CPU quota refusing a pod is not a storage problem. The quota admission names
// exactly the keys it refused for ("limited: k=v,..."), and the remedy raises those keys. A key
// whose hard limit is 0 is how a namespace is forbidden a class: that is a policy, not a shortage.

import { refOf, type ClusterModel } from '../../model/cluster-model.ts';
import { keyOf } from '../../model/snapshot.ts';
import { claimName, runsOrdinal } from '../../model/ordinals.ts';
import { formatBytes, parseQuantity } from '../../model/quantity.ts';
import type { ClusterEvent, ResourceQuota, StatefulSet } from '../../model/types.ts';
import type { Check, CheckScope } from '../check.ts';
import { kubectl } from '../commands.ts';
import { eventEvidence, fieldEvidence, isCurrent, newestEvents } from '../evidence.ts';
import { remedy, type Finding, type RemediationStep } from '../finding.ts';

const ID = 'storage-quota-exceeded';

// quota admission: "exceeded quota: NAME, requested: k=v,..., used: k=v,..., limited: k=v,..."
const QUOTA_REFUSAL = /exceeded quota: ([^,\s]+), requested: (\S*), used: (\S*), limited: (\S*)/i;
const CLAIM_REFUSED = /persistentvolumeclaims? "([^"]+)" is forbidden/;
const PER_CLASS = /^(.+)\.storageclass\.storage\.k8s\.io\/(requests\.storage|persistentvolumeclaims)$/;

/** requests.storage, persistentvolumeclaims and their per-class forms. */
export function isStorageQuotaKey(key: string): boolean {
  return key === 'requests.storage' || key === 'persistentvolumeclaims' || PER_CLASS.test(key);
}

function quantities(list: string): Map<string, string> {
  return new Map(list.split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
}

interface Refusal {
  event: ClusterEvent;
  quota: string;
  claim: string;
  requested: Map<string, string>;
  used: Map<string, string>;
  limited: Map<string, string>;
}

function refusalOf(e: ClusterEvent): Refusal | undefined {
  if (e.reason !== 'FailedCreate') return undefined;
  const claim = CLAIM_REFUSED.exec(e.message)?.[1];
  const m = QUOTA_REFUSAL.exec(e.message);
  if (!claim || !m) return undefined;
  const limited = quantities(m[4]!);
  if (![...limited.keys()].some(isStorageQuotaKey)) return undefined;
  return { event: e, quota: m[1]!, claim, requested: quantities(m[2]!), used: quantities(m[3]!), limited };
}

export const storageQuotaExceeded: Check = {
  id: ID,
  run(scope) {
    const { model } = scope;
    const refused = scope.each(model.statefulSets.values(), (sts) => refusedClaims(scope, sts));
    const reported = new Set(refused.flatMap((f) => f.related.filter((r) => r.kind === 'ResourceQuota').map((r) => keyOf(r.namespace, r.name))));
    const full = scope.each(model.snapshot.resourceQuotas, (q) => (reported.has(keyOf(q.metadata.namespace, q.metadata.name)) ? undefined : usedUp(scope, q)));
    return [...refused, ...full];
  },
};

/** A claim the StatefulSet still wants: one of its running ordinals, not created since. */
function stillWanted(model: ClusterModel, sts: StatefulSet, claim: string): boolean {
  if (model.claims.has(sts.metadata.namespace, claim)) return false;
  const ordinal = Number(/-(\d+)$/.exec(claim)?.[1]);
  const templates = sts.spec?.volumeClaimTemplates ?? [];
  return Number.isInteger(ordinal) && runsOrdinal(sts, ordinal) && templates.some((t) => claimName(sts, t.metadata?.name ?? '', ordinal) === claim);
}

function refusedClaims(scope: CheckScope, sts: StatefulSet): Finding[] {
  const { model } = scope;
  const ns = sts.metadata.namespace;
  const latest = new Map<string, Refusal>();
  for (const e of newestEvents(model.eventsFor(sts), (ev) => isCurrent(model, ev), Infinity)) {
    const refusal = refusalOf(e);
    if (refusal && !latest.has(refusal.claim)) latest.set(refusal.claim, refusal); // newest first
  }
  return [...latest.values()].filter((r) => stillWanted(model, sts, r.claim)).map((r) => {
    const quota = model.snapshot.resourceQuotas.find((q) => q.metadata.namespace === ns && q.metadata.name === r.quota);
    const forbidden = [...r.limited].filter(([k, v]) => isStorageQuotaKey(k) && parseQuantity(v) === 0).map(([k]) => k);
    return scope.raise({
      object: refOf(sts),
      cause: { kind: 'ResourceQuota', namespace: ns, name: r.quota },
      related: [{ kind: 'ResourceQuota', namespace: ns, name: r.quota }, { kind: 'PersistentVolumeClaim', namespace: ns, name: r.claim }],
      message: forbidden.length
        ? `ResourceQuota ${ns}/${r.quota} forbids ${forbidden.map(describeKey).join(' and ')} in ${ns} (hard limit 0), so claim ${r.claim} of StatefulSet ${ns}/${sts.metadata.name} is refused: the replica cannot be created`
        : `ResourceQuota ${ns}/${r.quota} refuses claim ${r.claim} of StatefulSet ${ns}/${sts.metadata.name} (${[...r.limited.keys()].filter(isStorageQuotaKey).map(describeKey).join(', ')} used up): the replica cannot be created`,
      evidence: [eventEvidence(r.event), ...(quota ? quotaEvidence(quota) : [])],
      remediation: forbidden.length ? forbiddenRemedy(ns, r.quota) : raiseRemedy(ns, r),
    });
  });
}

function describeKey(key: string): string {
  const perClass = PER_CLASS.exec(key);
  if (perClass) return `${perClass[2] === 'persistentvolumeclaims' ? 'claims' : 'storage'} of class ${perClass[1]}`;
  return key === 'persistentvolumeclaims' ? 'the number of claims' : 'requested storage';
}

/** The smallest limit that admits the refused claim: what is used plus what was requested. */
function neededLimit(key: string, r: Refusal): string | undefined {
  const used = parseQuantity(r.used.get(key) ?? '0');
  const requested = parseQuantity(r.requested.get(key));
  if (used === undefined || requested === undefined) return undefined;
  return key.endsWith('persistentvolumeclaims') ? String(used + requested) : formatBytes(used + requested);
}

function raiseRemedy(ns: string | undefined, r: Refusal): RemediationStep[] {
  const keys = [...r.limited.keys()].filter(isStorageQuotaKey);
  const hard = Object.fromEntries(keys.map((k) => [k, neededLimit(k, r) ?? `<more than ${r.limited.get(k)}>`]));
  return remedy(
    [{ text: 'See what the quota allows and what uses it.', command: kubectl.describe('resourcequota', r.quota, ns) }],
    { title: 'free what the quota counts', steps: [{ text: 'Delete claims nobody needs (orphan-pvc lists those left by scale-downs); the StatefulSet controller retries by itself.' }] },
    {
      title: 'raise the quota',
      steps: [{
        text: `Raise ${keys.join(' and ')} to at least what is used plus the refused claim; the StatefulSet controller retries by itself.`,
        command: kubectl.patch('resourcequota', r.quota, ns, { spec: { hard } }),
        safeWhen: 'the namespace may use that much more storage (the quota is someone\'s budget)',
      }],
    },
  );
}

function forbiddenRemedy(ns: string | undefined, quota: string): RemediationStep[] {
  return [
    { text: 'A hard limit of 0 forbids the class in this namespace on purpose; raising it is a policy decision, not a fix.', command: kubectl.describe('resourcequota', quota, ns) },
    { text: 'Use a class the namespace may use: change the StatefulSet\'s claim template (it cannot be edited in place; re-create the StatefulSet with --cascade=orphan, see sts-template-drift), or have the quota\'s owner allow this class.' },
  ];
}

function quotaEvidence(quota: ResourceQuota) {
  return Object.entries(quota.status?.hard ?? {})
    .filter(([k]) => isStorageQuotaKey(k))
    .map(([k, hard]) => fieldEvidence(quota, `${k}: used ${quota.status?.used?.[k] ?? '0'} of ${hard}`));
}

function usedUp(scope: CheckScope, quota: ResourceQuota): Finding | undefined {
  // A hard limit of 0 forbids; it is not "used up".
  const full = Object.entries(quota.status?.hard ?? {}).filter(([k, hard]) => {
    if (!isStorageQuotaKey(k)) return false;
    const used = parseQuantity(quota.status?.used?.[k] ?? '0');
    const limit = parseQuantity(hard);
    return used !== undefined && limit !== undefined && limit > 0 && used >= limit;
  });
  if (!full.length) return undefined;
  const ns = quota.metadata.namespace;
  return scope.raise({
    severity: 'warning',
    object: refOf(quota),
    cause: refOf(quota),
    message: `ResourceQuota ${ns}/${quota.metadata.name} is used up (${full.map(([k]) => describeKey(k)).join(', ')}): the next claim in ${ns}, e.g. of a StatefulSet scaling up, will be refused`,
    evidence: full.map(([k, hard]) => fieldEvidence(quota, `${k}: used ${quota.status?.used?.[k]} of ${hard}`)),
    remediation: [
      { text: 'Before scaling a StatefulSet up here, free storage (orphan-pvc, released-pv) or raise the quota.', command: kubectl.describe('resourcequota', quota.metadata.name, ns) },
    ],
  });
}
