// The one place a plan's action becomes a write. Each write is made against the object as read just
// before: a patch carries its resourceVersion, a delete its uid (and resourceVersion where a change
// in between would matter), so the API refuses a write on anything that changed since it was judged.

import { OUT_OF_SERVICE_TAINT, RECREATED_BY_ANNOTATION } from '../model/annotations.ts';
import { ClusterError, firstLine } from '../model/errors.ts';
import type { Action, JsonObject, TemplateSize } from '../plans/plan.ts';
import { ApiError, type KubeApi, type KubeObject } from '../model/kube-api.ts';
import { MEMBERS, RECREATED, SAVED_STATEFULSET, type Journal } from './journal.ts';

export type Outcome = 'done' | 'changed' | 'blocked';

/** Performs `action`. 'changed': the object is not the one the step was planned for (gone, or
 *  another uid), so the caller judges the step's outcome instead; 'blocked': the API refused for now
 *  (a PodDisruptionBudget), to be tried again while waiting. `pinned`: the resourceVersion the
 *  step's requirements were judged on; a patch or delete of the target carries it instead of the
 *  version read now, so it lands only on the object as it was judged. */
export async function perform(action: Action, api: KubeApi, journal: Journal, now: Date, pinned?: string): Promise<Outcome> {
  switch (action.verb) {
    case 'none':
      return 'done';
    case 'save': {
      const obj = await api.read(action.target);
      if (!obj || (action.target.uid && obj.metadata.uid !== action.target.uid)) return 'changed';
      await journal.save(action.target.kind, obj, now);
      return 'done';
    }
    case 'patch': {
      const obj = await api.read(action.target);
      if (!obj || (action.target.uid && obj.metadata.uid !== action.target.uid)) return 'changed';
      const patch = action.patch as { metadata?: JsonObject };
      await api.mergePatch(action.target.kind, action.target.namespace, action.target.name, { ...patch, metadata: { ...patch.metadata, resourceVersion: pinned ?? obj.metadata.resourceVersion } });
      return 'done';
    }
    case 'delete':
      return deleteObject(action, api, journal, now, pinned);
    case 'evict':
      try {
        await api.evict(action.target.namespace, action.target.name, action.target.uid);
        return 'done';
      } catch (err) {
        if (err instanceof ApiError && err.status === 429) return 'blocked';
        if (err instanceof ApiError && (err.status === 404 || err.status === 409)) return 'changed';
        throw err;
      }
    case 'create':
      try {
        await api.create(action.manifest.kind, action.manifest.metadata.namespace, action.manifest);
        return 'done';
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) return 'changed';
        throw err;
      }
    case 'recreate':
      return recreate(journal.saved(SAVED_STATEFULSET), action.sizes, api, journal, now);
    case 'taint-out-of-service': {
      const node = await api.get('Node', undefined, action.target.name);
      if (!node) return 'changed';
      const taints = ((node.spec as JsonObject | undefined)?.taints as JsonObject[] | undefined) ?? [];
      if (taints.some((t) => t.key === OUT_OF_SERVICE_TAINT)) return 'done';
      await api.mergePatch('Node', undefined, action.target.name, {
        metadata: { resourceVersion: node.metadata.resourceVersion },
        spec: { taints: [...taints, { key: OUT_OF_SERVICE_TAINT, value: 'nodeshutdown', effect: 'NoExecute' }] },
      });
      return 'done';
    }
  }
}

async function deleteObject(action: Extract<Action, { verb: 'delete' }>, api: KubeApi, journal: Journal, now: Date, pinned: string | undefined): Promise<Outcome> {
  const { target } = action;
  const obj = await api.read(target);
  if (!obj || (target.uid && obj.metadata.uid !== target.uid)) return 'changed';
  if (action.orphan && target.kind === 'StatefulSet') await saveBeforeOrphaning(obj, api, journal, now);
  const version = pinned ?? (action.orphan ? obj.metadata.resourceVersion : undefined);
  const preconditions = { uid: obj.metadata.uid, ...(version ? { resourceVersion: version } : {}) };
  try {
    await api.delete(target.kind, target.namespace, target.name, {
      preconditions, ...(action.orphan ? { propagationPolicy: 'Orphan' } : {}), ...(action.force ? { gracePeriodSeconds: 0 } : {}),
    });
    return 'done';
  } catch (err) {
    // 409 on a version the requirements were judged on: judge them again (the caller retries);
    // otherwise the object changed since it was read. 404: gone already.
    if (err instanceof ApiError && err.status === 409 && pinned) throw err;
    if (err instanceof ApiError && (err.status === 404 || err.status === 409)) return 'changed';
    throw err;
  }
}

/** Right before an orphan delete, what creating it again needs, read then and not at planning: the
 *  StatefulSet as it is now (labels and annotations change without a new generation) and the pods
 *  it leaves (a remount earlier in the plan restarted some). One that a controller took over since
 *  the plan (an operator adopting it) is not deleted: that controller would create it again. */
async function saveBeforeOrphaning(sts: KubeObject, api: KubeApi, journal: Journal, now: Date): Promise<void> {
  const owner = ((sts.metadata.ownerReferences ?? []) as { kind: string; name: string; controller?: boolean }[]).find((r) => r.controller);
  if (owner) throw new ClusterError(`statefulset ${sts.metadata.name} is controlled by ${owner.kind} ${owner.name} now: it is not deleted, that controller would create it again`);
  const pods = (await memberPods(api, sts)).map((p) => ({ name: p.metadata.name, uid: p.metadata.uid ?? '' }));
  await journal.saveAll({ [SAVED_STATEFULSET]: sts, [MEMBERS]: { pods } }, now);
}

/** The saved StatefulSet as a new object: same spec, claim templates at their new sizes, none of
 *  the server's bookkeeping, so the API creates it and the controller adopts the running pods. It
 *  carries the journal's uid, so a run that crashes right after the create knows it as its own. */
export function recreatedManifest(saved: KubeObject, sizes: TemplateSize[], journalUid?: string): KubeObject {
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, generation: _g, managedFields: _mf, selfLink: _sl, deletionTimestamp: _dt, deletionGracePeriodSeconds: _dg, finalizers: _f, ...rest } = saved.metadata as Record<string, unknown>;
  const metadata = journalUid ? { ...rest, annotations: { ...(rest.annotations as Record<string, string> | undefined), [RECREATED_BY_ANNOTATION]: journalUid } } : rest;
  const spec = structuredClone(saved.spec) as { volumeClaimTemplates?: { metadata?: { name?: string }; spec?: { resources?: { requests?: Record<string, string> } } }[] };
  for (const t of spec.volumeClaimTemplates ?? []) {
    const size = sizes.find((s) => s.template === t.metadata?.name);
    if (size) t.spec = { ...t.spec, resources: { ...t.spec?.resources, requests: { ...t.spec?.resources?.requests, storage: size.storage } } };
  }
  return { apiVersion: saved.apiVersion ?? 'apps/v1', kind: 'StatefulSet', metadata: metadata as KubeObject['metadata'], spec };
}

async function recreate(saved: KubeObject | undefined, sizes: TemplateSize[], api: KubeApi, journal: Journal, now: Date): Promise<Outcome> {
  if (!saved) throw new ClusterError('the journal holds no saved StatefulSet to create again: it was not saved before the delete');
  const manifest = recreatedManifest(saved, sizes, journal.uid);
  let created: KubeObject;
  try {
    created = await api.create('StatefulSet', manifest.metadata.namespace, manifest);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 409)) throw err;
    // Taken: by the create of a run that then crashed (our stamp), or by someone else.
    const existing = await api.get('StatefulSet', manifest.metadata.namespace, manifest.metadata.name);
    if (existing?.metadata.annotations?.[RECREATED_BY_ANNOTATION] !== journal.uid) return 'changed';
    created = existing;
  }
  // Generation 1, as created: one found after a crash and changed since by someone else is not ours to go on with.
  await journal.save(RECREATED, { uid: created.metadata.uid ?? '', generation: 1 }, now);
  return 'done';
}

/** Why the API server would not admit the StatefulSet created again from `source` (an admission
 *  policy added since it was deployed: a ValidatingAdmissionPolicy, Kyverno, Gatekeeper), or
 *  undefined. Sent with dryRun=All under a generated name, since its own name is taken until the
 *  orphan delete: a policy that judges the name itself is not seen here. */
export async function recreateRefusal(api: KubeApi, source: KubeObject, sizes: TemplateSize[], journalUid?: string): Promise<string | undefined> {
  const manifest = recreatedManifest(source, sizes, journalUid);
  const { name, ...metadata } = manifest.metadata;
  try {
    await api.create('StatefulSet', metadata.namespace, { ...manifest, metadata: { ...metadata, generateName: `${name}-` } }, true);
    return undefined;
  } catch (err) {
    if (err instanceof ApiError && isCountQuotaOfTheOriginal(err)) return undefined;
    if (err instanceof ApiError && err.status >= 400 && err.status < 500) return `the API server would not create statefulset ${name} again: ${firstLine(err).replace(/^\S+ \S+: /, '')}`;
    throw err;
  }
}

/** A ResourceQuota on count/statefulsets.apps refuses the dry-run copy only because the original
 *  still counts; the real create comes after the orphan delete frees its place. The quota
 *  admission names the resources that failed (resourcequota/controller.go: "exceeded quota: %s,
 *  requested: %s, used: ..."): ignored only if that is the StatefulSet count alone. */
function isCountQuotaOfTheOriginal(err: ApiError): boolean {
  const requested = /exceeded quota: [^,]+, requested: (.*?), used:/.exec(err.message)?.[1];
  return err.status === 403 && requested !== undefined && requested.split(',').every((r) => r.trim().startsWith('count/statefulsets.apps='));
}

/** The pods of a StatefulSet: its selector's pods named <sts>-<ordinal>. */
export async function memberPods(api: KubeApi, sts: KubeObject): Promise<KubeObject[]> {
  const labels = ((sts.spec as JsonObject | undefined)?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
  const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = await api.list('Pod', sts.metadata.namespace, selector ? { labelSelector: selector } : {});
  const member = new RegExp(`^${sts.metadata.name.replace(/[.]/g, '\\.')}-\\d+$`);
  return pods.filter((p) => member.test(p.metadata.name));
}
