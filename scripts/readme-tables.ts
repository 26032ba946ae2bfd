// Writes the generated tables into README.md between their markers (the README test compares them):
// node scripts/readme-tables.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { allowlistTable } from './allowlist-table.ts';
import { catalogTable } from './catalog-table.ts';

let readme = readFileSync('README.md', 'utf8');
for (const [name, table] of [['catalog', catalogTable()], ['allowlist', allowlistTable()]] as const) {
  const pattern = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(\\n<!-- ${name}:end -->)`);
  if (!pattern.test(readme)) throw new Error(`README.md has no ${name} markers`);
  readme = readme.replace(pattern, (_, start: string, end: string) => `${start}${table}${end}`);
}
writeFileSync('README.md', readme);
console.log('wrote the catalog and allowlist tables into README.md');
