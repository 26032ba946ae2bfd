// Writes docs/checks.md from the check catalog and its explanations (a unit test keeps them equal):
// node scripts/checks-doc.ts
import { writeFileSync } from 'node:fs';
import { checksMarkdown } from '../src/cli/explain.ts';

writeFileSync('docs/checks.md', checksMarkdown());
console.log('wrote docs/checks.md');
