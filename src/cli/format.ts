// -o json|yaml: the same document either way, so a script may pick whichever it parses.
import { stringify } from 'yaml';

export function serialize(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
