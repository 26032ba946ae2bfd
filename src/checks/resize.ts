// Facts about a claim's expansion that the resize checks share.

import type { PersistentVolumeClaim } from '../model/types.ts';
import { parseQuantity } from '../model/quantity.ts';

export function requestedBytes(claim: PersistentVolumeClaim): number | undefined {
  return parseQuantity(claim.spec?.resources?.requests?.storage);
}

export function capacityBytes(claim: PersistentVolumeClaim): number | undefined {
  return parseQuantity(claim.status?.capacity?.storage);
}

/** A Bound claim asking for more than it has: an expansion was requested and has not completed. */
export function isGrowing(claim: PersistentVolumeClaim): boolean {
  const want = requestedBytes(claim);
  const have = capacityBytes(claim);
  return claim.status?.phase === 'Bound' && want !== undefined && have !== undefined && want > have;
}

export function trueCondition(claim: PersistentVolumeClaim, type: string) {
  return claim.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

export const RESIZE_ERROR_CONDITIONS = ['ControllerResizeError', 'NodeResizeError'];

/** external-resizer's answer for a driver that expands only offline while a pod uses the volume:
 *  the driver's FailedPrecondition, kept as ControllerResizeError, and "only supports offline
 *  expansion and volume is currently in-use" on every retry while any pod references the claim
 *  (external-resizer pkg/controller/expand_and_recover.go). Not a failure: it waits for the pod. */
export function isInUseResizeError(c: { type: string; reason?: string; message?: string } | undefined): boolean {
  return c?.type === 'ControllerResizeError' && /FailedPrecondition|in[- ]use/i.test(`${c.reason ?? ''} ${c.message ?? ''}`);
}
export const INFEASIBLE_STATUSES = ['ControllerResizeInfeasible', 'NodeResizeInfeasible'];
export const RESIZE_FAILURE_EVENTS = new Set(['VolumeResizeFailed', 'FileSystemResizeFailed', 'ExternalExpandingFailed']);
