// How often a provider lets one volume be modified. EBS allows one modification per volume every
// 6 hours (AWS: "Requirements for EBS volume modifications"); a second resize inside that window
// fails at the cloud and leaves the claim with a resize error. So such a volume is grown once, by
// enough to last the interval, instead of in many small steps.

import { HOUR } from '../../model/time.ts';

export const MODIFICATION_INTERVAL_MS: ReadonlyMap<string, number> = new Map([
  ['ebs.csi.aws.com', 6 * HOUR],
  ['kubernetes.io/aws-ebs', 6 * HOUR],
]);

export function modificationIntervalOf(provisioner: string | undefined): number {
  return (provisioner && MODIFICATION_INTERVAL_MS.get(provisioner)) || 0;
}
