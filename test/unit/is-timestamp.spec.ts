import { isTimestamp } from '../../src/common/is-timestamp.decorator';

describe('isTimestamp', () => {
  it.each([
    '2026-01-01T08:00:00Z',
    '2026-01-01T08:00:00.123Z',
    '2026-01-01T08:00:00+02:00',
    '2026-01-01T10:00Z',
    '2026-01-01',
    '1000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
  ])('accepts %s', (value) => {
    expect(isTimestamp(value)).toBe(true);
  });

  it.each([
    ['a week date Date cannot read', '2026-W01'],
    ['a week date with a day', '2026-W01-1'],
    ['an ordinal date', '2026-032'],
    ['a bare year', '2026'],
    ['an impossible day', '2026-02-30T00:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
    ['a year before 1000', '0999-12-31T23:59:59Z'],
    ['free text', 'yesterday'],
    ['a number', 1767225600000],
    ['nothing', undefined],
  ])('refuses %s (%j)', (_, value) => {
    expect(isTimestamp(value)).toBe(false);
  });
});
