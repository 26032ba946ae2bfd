// The four operations as data: what each plan reads and how it is planned from a request. The
// request is what a plan keeps (plan.request): the same request planned again is how a resumed run
// finds its journal and how `stsvol apply` checks that the cluster has not moved since a saved plan.

import { apiFeatures, inPlaceRefusal } from '../executor/features.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import { firstLine } from '../model/errors.ts';
import type { KubeApi } from '../model/kube-api.ts';
import type { Operation, PlanResult } from '../plans/plan.ts';
import type { PriceTable } from '../model/pricing.ts';
import { planReclaim } from '../plans/reclaim.ts';
import { planRecover, type RecoverRequest } from '../plans/recover.ts';
import { planResize, type ApiFeatures } from '../plans/resize.ts';
import { planScale } from '../plans/scale.ts';

export interface ResizeRequest { namespace: string; statefulSet: string; to: string; template?: string; remountAfterSeconds: number }
export interface ScaleRequest { namespace: string; statefulSet: string; replicas: number; quarantine?: boolean; reuseClaims?: boolean; deleteClaims?: boolean; snapshotClass?: string }
export interface ReclaimRequest { namespace: string | null; snapshotClass?: string; includeParked: boolean }

export type OperationRequest = ResizeRequest | ScaleRequest | RecoverRequest | ReclaimRequest;

/** What planning may use beyond the model: the API (live only), prices, and the day (snapshot names). */
export interface PlanEnv {
  api?: KubeApi;
  prices: PriceTable;
  today: string;
}

export interface OperationSpec<R extends OperationRequest = OperationRequest> {
  name: Operation;
  /** The namespace the plan reads, or undefined for all (a node's pods, a cluster-wide reclaim). */
  reads(request: R): string | undefined;
  /** Starts what planning will ask the API, while the cluster is read. */
  prepare?(api: KubeApi): void;
  plan(model: ClusterModel, request: R, env: PlanEnv): Promise<PlanResult>;
}

/** The API's features, asked once per client (prepare starts it, plan waits for it). */
const features = new WeakMap<KubeApi, Promise<ApiFeatures>>();
function featuresOf(api: KubeApi): Promise<ApiFeatures> {
  let asked = features.get(api);
  if (!asked) {
    asked = apiFeatures(api);
    asked.catch(() => undefined); // judged when planning waits for it
    features.set(api, asked);
  }
  return asked;
}

const resize: OperationSpec<ResizeRequest> = {
  name: 'resize',
  reads: (r) => r.namespace,
  prepare: (api) => void featuresOf(api),
  async plan(model, request, env) {
    // Offline nothing can tell whether claim templates update in place: none of today's releases do.
    const planned = planResize(model, request, env.api ? await featuresOf(env.api) : { inPlaceClaimTemplates: false });
    const refused = env.api && !planned.refusals.length ? await inPlaceRefusal(env.api, planned.plan) : undefined;
    if (!refused) return planned;
    // Declared but not enabled (its feature gate off): the re-create path, which every release serves.
    const fallback = planResize(model, request, { inPlaceClaimTemplates: false });
    fallback.plan.warnings.push(`The API server declares in-place claim template updates but refused one (${firstLine(refused)}): the StatefulSet is re-created instead.`);
    return fallback;
  },
};

const scale: OperationSpec<ScaleRequest> = {
  name: 'scale',
  reads: (r) => r.namespace,
  plan: async (model, request, env) => planScale(model, request, env.prices, env.today),
};

const recover: OperationSpec<RecoverRequest> = {
  name: 'recover',
  // A node's pods are in every namespace, and so are the users of an attachment's volume.
  reads: (r) => (r.kind === 'pod' ? r.namespace : undefined),
  plan: async (model, request) => planRecover(model, request),
};

const reclaim: OperationSpec<ReclaimRequest> = {
  name: 'reclaim',
  reads: (r) => r.namespace ?? undefined,
  plan: async (model, request, env) => planReclaim(model, { namespace: request.namespace ?? undefined, snapshotClass: request.snapshotClass, includeParked: request.includeParked }, env.prices, env.today),
};

export const OPERATIONS: Record<Operation, OperationSpec> = { resize, scale, recover, reclaim } as unknown as Record<Operation, OperationSpec>;
