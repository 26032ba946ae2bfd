// stsvol checks: the catalog, for people (text) and for tools (json/yaml).
import { CATALOG, CHECK_IDS } from '../checks/catalog.ts';
import { EXIT } from './exit-codes.ts';
import { writeDocument } from './format.ts';
import type { IO } from './io.ts';

export function printCatalog(output: 'text' | 'json' | 'yaml', io: IO): number {
  const rows = CHECK_IDS.map((id) => ({ id, severity: CATALOG[id].severity, title: CATALOG[id].title, docs: CATALOG[id].docs, needs: CATALOG[id].needs }));
  if (output !== 'text') {
    writeDocument(io.stdout, { checks: rows }, output);
    return EXIT.OK;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) io.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.title}\n`);
  return EXIT.OK;
}
