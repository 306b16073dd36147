import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The docs name files by path (`src/…`, `test/…`, …) for a newcomer to open. A module split or a
 * rename that forgets a doc leaves a path that no longer exists; this test lists them.
 */
const ROOT = join(__dirname, '..', '..');
// CHANGELOG.md is history: it may name files that have since moved.
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const PATH = /`((?:src|test|examples|views|public|bench|scripts|deploy)\/[A-Za-z0-9_./-]+\.(?:ts|mjs|js|hbs|css|md|snap|json|yml))`/g;
/** Relative Markdown links to files of the repository, e.g. `[guide](../examples/alerts/)`. */
const LINK = /\]\(((?:\.{1,2}\/|(?:docs|src|test|examples|views|public|bench|scripts|deploy)\/)[^)#\s]*)(?:#[^)]*)?\)/g;
/** Files the guides name as what the reader would create, not as files of this repository. */
const HYPOTHETICAL = new Set(['src/widgets/widget-token.token-kind.ts']);

describe('paths named in the docs', () => {
  it.each(DOCS)('%s names only files that exist', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const named = [...text.matchAll(PATH)].map((m) => m[1]).filter((p) => !HYPOTHETICAL.has(p) && !p.includes('<'));
    const linked = [...text.matchAll(LINK)].map((m) => join(dirname(doc), m[1]));
    expect([...named, ...linked].filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });
});
