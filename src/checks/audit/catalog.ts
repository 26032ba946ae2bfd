// The audit catalog: what prevents the next incident, as scored checks (seed 001's inspection
// checklist, seed 000's cost). Like doctor's catalog, the ids are a public contract; the code that
// raises each lives in one file beside this one (rules/). Each check has a weight: how much of a
// StatefulSet's score (and the cluster's) it decides (score.ts, docs/audit.md).

import type { KindName } from '../../model/kinds.ts';
import type { SeedId } from '../explanations.ts';
import type { Severity } from '../finding.ts';

export interface AuditEntry {
  severity: Severity;
  /** Its share of a score: a failing check costs weight × 1 (critical) or × ½ (warning); info costs nothing. */
  weight: number;
  title: string;
  /** How it decides. */
  docs: string;
  why: string;
  fix: string;
  /** The incident write-ups it comes from (explanations.ts). */
  seeds: SeedId[];
  needs: KindName[];
}

export const AUDIT_CATALOG = {
  'backup-missing': {
    severity: 'critical', weight: 5,
    title: 'StatefulSet without a backup of its volumes',
    docs: 'No claim of the StatefulSet has a ReadyToUse VolumeSnapshot, nor a Velero Schedule or Backup that takes its data (namespace, labels, resources and volume rules as Velero applies them).',
    why: 'Every other safety stops at the disk: a deleted claim, a wrong reclaim policy or a corrupted file system loses the data for good without a copy elsewhere.',
    fix: 'Schedule VolumeSnapshots of every claim, or a Velero Schedule that covers the namespace and its volumes (snapshotVolumes, or file-system backup).',
    seeds: ['001'],
    needs: ['PersistentVolumeClaim', 'VolumeSnapshot', 'Schedule', 'Backup', 'Namespace', 'Pod'],
  },
  'backup-partial': {
    severity: 'warning', weight: 4,
    title: 'Only some replicas backed up',
    docs: 'Some claims of the StatefulSet are covered by a backup and others are not: a Schedule whose label selector or volume rules miss replicas, snapshots of one ordinal only ("the database is backed up, its data volume is not").',
    why: 'A restore brings back only the replicas that were copied: a cluster of three restored from one replica loses what only the others held, and the gap is invisible until then.',
    fix: 'Cover every claim: one selector for all replicas, file-system backup or snapshots for every volume of the pod template.',
    seeds: ['001'],
    needs: ['PersistentVolumeClaim', 'VolumeSnapshot', 'Schedule', 'Backup', 'Pod'],
  },
  'backup-stale': {
    severity: 'warning', weight: 3,
    title: 'Backups older than allowed',
    docs: 'Every claim is covered, but the newest copy of some claim (a ReadyToUse snapshot, a completed Velero backup, or the last run of a Schedule) is older than --backup-max-age (default 24h); a paused Schedule counts as stopped.',
    why: 'A backup that stopped running reads as a backup on every dashboard until the day it is needed; what it lacks is everything written since.',
    fix: 'Find why the schedule stopped (paused, failing, its controller down) and run it again; check that new copies keep coming.',
    seeds: ['001'],
    needs: ['VolumeSnapshot', 'Schedule', 'Backup'],
  },
  'reclaim-delete-stateful': {
    severity: 'warning', weight: 3,
    title: "StatefulSet volumes deleted with their claim",
    docs: 'A volume of the StatefulSet has persistentVolumeReclaimPolicy Delete, or its claim template names a class whose reclaimPolicy is Delete (the default).',
    why: 'A claim deleted by mistake, by a scale-down under a Delete retention policy or by a namespace deletion takes the disk and its data with it; under Retain the volume stays Released and can be given back.',
    fix: 'Set Retain on the volumes (kubectl patch pv NAME -p \'{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}\') and give the template a class with reclaimPolicy Retain; reclaim cleans up Released volumes deliberately.',
    seeds: ['001', '004'],
    needs: ['PersistentVolume', 'StorageClass', 'PersistentVolumeClaim'],
  },
  'immediate-binding-multizone': {
    severity: 'warning', weight: 2,
    title: 'Class binds before scheduling in a multi-zone cluster',
    docs: 'A claim template names a class with volumeBindingMode Immediate for a zonal provisioner (a cloud block-storage CSI driver) while the schedulable nodes span more than one zone.',
    why: 'An Immediate volume is made in a zone chosen before the pod is placed; a pod whose other constraints point to another zone can then never start (volume node affinity conflict).',
    fix: 'Use a class with volumeBindingMode WaitForFirstConsumer: the volume is made in the zone of the node the scheduler picks.',
    seeds: ['001'],
    needs: ['StorageClass', 'Node', 'StatefulSet'],
  },
  'csi-controller-single': {
    severity: 'warning', weight: 2,
    title: 'CSI controller without redundancy',
    docs: 'The workload running the CSI driver\'s controller sidecars (csi-provisioner, csi-attacher, csi-resizer) has fewer than 2 replicas, or runs them without --leader-election. A controller that is not visible (a managed driver) is not judged.',
    why: 'While the controller is down no volume is created, attached, detached or grown: a node loss or a scale-up then waits on a single pod being rescheduled.',
    fix: 'Run the controller with 2 replicas and --leader-election=true on every sidecar (most driver charts: controller.replicaCount).',
    seeds: ['001'],
    needs: ['Deployment', 'StatefulSet', 'StorageClass'],
  },
  'csi-node-missing': {
    severity: 'critical', weight: 3,
    title: 'Nodes that cannot mount the StatefulSet\'s volumes',
    docs: 'Schedulable Ready nodes where the StatefulSet\'s pods may run (its nodeSelector, its required node affinity, and taints it does not tolerate) have no entry for its CSI driver in their CSINode: the node plugin is not registered there.',
    why: 'A pod placed on such a node waits forever for its volume to mount; after a node loss the replacement may land exactly there.',
    fix: 'Run the driver\'s node plugin (its DaemonSet) on every node pods may use, or keep the pods off those nodes with a nodeSelector or taints.',
    seeds: ['001'],
    needs: ['CSINode', 'Node', 'StorageClass', 'StatefulSet'],
  },
  'usage-unmonitored': {
    severity: 'warning', weight: 2,
    title: 'Nothing watches volume usage',
    docs: 'No PrometheusRule alerts on kubelet_volume_stats_* (or stsvol\'s volume metrics), no stsvol operator runs, and the StatefulSet\'s claims have no auto-expansion policy.',
    why: 'A full volume stops a database in the middle of a write; seed 001\'s case 4 ran out of space with nobody warned.',
    fix: 'Load the volume alerts (stsvol alerts | kubectl apply -f -), or run the stsvol operator with auto-expansion for the claims that may grow.',
    seeds: ['001'],
    needs: ['PrometheusRule', 'Deployment', 'PersistentVolumeClaim'],
  },
  'no-expansion': {
    severity: 'warning', weight: 2,
    title: 'Volumes that cannot grow',
    docs: 'A claim template names a class with allowVolumeExpansion unset or false, or whose provisioner cannot expand (local-path, static local volumes, hostPath, NFS subdirectories).',
    why: 'When the disk fills, the only way out is a migration to a new claim, with the workload stopped.',
    fix: 'Use a class that allows expansion with a provisioner that can expand (a CSI driver with a resizer).',
    seeds: ['002', '003'],
    needs: ['StorageClass', 'StatefulSet'],
  },
  'no-pdb': {
    severity: 'warning', weight: 2,
    title: 'No PodDisruptionBudget',
    docs: 'A StatefulSet of 2 or more replicas has no PodDisruptionBudget selecting its pods.',
    why: 'A node drain or a cluster upgrade may evict several replicas at once: a quorum store loses its quorum.',
    fix: 'Add a PodDisruptionBudget with maxUnavailable: 1 (or a minAvailable that keeps the quorum).',
    seeds: ['004'],
    needs: ['PodDisruptionBudget', 'StatefulSet', 'Pod'],
  },
  'pdb-blocks-drain': {
    severity: 'warning', weight: 2,
    title: 'PodDisruptionBudget allows no disruption',
    docs: 'A PodDisruptionBudget selecting the StatefulSet\'s pods allows 0 disruptions by its spec (minAvailable equal to the replicas, maxUnavailable 0), or by its status while every replica is Ready.',
    why: 'Every node drain stops at these pods: upgrades stall, and an operator under pressure deletes the budget or force-deletes the pod instead.',
    fix: 'Allow one disruption at a time (maxUnavailable: 1).',
    seeds: ['004'],
    needs: ['PodDisruptionBudget', 'StatefulSet', 'Pod'],
  },
  'single-zone': {
    severity: 'warning', weight: 3,
    title: 'All replicas\' volumes in one zone',
    docs: 'Every volume of a StatefulSet of 2 or more replicas is pinned to the same zone while the schedulable nodes span several.',
    why: 'A zone outage takes every replica down together, and zonal disks cannot follow their pods elsewhere.',
    fix: 'Spread the replicas over zones (topologySpreadConstraints on topology.kubernetes.io/zone with WaitForFirstConsumer volumes); existing volumes move only through a backup and a restore.',
    seeds: ['000', '001'],
    needs: ['PersistentVolume', 'Node', 'StatefulSet'],
  },
  'replicas-share-node': {
    severity: 'warning', weight: 3,
    title: 'Replicas on one node, or nothing keeps them apart',
    docs: 'Two replicas of a StatefulSet run on the same node, or its pod template has neither a pod anti-affinity nor a topology spread constraint on the hostname or the zone.',
    why: 'One node failure takes down several replicas at once, and their volumes wait together for the node to be fenced.',
    fix: 'Add a pod anti-affinity (or a topologySpreadConstraint) on kubernetes.io/hostname for the StatefulSet\'s pods.',
    seeds: ['004'],
    needs: ['Pod', 'StatefulSet'],
  },
  'attach-headroom': {
    severity: 'warning', weight: 2,
    title: 'Not enough attach slots to lose the busiest node',
    docs: 'For each CSI driver with attach limits: the volumes attached to the busiest node exceed the attach slots left on the other Ready schedulable nodes (CSINode allocatable minus attachments), so its pods could not all be placed again (N+1).',
    why: 'After a node loss the replicas that ran there stay Pending on "max volume count" until a node is added.',
    fix: 'Add nodes (or node types with a higher attach limit) until the other nodes can take the busiest node\'s volumes.',
    seeds: ['000', '001'],
    needs: ['CSINode', 'VolumeAttachment', 'Node'],
  },
  'default-class': {
    severity: 'warning', weight: 1,
    title: 'No default StorageClass, or more than one',
    docs: 'No StorageClass carries storageclass.kubernetes.io/is-default-class: "true", or several do.',
    why: 'A claim without a class then waits for ever (none) or gets whichever default was created last (several): a new workload\'s data lands on a class nobody chose.',
    fix: 'Mark exactly one class as the default.',
    seeds: ['001'],
    needs: ['StorageClass'],
  },
  'retention-delete': {
    severity: 'info', weight: 1,
    title: 'The StatefulSet deletes its claims itself',
    docs: 'persistentVolumeClaimRetentionPolicy has whenDeleted or whenScaled Delete: the StatefulSet controller deletes the claims when the StatefulSet is deleted, or when it scales down.',
    why: 'Stated plainly because it is easy to forget: with a Delete reclaim policy the data goes with the claims.',
    fix: 'Nothing if intended; otherwise set the policy back to Retain.',
    seeds: ['004'],
    needs: ['StatefulSet'],
  },
  'overprovisioned': {
    severity: 'info', weight: 1,
    title: 'Volumes mostly empty',
    docs: 'Every claim of the StatefulSet with a known usage used less than --overprovisioned-below (default 20%) of its capacity: over the whole window read from Prometheus (--prometheus), at the moment read from the kubelets (live), or as recorded by stsvol snapshot --with-usage (offline).',
    why: 'A disk is billed for its size, not for what is written: the waste is paid every month (one public report: 1,623 GiB provisioned, 239 GiB used).',
    fix: 'Size new replicas smaller (a volume cannot shrink: a smaller claim means a copy), and grow on demand instead (auto-expansion).',
    seeds: ['000'],
    needs: ['PersistentVolumeClaim'],
  },
} as const satisfies Record<string, AuditEntry>;

export type AuditId = keyof typeof AUDIT_CATALOG;

export const AUDIT_IDS = Object.keys(AUDIT_CATALOG) as AuditId[];

export function isAuditId(id: string): id is AuditId {
  return Object.hasOwn(AUDIT_CATALOG, id);
}
