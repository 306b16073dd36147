#!/usr/bin/env node
// Prints the functions with the most self time in the newest .cpuprofile of a folder (BENCH_PROFILE=1).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'bench/results/profile';
const file = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => join(dir, f))
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
const profile = JSON.parse(readFileSync(file, 'utf8'));
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const n = byId.get(profile.samples[i]);
  const { functionName, url, lineNumber } = n.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*\/(dist|src)\//, '$1/')}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byPackage = new Map();
for (const [k, v] of self) {
  const pkg = /~\/(@[^/]+\/[^/]+|[^/]+)/.exec(k)?.[1] ?? (k.includes('dist/') ? 'gatehouse' : k.includes('node:') ? 'node' : '(other)');
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + v);
}
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nby package:');
for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
console.log('\nby function (self time):');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 40)))
  console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
