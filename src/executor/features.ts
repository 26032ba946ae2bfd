// What the API server offers, read from its OpenAPI document, never assumed from its version.
//
// KEP-4650 (update a StatefulSet's claim templates in place) is not served by any release up to
// 1.37. Its text has named the field two ways: spec.volumeClaimUpdatePolicy (OnClaimDelete | InPlace,
// kubernetes/enhancements#4651) and, in its later revision, spec.volumeClaimUpdateStrategy.type
// (#6150). Either, declared on apps/v1 StatefulSetSpec, is upstream's (OpenKruise's field of the
// second name lives in its own API group, apps.kruise.io, and never appears here). When a release
// serves it, the in-place path is to be verified against it before it is trusted further.

import type { ApiFeatures } from '../plans/resize.ts';
import type { KubeApi } from '../model/kube-api.ts';

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
