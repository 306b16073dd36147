/**
 * Limits on the shape of a JSON request body, checked on the raw text before it is parsed
 * (RFC 8259 §9: a parser may limit the depth of nesting).
 *
 * No route reads more than three levels (`{"samples":[{…}]}`) nor more than 1,000 items
 * (MAX_SAMPLES_PER_BATCH); the limits leave room above that, so a DTO's own limit (with its
 * field-level message) answers first. Without them a 2.6 KB body of 1,300 nested arrays
 * overflowed the stack of class-transformer/class-validator (a 500), and a 1 MB array of 500,000
 * items had every item validated and listed in the error.
 */
export const JSON_MAX_DEPTH = 32;
/** Items of one array, or members of one object. */
export const JSON_MAX_WIDTH = 2000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const LOWER_U = 0x75;

/**
 * Why `text` is refused, or null. One pass over the characters, no allocation beyond a counter
 * per level; it does not validate JSON syntax (the parser does that next), so on malformed text
 * it may answer null. Refuses:
 * - nesting deeper than `maxDepth` arrays/objects, and an array or object wider than `maxWidth`;
 * - an unpaired UTF-16 surrogate escape (`"\ud800"`): it cannot be encoded in UTF-8, so RFC 8259
 *   §8.2 leaves its meaning undefined; validators threw on it and databases mangle it.
 */
export function jsonShapeProblem(text: string, maxDepth = JSON_MAX_DEPTH, maxWidth = JSON_MAX_WIDTH): string | null {
  // commas[d] = commas seen in the container open at depth d; items = commas + 1.
  const commas = new Uint32Array(maxDepth + 1);
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string; only escapes need a look (raw lone surrogates cannot come out of UTF-8).
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === QUOTE) break;
        if (s !== BACKSLASH) continue;
        if (text.charCodeAt(i + 1) !== LOWER_U) {
          i++;
          continue;
        }
        const unit = hex4(text, i + 2);
        if (unit >= 0xd800 && unit <= 0xdfff) {
          // Only a high surrogate directly followed by an escaped low one is a character.
          const low = unit <= 0xdbff && text.charCodeAt(i + 6) === BACKSLASH && text.charCodeAt(i + 7) === LOWER_U ? hex4(text, i + 8) : -1;
          if (low < 0xdc00 || low > 0xdfff) return 'JSON strings must not contain an unpaired UTF-16 surrogate (RFC 8259 §8.2)';
          i += 6;
        }
        i += 5;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) return `JSON nesting deeper than ${maxDepth} levels`;
      commas[depth] = 0;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (depth > 0) depth--;
    } else if (c === COMMA && depth > 0) {
      if (++commas[depth] >= maxWidth) return `JSON array or object with more than ${maxWidth} items`;
    }
  }
  return null;
}

/** The value of four hex digits at `at`, or -1. */
function hex4(text: string, at: number): number {
  const s = text.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(s) ? parseInt(s, 16) : -1;
}
