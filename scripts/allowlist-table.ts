// Prints the README's snapshot allowlist from src/model/schema.ts (the README test keeps the two
// equal): node scripts/allowlist-table.ts. A schema is exactly what load keeps, so this is exactly
// what `stsvol snapshot` can write.
import { KNOWN_ANNOTATIONS, KNOWN_CLASS_PARAMETERS, STSVOL_PREFIX } from '../src/model/annotations.ts';
import { KINDS } from '../src/model/kinds.ts';
import { SCHEMA_OF_KIND } from '../src/model/admission.ts';
import * as S from '../src/model/schema.ts';

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
}

/** A nullable list (schema.ts NullableList) by its list member. */
function listed(schema: JsonSchema): JsonSchema {
  return schema.anyOf?.find((m) => m.items ?? m.properties) ?? schema;
}

function isLeaf(declared: JsonSchema): boolean {
  const schema = listed(declared);
  return !schema.properties && (!schema.items || isLeaf(schema.items));
}

/** labels{}, values[], name */
function leafName(key: string, declared: JsonSchema): string {
  const schema = listed(declared);
  return `${key}${schema.items ? '[]' : schema.patternProperties ? '{}' : ''}`;
}

/** The kept paths of a schema, siblings that are all leaves grouped:
 *  spec.volumes[].{name, persistentVolumeClaim.claimName}, metadata.labels{} ... */
function paths(declared: JsonSchema, prefix = ''): string[] {
  const schema = listed(declared);
  const join = (k: string) => (prefix ? `${prefix}.${k}` : k);
  if (schema.properties) {
    const entries = Object.entries(schema.properties);
    if (prefix && entries.length > 1 && entries.every(([, v]) => isLeaf(v))) return [`${prefix}.{${entries.map(([k, v]) => leafName(k, v)).join(', ')}}`];
    return entries.flatMap(([k, v]) => paths(v, join(k)));
  }
  if (schema.items) return paths(schema.items, `${prefix}[]`);
  return [leafName(prefix, schema)];
}

const SCHEMAS = SCHEMA_OF_KIND as unknown as Record<string, JsonSchema>;
const META = paths(S.ObjectMeta as JsonSchema, 'metadata');

export function allowlistTable(): string {
  const rows = KINDS.map((k) => {
    const own = paths(SCHEMAS[k.kind]!).filter((p) => !p.startsWith('metadata') && p !== 'kind' && p !== 'apiVersion');
    return `| ${k.kind} | ${own.map((p) => `\`${p}\``).join(', ') || '(metadata only)'} |`;
  });
  return [
    '| kind | fields kept besides `apiVersion`, `kind` and `metadata` |',
    '|---|---|',
    ...rows,
    '',
    `Every kind keeps ${META.map((p) => `\`${p}\``).join(', ')}; of the annotations only ${[...KNOWN_ANNOTATIONS].map((a) => `\`${a}\``).join(', ')} and stsvol's own (\`${STSVOL_PREFIX}*\`); of a StorageClass's parameters only ${[...KNOWN_CLASS_PARAMETERS].map((p) => `\`${p}\``).join(', ')}; of a container's \`args\` only the \`--leader-election\` flags.`,
  ].join('\n');
}

if (import.meta.main) console.log(allowlistTable());
