// No default StorageClass, or several: a claim without a class then waits forever, or gets the
// default created last (the admission plugin picks the newest).

import { BETA_DEFAULT_CLASS_ANNOTATION, DEFAULT_CLASS_ANNOTATION } from '../../../model/annotations.ts';
import { refOf } from '../../../model/cluster-model.ts';
import type { StorageClass } from '../../../model/types.ts';
import { kubectl } from '../../commands.ts';
import { fieldEvidence } from '../../evidence.ts';
import { CLUSTER } from '../../workload-of.ts';
import type { AuditCheck } from '../scope.ts';

function isDefault(sc: StorageClass): boolean {
  const a = sc.metadata.annotations;
  return a?.[DEFAULT_CLASS_ANNOTATION] === 'true' || a?.[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}

export const defaultClass: AuditCheck = {
  id: 'default-class',
  run(scope) {
    const { model } = scope;
    if (!model.sees('StorageClass')) return [];
    scope.judge(CLUSTER);
    const classes = [...model.storageClasses.values()];
    const defaults = classes.filter(isDefault);
    if (defaults.length === 1) return [];
    const mark = (name: string, value: string) => kubectl.patch('storageclass', name, undefined, { metadata: { annotations: { [DEFAULT_CLASS_ANNOTATION]: value } } });
    if (defaults.length === 0) {
      return [scope.raise({
        object: CLUSTER,
        message: `no StorageClass is the default (${classes.length ? `classes: ${classes.map((c) => c.metadata.name).join(', ')}` : 'there is no class'}): a claim that names no class is never provisioned`,
        evidence: classes.map((c) => fieldEvidence(c, `provisioner=${c.provisioner}, not annotated ${DEFAULT_CLASS_ANNOTATION}=true`)),
        remediation: [classes.length
          ? { text: 'Mark the class new claims should get as the default.', command: mark(classes[0]!.metadata.name, 'true'), safeWhen: `${classes[0]!.metadata.name} is the class claims without one should get` }
          : { text: 'Create a StorageClass and mark it as the default.' }],
      })];
    }
    const [kept, ...others] = [...defaults].sort((a, b) => (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? 1 : -1);
    return [scope.raise({
      object: refOf(kept!),
      related: others.map(refOf),
      message: `${defaults.length} StorageClasses are marked as the default (${defaults.map((c) => c.metadata.name).join(', ')}): a claim without a class gets ${kept!.metadata.name}, the newest, whichever was meant`,
      evidence: defaults.map((c) => fieldEvidence(c, `${DEFAULT_CLASS_ANNOTATION}=true, created ${c.metadata.creationTimestamp ?? '?'}`, c.metadata.creationTimestamp)),
      remediation: others.map((c) => ({ text: `Unmark ${c.metadata.name}, keeping one default.`, command: mark(c.metadata.name, 'false'), safeWhen: `${kept!.metadata.name} is the class to keep as the default` })),
    })];
  },
};
