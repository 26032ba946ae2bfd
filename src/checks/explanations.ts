// What `stsvol explain CHECK` and docs/checks.md say of each check beyond the catalog's line: why it
// matters, the waits it applies, the incident write-up it comes from, and the fix in a sentence or
// two. Apart from the catalog so the catalog stays a list one can read at a glance.

import { formatDuration } from '../model/time.ts';
import type { CheckId } from './catalog.ts';
import {
  DETACH_GRACE, EVENT_CURRENCY, MOUNT_GRACE, MULTI_ATTACH_GRACE, NODE_LOST_GRACE, POD_GC_GRACE, PROVISIONED_BEFORE_CLAIM,
  PROVISIONING_GRACE, RELEASE_GRACE, RESIZE_GRACE, SCALE_UP_GRACE, SCHEDULING_GRACE, TERMINATING_MARGIN, UNUSED_CLAIM_AGE,
} from './thresholds.ts';

/** The five incident write-ups stsvol comes from, in plain words. */
export const SEEDS = {
  '000': {
    title: 'A scale-up from 2 to 8 replicas that went wrong',
    story: 'New replicas hung in Init with mount timeouts, some pods stayed bound to nodes that no longer existed, a new replica was handed an old Available disk holding another replica\'s data, and the cloud\'s disk quota refused the rest. The way out: remove the pods of the vanished nodes once those machines were confirmed gone, deal with the old volumes, scale again; the lesson: clean up claims and volumes after every scale-down, and check quota and old volumes before a scale-up.',
  },
  '001': {
    title: 'A troubleshooting guide for volumes and claims',
    story: 'Claims stuck Pending (no provisioner, a missing class, a cloud quota), a volume attached to two nodes after one was lost, a pod stuck terminating because its volume would not unmount, a file system that did not grow after its disk did, volumes filling up, and a checklist for regular inspection.',
  },
  '002': {
    title: 'Growing the volumes of a StatefulSet deployed with Helm',
    story: 'The claim template of a StatefulSet cannot be edited, so a size change in the chart fails. The runbook grows each claim, deletes only the StatefulSet object (its pods keep running), creates it again with the new size so it adopts the pods, and changes the Helm values so the next upgrade matches. On local-path volumes nothing expands at all.',
  },
  '003': {
    title: 'Expanding StatefulSet volumes without downtime',
    story: 'With expansion allowed on the class, each claim is grown in place, then the StatefulSet is re-created (its pods kept running) so its claim template follows and new replicas get the new size.',
  },
  '004': {
    title: 'StatefulSet storage, question by question',
    story: 'Why each replica has its own claim; claims left behind by a scale-down that come back with old data; data that seemed lost after a pod moved; and why a StatefulSet pod must never be force-deleted while its node may still run it (two copies would write to one volume).',
  },
} as const;

export type SeedId = keyof typeof SEEDS;

export interface Explanation {
  /** What goes wrong if nobody acts. */
  why: string;
  /** The waits the check applies before it calls a state a problem. */
  thresholds: string[];
  seeds: SeedId[];
  /** The remedy in short; each finding carries the exact steps. */
  fix: string;
}

const d = formatDuration;
const CURRENT = `an event counts while it repeats: one not seen for ${d(EVENT_CURRENCY)} describes the past`;
const AUTOSCALER = `a pod cluster-autoscaler asked a node for is waiting, not stuck, for ${d(SCALE_UP_GRACE)}`;

export const EXPLANATIONS: Record<CheckId, Explanation> = {
  'stale-pv-reuse': {
    why: 'A replica that starts on another replica\'s old disk serves and overwrites stale data; in a replicated store it may join with a history that never happened. An open volume with old data is handed to the next claim of its class that fits, ahead of a fresh disk.',
    thresholds: [`a volume provisioned more than ${d(PROVISIONED_BEFORE_CLAIM)} before the claim it is bound to was made for another claim`],
    seeds: ['000'],
    fix: 'Look at the data; if the reuse was meant, mark it so; otherwise give that one replica a fresh volume (old one kept), and quarantine the open volumes of the class so no new replica binds them.',
  },
  'released-pv': {
    why: 'A Released volume is still billed and still holds data nobody can reach; under Delete it means the provisioner cannot delete the disk.',
    thresholds: [`a Delete volume Released for less than ${d(RELEASE_GRACE)} without a failure event is on its way out`],
    seeds: ['000', '001'],
    fix: 'Decide whether the data is needed: give it back to a claim by name (never clear claimRef), or delete the volume and then the disk.',
  },
  'orphan-pvc': {
    why: 'A claim left by a scale-down is billed every month, and the next scale-up gives its old data back to a new replica.',
    thresholds: [`a claim no pod has mounted for ${d(UNUSED_CLAIM_AGE)} is reported as unused`],
    seeds: ['000', '004'],
    fix: 'Keep it if the replica comes back and should keep its data; otherwise delete it (and, under Retain, its volume and disk). stsvol reclaim does it with a snapshot first.',
  },
  'pod-on-missing-node': {
    why: 'While the pod object exists, its StatefulSet will not create that replica anywhere else: the replica is down until someone acts.',
    thresholds: [`the pod garbage collector removes such pods within ${d(POD_GC_GRACE)}; longer means it is not going to`],
    seeds: ['000'],
    fix: 'Confirm the machine is gone, then remove the pod object (stsvol recover does it, fenced first).',
  },
  'stuck-terminating': {
    why: 'A StatefulSet does not re-create a replica until its old pod is gone; a force delete while the node may still run the pod starts a second copy on the same volume.',
    thresholds: [`${d(TERMINATING_MARGIN)} past the deletion deadline`, `a NotReady node is treated as lost after ${d(NODE_LOST_GRACE)}, as Kubernetes does`],
    seeds: ['000', '001', '004'],
    fix: 'Find what holds it: a lost node (fence it, then force-delete), a finalizer, or a volume that will not unmount (fix that; never force-delete on a reachable node).',
  },
  'fenced-node-ready': {
    why: 'The out-of-service taint says a node is off; a node that reports Ready under it is running. Recoveries that trust the taint would start second copies, and the taint keeps evicting pods.',
    thresholds: [],
    seeds: ['001', '004'],
    fix: 'Remove the taint if the node was repaired; if it is meant to be down, power it off first.',
  },
  'stale-volumeattachment': {
    why: 'An attachment held on a lost node keeps the disk there: the replica that needs it elsewhere cannot start.',
    thresholds: [
      `a lost node is NotReady for ${d(NODE_LOST_GRACE)} or gone`,
      `an attach or detach error counts once the attachment is ${d(MOUNT_GRACE)} old (a first try may fail and be retried)`,
      `an attachment deleting for more than ${d(DETACH_GRACE)} (the force-detach window) is stuck`,
    ],
    seeds: ['001'],
    fix: 'Fence the node, let the attach-detach controller detach, and delete the attachment only if it still stands (stsvol recover volumeattachment/NAME).',
  },
  'multi-attach': {
    why: 'A ReadWriteOnce disk attaches to one node at a time: the replica waiting for it stays down until the other node lets go.',
    thresholds: [`a pod waiting ${d(MULTI_ATTACH_GRACE)} for a volume attached elsewhere (a normal reschedule takes less)`, CURRENT],
    seeds: ['001'],
    fix: 'Find who holds the volume: a lost node is fenced and recovered; a live pod elsewhere is the real owner, and two pods sharing one RWO claim is a design error.',
  },
  'volume-mount-timeout': {
    why: 'The pod never starts: the replica is down, and the final "timed out" hides the first error that explains it.',
    thresholds: [`${d(MOUNT_GRACE)} before any container runs`, CURRENT],
    seeds: ['000', '001'],
    fix: 'Read every volume event of the pod and fix the first error (CSI node plugin, zone, file system, attach limit).',
  },
  'pvc-provisioning-failed': {
    why: 'The claim never gets a disk, so the replica that needs it never starts; the provisioner retries the same failure with back-off.',
    thresholds: [CURRENT],
    seeds: ['000', '001'],
    fix: 'Fix what the provisioner names (cloud quota, capacity in the zone, class parameters, credentials); it retries by itself.',
  },
  'pvc-no-provisioner': {
    why: 'Nothing will ever create the volume: the claim waits forever, and so does any pod using it.',
    thresholds: [`Pending for ${d(PROVISIONING_GRACE)} with no provisioner acting`],
    seeds: ['001'],
    fix: 'Install or repair the provisioner, or give the claim a class whose provisioner runs.',
  },
  'missing-storageclass': {
    why: 'A claim naming a class that does not exist is never provisioned; in a claim template it hangs every new replica.',
    thresholds: [`a claim without a class waits ${d(PROVISIONING_GRACE)} before "no default class" is reported`],
    seeds: ['001'],
    fix: 'Create the class, or point the claim (or the template, by re-creating the StatefulSet) at one that exists.',
  },
  'storage-quota-exceeded': {
    why: 'The StatefulSet controller cannot create the claim, so the replica is never created; a quota used up refuses the next scale-up.',
    thresholds: [CURRENT],
    seeds: ['000'],
    fix: 'Free what the quota counts (orphan claims) or raise exactly the key that is used up; a limit of 0 is a policy, not a fault.',
  },
  'volume-node-affinity-conflict': {
    why: 'A zonal disk can only be used in its zone: with no schedulable node there, the replica cannot run anywhere.',
    thresholds: [`unschedulable for ${d(SCHEDULING_GRACE)}`, AUTOSCALER, CURRENT],
    seeds: ['001'],
    fix: 'Bring a node back into the zone, or fix the pod\'s own placement; moving the data needs a snapshot and a restore.',
  },
  'attach-limit': {
    why: 'Each node can attach only so many volumes of a driver; past that, pods with volumes stop landing there and wait.',
    thresholds: [`unschedulable for ${d(SCHEDULING_GRACE)}`, AUTOSCALER],
    seeds: ['000', '001'],
    fix: 'Add nodes (or types with a higher limit), spread volume-heavy pods, release unused volumes.',
  },
  'resize-fs-pending': {
    why: 'The disk grew but the file system did not: the application still sees the old size and can still fill up.',
    thresholds: [`${d(RESIZE_GRACE)} (online expansion shows this state briefly)`],
    seeds: ['001', '003'],
    fix: 'Check the kubelet for errors; a driver that expands offline needs the pod restarted, one replica at a time.',
  },
  'resize-failed': {
    why: 'The claim asked for more space and did not get it; until it is resolved, the request stays above the capacity.',
    thresholds: [],
    seeds: ['001', '002'],
    fix: 'Fix the cause quoted (backend limits, rate limits, disk type), or lower the request to a size the backend accepts, still above the capacity.',
  },
  'resize-unsupported': {
    why: 'Nothing will ever grow the volume: the claim keeps asking, and the space the application was promised never comes.',
    thresholds: [`no resizer acting within ${d(RESIZE_GRACE)}`],
    seeds: ['002'],
    fix: 'Move the data to a claim of a class that can expand; set allowVolumeExpansion: false where the provisioner cannot.',
  },
  'sts-template-drift': {
    why: 'New replicas, and claims re-created after a loss, get the template\'s size, not the size the others grew to; the next helm upgrade may fail on the forbidden template change.',
    thresholds: [`a resize finished within ${d(RESIZE_GRACE)} is a runbook in progress`],
    seeds: ['002', '003'],
    fix: 'Bring every claim and the template to the largest size: stsvol resize does it, re-creating the StatefulSet with its pods kept running.',
  },
  'auto-expand-blocked': {
    why: 'A claim that relies on auto-expansion fills up unattended when expansion cannot happen.',
    thresholds: [],
    seeds: ['001'],
    fix: 'Fix the class, the provisioner or the annotations, or take the claim out of auto-expansion and watch it yourself.',
  },
};
