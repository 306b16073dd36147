import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { preProcessFile } from 'typescript';
import { MODULE_SURFACES } from './module-surfaces';

const SRC = resolve(__dirname, '..', '..', 'src');

/** Every .ts file under src/, as paths relative to src/. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [relative(SRC, full)] : [];
  });
}

/** The feature folder a file belongs to (`devices` for devices/dto/x.ts); undefined at the top. */
function moduleOf(file: string): string | undefined {
  const parts = file.split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/** The relative imports of a file: local name → file (relative to src/, without extension). */
function importsOf(file: string, text: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)'/g)) {
    const target = relative(SRC, resolve(SRC, dirname(file), m[2]));
    for (const spec of m[1].split(',')) {
      const local = spec
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.replace(/^type\s+/, '');
      if (local) names.set(local, target);
    }
  }
  return names;
}

const files = sourceFiles().map((file) => ({ file, text: readFileSync(join(SRC, file), 'utf8') }));

/** feature → the features it imports values from (`import type` is erased at compile time). */
function moduleGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { file, text } of files) {
    const from = moduleOf(file);
    if (!from) continue;
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)) {
      const to = moduleOf(relative(SRC, resolve(SRC, dirname(file), m[1])));
      if (to && to !== from) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

/** Groups of features that import each other, directly or around a loop (Tarjan's SCC). */
export function importCycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/**
 * Each place a module reaches an entity's table through TypeORM: an injected repository,
 * `TypeOrmModule.forFeature`, `getRepository`, or an EntityManager call naming the entity.
 */
function tableAccesses(): { file: string; entity: string; owner: string | undefined }[] {
  const found: { file: string; entity: string; owner: string | undefined }[] = [];
  for (const { file, text } of files) {
    const imports = importsOf(file, text);
    const entityFile = (name: string) => {
      const target = imports.get(name);
      return target?.endsWith('.entity') ? target : undefined;
    };
    const names = [
      ...[...text.matchAll(/@InjectRepository\(\s*(\w+)\s*\)/g)].map((m) => m[1]),
      ...[...text.matchAll(/forFeature\(\s*\[([^\]]*)\]/g)].flatMap((m) => m[1].split(',').map((s) => s.trim())),
      ...[...text.matchAll(/getRepository\(\s*(\w+)\s*\)/g)].map((m) => m[1]),
      ...[
        ...text.matchAll(
          /\.(?:update|delete|insert|save|remove|upsert|increment|decrement|find|findBy|findOne|findOneBy|findOneByOrFail|count|countBy|exists|existsBy|createQueryBuilder)\(\s*(\w+)\s*,/g,
        ),
      ].map((m) => m[1]),
    ];
    for (const name of names) {
      const target = entityFile(name);
      if (target) found.push({ file, entity: name, owner: moduleOf(target) });
    }
  }
  return found;
}

/** A feature folder's files that are public whatever MODULE_SURFACES says: its Nest module and its environment. */
const ALWAYS_PUBLIC = /^[^/]+\.(module|environment)$/;

/**
 * Every import, `import type`, re-export and dynamic `import()` of one folder's file from outside that folder
 * (TypeScript's own pre-processor finds them, comments and strings aside), as
 * { from: importing file, folder: the imported folder, file: the imported file relative to that folder }.
 */
export function crossFolderImports(sources: { file: string; text: string }[]): { from: string; folder: string; file: string }[] {
  const found: { from: string; folder: string; file: string }[] = [];
  for (const { file, text } of sources) {
    for (const imported of preProcessFile(text, true, true).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const target = relative(SRC, resolve(SRC, dirname(file), imported.fileName))
        .split(sep)
        .join('/');
      const folder = moduleOf(target.split('/').join(sep));
      if (!folder || folder === moduleOf(file)) continue;
      found.push({ from: file.split(sep).join('/'), folder, file: target.slice(folder.length + 1).replace(/\.ts$/, '') });
    }
  }
  return found;
}

/** The imports that reach a file outside its folder's public surface. */
export function surfaceViolations(
  imports: { from: string; folder: string; file: string }[],
  surfaces: Record<string, readonly string[]>,
): string[] {
  return imports
    .filter((i) => !ALWAYS_PUBLIC.test(i.file) && !(surfaces[i.folder] ?? []).includes(i.file))
    .map((i) => `${i.from} imports ${i.folder}/${i.file}, which is not in ${i.folder}'s public surface (test/unit/module-surfaces.ts)`);
}

describe('module boundaries', () => {
  describe("public surfaces (issue 21): a folder imports only another folder's public files", () => {
    const imports = crossFolderImports(files);
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());

    it('every import of another folder reaches a file of its public surface', () => {
      expect(imports.length).toBeGreaterThan(300); // sanity: the scan sees the code base
      expect(surfaceViolations(imports, MODULE_SURFACES)).toEqual([]);
    });

    it('docs/architecture.md is current: its module table has a row, and its diagram a node, for every folder', () => {
      const doc = readFileSync(join(SRC, '..', 'docs', 'architecture.md'), 'utf8');
      const rows = new Set([...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]));
      const diagram = doc.slice(doc.indexOf('```mermaid'), doc.indexOf('```', doc.indexOf('```mermaid') + 3));
      expect(folders.filter((f) => !rows.has(f))).toEqual([]);
      expect(folders.filter((f) => !new RegExp(`(^|[\\s-])${f}([\\s\\[]|$)`, 'm').test(diagram))).toEqual([]);
    });

    it('every feature folder declares its surface (possibly empty), and only existing folders do', () => {
      expect(Object.keys(MODULE_SURFACES).sort()).toEqual([...folders].sort());
    });

    it('every listed file exists and is imported from outside its folder (a surface is no wider than its use)', () => {
      const used = new Set(imports.map((i) => `${i.folder}/${i.file}`));
      const stale = Object.entries(MODULE_SURFACES).flatMap(([folder, list]) =>
        list.filter((f) => !existsSync(join(SRC, folder, `${f}.ts`)) || !used.has(`${folder}/${f}`)).map((f) => `${folder}/${f}`),
      );
      expect(stale).toEqual([]);
    });

    it('catches an import of a private file, a type-only import and a re-export (the rule can fail)', () => {
      const sources = [
        {
          file: join('devices', 'x.ts'),
          text: "import { A } from '../clients/clients.service';\nimport type { B } from '../clients/private-thing';",
        },
        { file: join('devices', 'y.ts'), text: "export * from '../clients/other-private';\nconst m = import('../clients/lazy');" },
        {
          file: join('devices', 'z.ts'),
          text: "import { ClientsModule } from '../clients/clients.module';\nimport { D } from './own-file';",
        },
      ];
      const found = surfaceViolations(crossFolderImports(sources), { clients: ['clients.service'], devices: [] });
      expect(found.map((v) => v.split(' which')[0])).toEqual([
        'devices/x.ts imports clients/private-thing,',
        'devices/y.ts imports clients/other-private,',
        'devices/y.ts imports clients/lazy,',
      ]);
    });
  });

  it('no two feature folders import each other, directly or in a loop', () => {
    expect(importCycles(moduleGraph())).toEqual([]);
  });

  it('a table is reached (repository, forFeature, EntityManager) only by the module that owns its entity', () => {
    const accesses = tableAccesses();
    // Sanity: the scan finds the usual patterns.
    expect(accesses).toEqual(expect.arrayContaining([{ file: join('devices', 'devices.service.ts'), entity: 'Device', owner: 'devices' }]));
    const foreign = accesses.filter((a) => a.owner !== moduleOf(a.file)).map((a) => `${a.file} uses ${a.entity} (owned by ${a.owner})`);
    expect([...new Set(foreign)]).toEqual([]);
  });

  describe('the auth core (src/auth)', () => {
    const auth = files.filter((f) => moduleOf(f.file) === 'auth');
    /** Folders the core may import: shared plumbing (metrics: the process's counters), no feature module. */
    const SHARED = new Set(['auth', 'common', 'config', 'database', 'metrics']);

    it('imports no feature module (value or type)', () => {
      const imported = auth.flatMap(({ file, text }) =>
        [...text.matchAll(/from\s+'(\.[^']+)'/g)].map((m) => ({
          file,
          to: moduleOf(relative(SRC, resolve(SRC, dirname(file), m[1]))) ?? '(top level)',
        })),
      );
      expect(imported.length).toBeGreaterThan(0);
      expect(imported.filter((i) => !SHARED.has(i.to)).map((i) => `${i.file} imports ${i.to}`)).toEqual([]);
    });

    // What the modules register: every `defineTokenKind('<prefix>', …)` and `<NAME>_CREDENTIAL = '<kind>'` outside the core.
    const prefixes = files.flatMap(({ file, text }) =>
      moduleOf(file) === 'auth' ? [] : [...text.matchAll(/defineTokenKind\(\s*'([a-z]+)'/g)].map((m) => m[1]),
    );
    const kinds = files.flatMap(({ file, text }) =>
      moduleOf(file) === 'auth' ? [] : [...text.matchAll(/export const \w+_CREDENTIAL = '(\w+)'/g)].map((m) => m[1]),
    );

    it("finds the modules' token prefixes and credential kinds (sanity)", () => {
      expect(prefixes).toEqual(expect.arrayContaining(['ghpat', 'ghat', 'ghss']));
      expect(kinds).toEqual(expect.arrayContaining(['pat', 'session']));
    });

    it('names no token prefix and no credential kind of a module', () => {
      const named = auth.flatMap(({ file, text }) => [
        ...prefixes.filter((p) => new RegExp(`\\b${p}_|'${p}'`).test(text)).map((p) => `${file} names the prefix ${p}_`),
        ...kinds.filter((k) => text.includes(`'${k}'`)).map((k) => `${file} names the credential kind '${k}'`),
      ]);
      expect(named).toEqual([]);
    });
  });

  it('finds a loop of three and names its members', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c']]);
  });
});
