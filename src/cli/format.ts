// -o json|yaml: the same document either way, so a script may pick whichever it parses. Written in
// pieces, one array element at a time, so a report of 200,000 findings never becomes one string;
// the JSON is byte for byte what JSON.stringify(document, null, 2) gives. Text from the cluster
// stays exact but cannot drive a terminal (safe-text.ts): JSON escapes it, YAML double-quotes every
// string and escapes it there.

import type { Output } from './io.ts';
import { safeJson, yamlText } from '../model/safe-text.ts';

function indent(text: string, by: string): string {
  return text.replaceAll('\n', `\n${by}`);
}

/** Writes a JSON or YAML document whose top-level arrays are streamed element by element. */
export function writeDocument(out: Output, document: Record<string, unknown>, format: 'json' | 'yaml'): void {
  if (format === 'json') writeJson(out, document);
  else writeYaml(out, document);
}

function writeJson(out: Output, document: Record<string, unknown>): void {
  const entries = Object.entries(document).filter(([, v]) => v !== undefined);
  out.write('{\n');
  entries.forEach(([key, value], i) => {
    out.write(`  ${JSON.stringify(key)}: `);
    if (Array.isArray(value) && value.length) {
      out.write('[\n');
      value.forEach((item, j) => out.write(`    ${safeJson(indent(JSON.stringify(item, null, 2), '    '))}${j < value.length - 1 ? ',' : ''}\n`));
      out.write('  ]');
    } else {
      out.write(safeJson(indent(JSON.stringify(value, null, 2), '  ')));
    }
    out.write(i < entries.length - 1 ? ',\n' : '\n');
  });
  out.write('}\n');
}

function writeYaml(out: Output, document: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(document)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length) {
      out.write(`${key}:\n`);
      for (const item of value) out.write(yamlText([item]));
    } else {
      out.write(yamlText({ [key]: value }));
    }
  }
}
