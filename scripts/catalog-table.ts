// Prints the README's check catalog table from src/checks/catalog.ts (the README test keeps the two
// equal): node scripts/catalog-table.ts
import { CATALOG, CHECK_IDS } from '../src/checks/catalog.ts';

export function catalogTable(): string {
  const rows = CHECK_IDS.map((id) => `| \`${id}\` | ${CATALOG[id].severity} | ${CATALOG[id].title}. ${CATALOG[id].docs.replaceAll('|', '\\|')} |`);
  return ['| check | default severity | what it finds |', '|---|---|---|', ...rows].join('\n');
}

if (import.meta.main) console.log(catalogTable());
