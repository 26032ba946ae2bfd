// What stsvol knows about provisioners by name: which CSI driver serves an in-tree name after CSI
// migration, and which provisioners create volumes that can never be expanded.

import { BETA_STORAGE_PROVISIONER_ANNOTATION, STORAGE_PROVISIONER_ANNOTATION } from '../model/annotations.ts';
import type { PersistentVolumeClaim, StorageClass } from '../model/types.ts';

/** Static local volumes: the class provisions nothing; an administrator creates the PVs. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

// In-tree provisioner names that CSI migration hands to these drivers.
const MIGRATED_TO_CSI: Record<string, string> = {
  'kubernetes.io/aws-ebs': 'ebs.csi.aws.com',
  'kubernetes.io/gce-pd': 'pd.csi.storage.gke.io',
  'kubernetes.io/azure-disk': 'disk.csi.azure.com',
  'kubernetes.io/azure-file': 'file.csi.azure.com',
  'kubernetes.io/cinder': 'cinder.csi.openstack.org',
  'kubernetes.io/vsphere-volume': 'csi.vsphere.vmware.com',
  'kubernetes.io/portworx-volume': 'pxd.portworx.com',
};

/** The CSI driver behind a provisioner name: itself, or the driver CSI migration hands an in-tree
 *  name to (k8s.io/csi-translation-lib's plugins; RBD's translation was removed upstream). Attach
 *  limits (CSINode) and VolumeAttachments name the driver. */
export function csiDriverOf(provisioner: string): string {
  return MIGRATED_TO_CSI[provisioner] ?? provisioner;
}

/** The provisioner that serves a claim: what the PV controller annotated, else its class's. */
export function provisionerOf(claim: PersistentVolumeClaim, sc: StorageClass | undefined): string | undefined {
  const named = claim.metadata.annotations?.[STORAGE_PROVISIONER_ANNOTATION] ?? claim.metadata.annotations?.[BETA_STORAGE_PROVISIONER_ANNOTATION] ?? sc?.provisioner;
  return named ? csiDriverOf(named) : undefined;
}

/** Provisioners known to create volumes they cannot expand (seed 002), by name or by family. */
const CANNOT_EXPAND = /local-path|nfs-subdir|nfs-client|no-provisioner|host-path/;

export function cannotExpand(provisioner: string): boolean {
  return CANNOT_EXPAND.test(provisioner);
}
