import { JSON_MAX_DEPTH, JSON_MAX_WIDTH, jsonShapeProblem } from '../../src/common/json-shape';
import { MAX_SAMPLES_PER_BATCH } from '../../src/devices/dto/create-samples.dto';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const items = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(',')}]`;
const members = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`;

describe('jsonShapeProblem', () => {
  it('accepts the bodies the API reads', () => {
    expect(jsonShapeProblem('{"samples":[{"recordedAt":"2026-01-01T00:00:00Z","co2":400}]}')).toBeNull();
    expect(jsonShapeProblem('{"email":"a@b.c","password":"p[{,}]\\"[["}')).toBeNull();
    expect(jsonShapeProblem('"just a string"')).toBeNull();
    expect(jsonShapeProblem('')).toBeNull();
  });

  it('limits nesting depth (the 1,300 nested arrays that overflowed the stack)', () => {
    expect(jsonShapeProblem(nested(JSON_MAX_DEPTH))).toBeNull();
    expect(jsonShapeProblem(nested(JSON_MAX_DEPTH + 1))).toMatch(/deeper than 32/);
    expect(jsonShapeProblem(nested(1300))).toMatch(/deeper/);
    expect(jsonShapeProblem(`{"a":${'{"a":'.repeat(40)}1${'}'.repeat(41)}`)).toMatch(/deeper/);
    // Brackets inside strings are text, not nesting.
    expect(jsonShapeProblem(JSON.stringify({ a: '['.repeat(5000) }))).toBeNull();
  });

  it('limits the width of every array and object, with room for a full batch of samples', () => {
    expect(JSON_MAX_WIDTH).toBeGreaterThan(MAX_SAMPLES_PER_BATCH);
    expect(jsonShapeProblem(items(JSON_MAX_WIDTH))).toBeNull();
    expect(jsonShapeProblem(items(JSON_MAX_WIDTH + 1))).toMatch(/more than 2000 items/);
    expect(jsonShapeProblem(members(JSON_MAX_WIDTH + 1))).toMatch(/more than 2000 items/);
    expect(jsonShapeProblem(`{"a":${items(JSON_MAX_WIDTH + 1)}}`)).toMatch(/more than/);
    // Width counts per container: many small arrays side by side are fine.
    expect(jsonShapeProblem(`[${Array.from({ length: 999 }, () => '[1,2,3]').join(',')}]`)).toBeNull();
    expect(jsonShapeProblem(JSON.stringify({ a: ','.repeat(5000) }))).toBeNull();
  });

  it('RFC 8259 §8.2: refuses an unpaired UTF-16 surrogate escape, accepts a pair', () => {
    expect(jsonShapeProblem('{"email":"\\ud800"}')).toMatch(/RFC 8259 §8.2/);
    expect(jsonShapeProblem('{"email":"\\uDC00x"}')).toMatch(/surrogate/);
    expect(jsonShapeProblem('{"email":"\\ud83d\\u0041"}')).toMatch(/surrogate/);
    expect(jsonShapeProblem('{"email":"a\\ud83d"}')).toMatch(/surrogate/);
    // An escaped backslash followed by text that looks like an escape is text.
    expect(jsonShapeProblem('{"a":"\\\\ud83d\\ude00"}')).toMatch(/surrogate/);
    expect(jsonShapeProblem('{"a":"\\\\ud800"}')).toBeNull();
    expect(jsonShapeProblem('{"a":"\\ud83d\\ude00 \\u00e9 \\n \\" ok"}')).toBeNull();
    expect(jsonShapeProblem(JSON.stringify({ a: '😀' }))).toBeNull();
  });
});
