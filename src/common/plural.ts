/** "1 session", "2 sessions": a count with its noun, for messages a person reads. */
export function plural(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : pluralNoun}`;
}
