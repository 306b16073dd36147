/**
 * The one Jest transform (jest.config.js; the browser and scale configs reuse its base): ts-jest
 * compiles the TypeScript sources and the few ESM-only dependencies to CommonJS, since Jest's
 * runtime is CommonJS (ESM only behind --experimental-vm-modules).
 *
 * ESM code may use `import.meta`, which CommonJS has not. @nestjs/typeorm 12 uses it once, as
 * `const require = createRequire(import.meta.url)`: in CommonJS that is the module's own
 * `require`, so the line is dropped (kept, it would redeclare `require`, a SyntaxError). Any other
 * `import.meta.url` becomes the file's URL. Any other `import.meta` use stops the run here, with
 * the file named, rather than as an obscure error in whatever test loads it.
 */
const { pathToFileURL } = require('node:url');
const tsJest = require('ts-jest').default;

const CREATE_REQUIRE = /^\s*const require = createRequire\(import\.meta\.url\);?\s*$/m;

/** Rewrites a dependency's `import.meta` for CommonJS (see above); other sources pass unchanged. */
function rewriteImportMeta(source, filename) {
  if (!filename.includes('/node_modules/') || !source.includes('import.meta')) return source;
  const out = source.replace(CREATE_REQUIRE, '').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(filename).href));
  if (out.includes('import.meta')) {
    throw new Error(`${filename}: uses import.meta in a way test/jest-transform.js does not rewrite for CommonJS`);
  }
  return out;
}

const compiler = tsJest.createTransformer({ diagnostics: false, tsconfig: '<rootDir>/tsconfig.jest.json' });

module.exports = {
  process(source, filename, options) {
    return compiler.process(rewriteImportMeta(source, filename), filename, options);
  },
  processAsync(source, filename, options) {
    return compiler.processAsync(rewriteImportMeta(source, filename), filename, options);
  },
  getCacheKey(source, filename, options) {
    return compiler.getCacheKey(rewriteImportMeta(source, filename), filename, options);
  },
  getCacheKeyAsync(source, filename, options) {
    return compiler.getCacheKeyAsync(rewriteImportMeta(source, filename), filename, options);
  },
};
