// Admission: the one gate every object passes, live or offline, before the model sees it. It checks
// the object against its kind's schema (schema.ts) and keeps only what the schema declares, plus
// annotations and StorageClass parameters whose keys are known (annotations.ts). An object of the
// wrong shape is refused with the field that is wrong; nothing downstream has to guard against it.
//
// TypeBox compiles each schema to a plain function once, which matters at 150,000 pods.

import type { TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { isKnownAnnotation, isKnownClassParameter } from './annotations.ts';
import type { KindName } from './kinds.ts';
import * as S from './schema.ts';
import type { KubeObject } from './types.ts';

export const SCHEMA_OF_KIND: Record<KindName, TSchema> = {
  Namespace: S.Namespace, Node: S.Node, PersistentVolume: S.PersistentVolume, StorageClass: S.StorageClass,
  CSIDriver: S.CSIDriver, CSINode: S.CSINode, VolumeAttachment: S.VolumeAttachment, Pod: S.Pod,
  PersistentVolumeClaim: S.PersistentVolumeClaim, StatefulSet: S.StatefulSet, Deployment: S.Deployment,
  ReplicaSet: S.ReplicaSet, Event: S.Event, ResourceQuota: S.ResourceQuota, PodDisruptionBudget: S.PodDisruptionBudget,
  VolumeSnapshot: S.VolumeSnapshot, VolumeSnapshotContent: S.VolumeSnapshotContent, VolumeSnapshotClass: S.VolumeSnapshotClass,
  HorizontalPodAutoscaler: S.HorizontalPodAutoscaler, ScaledObject: S.ScaledObject,
  PrometheusRule: S.PrometheusRule, Schedule: S.VeleroSchedule, Backup: S.VeleroBackup,
};

/** What is wrong with a refused object: the field, as a path a person can find, and why. */
export interface Problem {
  field: string;
  message: string;
}

export type Admission = { object: KubeObject; problem?: undefined } | { problem: Problem; object?: undefined };

const validators = new Map<KindName, Validator>();

function validatorOf(kind: KindName): Validator {
  let validator = validators.get(kind);
  if (!validator) {
    validator = Compile(SCHEMA_OF_KIND[kind]);
    validators.set(kind, validator);
  }
  return validator;
}

/** What release() reads of a JSON Schema. */
interface Shape {
  properties?: Record<string, Shape>;
  items?: Shape;
  /** A metav1.Time or a nil slice (schema.ts): Go writes an unset one as null, which means unset. */
  nullMeansUnset?: boolean;
  /** A nullable list: its one non-null member says what the items hold. */
  anyOf?: Shape[];
}

/** Sets every field the schema does not declare to undefined: the allowlist. Not `delete`, which
 *  turns each object into a slow dictionary (measured: 10% slower, more memory); an undefined field
 *  is released for the garbage collector and is never written (JSON and YAML skip it). */
function release(value: unknown, declared: Shape): void {
  if (typeof value !== 'object' || value === null) return;
  const shape = declared.anyOf?.find((s) => s.items ?? s.properties) ?? declared;
  if (Array.isArray(value)) {
    if (shape.items) for (const item of value) release(item, shape.items);
    return;
  }
  const props = shape.properties;
  if (!props) return;
  const obj = value as Record<string, unknown>;
  for (const key in obj) {
    // hasOwn: "constructor" or "toString" in a dump must not pass for declared fields.
    const sub = Object.hasOwn(props, key) ? props[key] : undefined;
    if (sub !== undefined) {
      if (obj[key] === null && sub.nullMeansUnset) obj[key] = undefined;
      else if (obj[key] !== undefined) release(obj[key], sub);
    } else if (key === '__proto__') {
      delete obj[key]; // an own "__proto__" (JSON.parse makes one) ignores assignment
    } else {
      obj[key] = undefined;
    }
  }
}

/** Validates `raw` (a freshly parsed object, which it prunes in place) as an object of `kind`. */
export function admit(raw: unknown, kind: KindName): Admission {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problem: { field: '(object)', message: `must be an object, not ${describe(raw)}` } };
  const validator = validatorOf(kind);
  if (!validator.Check(raw)) return { problem: problemOf(validator.Errors(raw)[0]) };
  release(raw, SCHEMA_OF_KIND[kind] as Shape);
  const object = raw as KubeObject & { parameters?: Record<string, string> };
  keepKnownKeys(object.metadata, 'annotations', isKnownAnnotation);
  if (kind === 'StorageClass') keepKnownKeys(object, 'parameters', isKnownClassParameter);
  if (kind === 'StatefulSet' || kind === 'Deployment') keepTemplateSafe((object as { spec?: { template?: S.PodTemplateValue } }).spec?.template);
  return { object };
}

/** Of a pod template: annotations of known keys only, and of each container's args only the
 *  leader-election flags (a CSI sidecar's); the rest of a command line may hold credentials. */
function keepTemplateSafe(template: S.PodTemplateValue | undefined): void {
  if (!template) return;
  if (template.metadata) keepKnownKeys(template.metadata, 'annotations', isKnownAnnotation);
  for (const c of template.spec?.containers ?? []) {
    const kept = c.args?.filter((a) => /^--leader-election(=|$)/.test(a));
    c.args = kept?.length ? kept : undefined;
  }
}

function keepKnownKeys<K extends string>(holder: Partial<Record<K, Record<string, string>>>, field: K, known: (key: string) => boolean): void {
  const map = holder[field];
  if (!map) return;
  const kept: Record<string, string> = {};
  for (const key in map) if (known(key)) kept[key] = map[key]!;
  holder[field] = kept;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

type ValidationError = ReturnType<Validator['Errors']>[number];

function problemOf(error: ValidationError | undefined): Problem {
  if (!error) return { field: '(object)', message: 'does not match its schema' };
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'required') return { field: fieldPath([...segments, String((error.params as { requiredProperties: string[] }).requiredProperties[0])]), message: 'is required' };
  return { field: fieldPath(segments) || '(object)', message: error.message ?? 'is invalid' };
}

/** ["spec", "volumes", "0", "name"] → spec.volumes[0].name; odd keys are quoted. */
export function fieldPath(segments: string[]): string {
  let path = '';
  for (const s of segments) {
    if (/^\d+$/.test(s)) path += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) path += path ? `.${s}` : s;
    else path += `[${JSON.stringify(s)}]`;
  }
  return path;
}
