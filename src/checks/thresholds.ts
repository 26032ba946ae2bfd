// The waits after which a state stops being normal. Each one is longer than what the same state
// lasts in a healthy cluster, so doctor does not page anyone for Kubernetes doing its job.
import { DAY, MINUTE } from '../model/time.ts';

/** A pod past deletionTimestamp (which already includes its grace period) by this much is stuck:
 *  a reachable kubelet finishes within seconds of the deadline. */
export const TERMINATING_MARGIN = 5 * MINUTE;

/** A pod waiting on its volumes this long is not just attaching: attach + mount takes seconds to a
 *  couple of minutes on every major cloud. */
export const MOUNT_GRACE = 3 * MINUTE;

/** A claim waits this long for its provisioner before "nobody is provisioning it" is believable. */
export const PROVISIONING_GRACE = 5 * MINUTE;

/** Online expansion shows FileSystemResizePending for the seconds between the controller and the
 *  kubelet finishing; ten minutes is far past that and past one kubelet sync of a slow node. */
export const RESIZE_GRACE = 10 * MINUTE;

/** A dynamically provisioned volume is created seconds after its claim; one older than its claim by
 *  this much was made for another claim. */
export const PROVISIONED_BEFORE_CLAIM = 10 * MINUTE;

/** A claim no pod has mounted for this long is likely forgotten. */
export const UNUSED_CLAIM_AGE = 7 * DAY;

/** A VolumeAttachment being deleted this long is stuck on its finalizer (detach is not finishing). */
export const DETACH_GRACE = 6 * MINUTE;

/** A pod Pending on scheduling this long is not waiting for a node to come up. */
export const SCHEDULING_GRACE = 2 * MINUTE;

/** Kubernetes itself gives up on a NotReady node after the default not-ready toleration (300s);
 *  before that its attachments are expected to stay. */
export const NODE_LOST_GRACE = 5 * MINUTE;

/** A Delete volume is Released for the seconds between its claim's deletion and the provisioner
 *  deleting it; five minutes on, the deletion is failing. */
export const RELEASE_GRACE = 5 * MINUTE;

/** An event about a state that retries (a mount, a schedule, a claim the controller creates) is
 *  emitted again while the state lasts: the kubelet's mount back-off caps near 2 minutes, a
 *  controller's requeue at 1000 s. One not repeated for this long describes the past. */
export const EVENT_CURRENCY = 30 * MINUTE;

/** A pod rescheduled off a node waits for the volume to detach there: the old pod's grace period
 *  plus a detach, normally well under the mount grace. */
export const MULTI_ATTACH_GRACE = MOUNT_GRACE;

/** The pod garbage collector deletes pods of a deleted node after a 40 s quarantine. */
export const POD_GC_GRACE = 2 * MINUTE;

/** cluster-autoscaler's TriggeredScaleUp says a node is on its way: new nodes join in two to five
 *  minutes on the major clouds. Until this long after, an unschedulable pod is waiting, not stuck. */
export const SCALE_UP_GRACE = 10 * MINUTE;
