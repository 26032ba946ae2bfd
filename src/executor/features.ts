// What the API server offers, read from its OpenAPI document, never assumed from its version.
//
// KEP-4650 (update a StatefulSet's claim templates in place) is not served by any release up to
// 1.37. Its text has named the field two ways: spec.volumeClaimUpdatePolicy (OnClaimDelete | InPlace,
// kubernetes/enhancements#4651) and, in its later revision, spec.volumeClaimUpdateStrategy.type
// (#6150). Either, declared on apps/v1 StatefulSetSpec, is upstream's (OpenKruise's field of the
// second name lives in its own API group, apps.kruise.io, and never appears here). When a release
// serves it, the in-place path is to be verified against it before it is trusted further.

import type { Plan } from '../plans/plan.ts';
import type { ApiFeatures } from '../plans/resize.ts';
import { ApiError, type KubeApi } from '../model/kube-api.ts';

const IN_PLACE_FIELDS = ['volumeClaimUpdatePolicy', 'volumeClaimUpdateStrategy'];

export async function apiFeatures(api: KubeApi): Promise<ApiFeatures> {
  return { inPlaceClaimTemplates: statefulSetSpecFields(await api.openapi('apps/v1')).some((f) => IN_PLACE_FIELDS.includes(f)) };
}

/** The properties apps/v1 StatefulSetSpec declares in an OpenAPI v3 document (none if unreadable). */
export function statefulSetSpecFields(document: string | undefined): string[] {
  if (!document) return [];
  try {
    const schemas = (JSON.parse(document) as { components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> } }).components?.schemas ?? {};
    return Object.keys(schemas['io.k8s.api.apps.v1.StatefulSetSpec']?.properties ?? {});
  } catch {
    return [];
  }
}

/** A declared field is not a served feature: with its feature gate off the API server still lists
 *  it and refuses a change to the claim templates (Invalid, "updates to statefulset spec for fields
 *  other than ... are forbidden"). So a plan that patches them in place is first sent as a server
 *  dry run; undefined when admitted, else the API server's reason. */
export async function inPlaceRefusal(api: KubeApi, plan: Plan): Promise<string | undefined> {
  const step = plan.steps.find((s) => s.action.verb === 'patch' && s.action.target.kind === 'StatefulSet' && 'volumeClaimTemplates' in ((s.action.patch.spec ?? {}) as object));
  if (step?.action.verb !== 'patch') return undefined;
  const { target, patch } = step.action;
  try {
    await api.mergePatch(target.kind, target.namespace, target.name, patch, true);
    return undefined;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 422 || err.status === 400)) return err.message;
    throw err;
  }
}
