/** `npm run docs:config`: rewrites the README's configuration table from the modules' declarations (src/configuration.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configurationTable } from '../src/configuration';

export const TABLE_START =
  "<!-- configuration table: generated from the modules' *.environment.ts by `npm run docs:config`; do not edit -->";
export const TABLE_END = '<!-- end of the generated configuration table -->';

/** `readme` with the text between the two markers replaced by the generated table. */
export function withGeneratedTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md lacks the configuration table markers');
  return `${readme.slice(0, start + TABLE_START.length)}\n${configurationTable()}\n${readme.slice(end)}`;
}

if (require.main === module) {
  const path = join(__dirname, '..', 'README.md');
  writeFileSync(path, withGeneratedTable(readFileSync(path, 'utf8')));
}
