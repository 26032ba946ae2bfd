// stsvol checks [CHECK] and stsvol explain CHECK: the catalog, or one check explained, for people
// (text, wrapped to the terminal) and for tools (json/yaml).
import { CATALOG, CHECK_IDS } from '../checks/catalog.ts';
import { DEFAULT_DOCS_BASE } from '../model/about.ts';
import { EXIT } from './exit-codes.ts';
import { checkNamed, explanationOf, explanationText } from './explain.ts';
import { writeDocument } from './format.ts';
import type { IO } from './io.ts';
import { terminalWidth } from './layout.ts';

export function printCatalog(output: 'text' | 'json' | 'yaml', io: IO): number {
  const rows = CHECK_IDS.map((id) => ({ id, severity: CATALOG[id].severity, title: CATALOG[id].title, docs: CATALOG[id].docs, needs: CATALOG[id].needs }));
  if (output !== 'text') {
    writeDocument(io.stdout, { checks: rows }, output);
    return EXIT.OK;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) io.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.title}\n`);
  io.stdout.write('\nstsvol explain CHECK explains one.\n');
  return EXIT.OK;
}

export function printExplanation(name: string, output: 'text' | 'json' | 'yaml', io: IO): number {
  const x = explanationOf(checkNamed(name), DEFAULT_DOCS_BASE);
  if (output === 'text') io.stdout.write(explanationText(x, terminalWidth(io.env, io.stdout)));
  else writeDocument(io.stdout, x as unknown as Record<string, unknown>, output);
  return EXIT.OK;
}
