// stsvol checks: the catalog, for people (text) and for tools (json/yaml).
import { EXIT } from './exit-codes.ts';
import { serialize } from './format.ts';
import type { IO } from './io.ts';
import { catalogRows } from './report.ts';

export function printCatalog(output: 'text' | 'json' | 'yaml', io: IO): number {
  const rows = catalogRows();
  if (output !== 'text') {
    io.stdout.write(serialize({ checks: rows }, output));
    return EXIT.OK;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) io.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.title}\n`);
  return EXIT.OK;
}
