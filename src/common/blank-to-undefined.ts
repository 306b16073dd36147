import { Transform } from 'class-transformer';

/** An empty query-string field (as a GET form sends it) counts as absent, not as an invalid value. */
export const BlankToUndefined = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value));
