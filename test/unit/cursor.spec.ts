import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../../src/common/cursor';
import { mapPage, pageFrom } from '../../src/common/keyset';

describe('opaque pagination cursor', () => {
  it('round-trips a position and is URL-safe', () => {
    const pos = { t: '2026-01-01T00:00:00.000Z', id: '0b7d3a8e-1c2f-4a5b-9c8d-7e6f5a4b3c2d' };
    const cursor = encodeCursor(pos);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(pos);
  });

  it.each([
    ['not base64 JSON', 'garbage!'],
    ['empty', ''],
    ['JSON but not an object', Buffer.from('42').toString('base64url')],
    ['null', Buffer.from('null').toString('base64url')],
    ['missing id', Buffer.from(JSON.stringify({ t: '2026-01-01T00:00:00Z' })).toString('base64url')],
    ['t not a date', Buffer.from(JSON.stringify({ t: 'yesterday', id: 'x' })).toString('base64url')],
    ['id not a string', Buffer.from(JSON.stringify({ t: '2026-01-01T00:00:00Z', id: 7 })).toString('base64url')],
  ])('refuses %s with a 400', (_, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(BadRequestException);
  });
});

describe('keyset page (pageFrom)', () => {
  const rows = [3, 2, 1].map((n) => ({ id: `id-${n}`, at: new Date(Date.UTC(2026, 0, n)) }));
  const key = (r: { id: string; at: Date }) => ({ time: r.at, id: r.id });

  it('keeps `limit` rows and points the cursor at the last one when an extra row shows there is more', () => {
    const page = pageFrom(rows, 2, key);
    expect(page.items.map((r) => r.id)).toEqual(['id-3', 'id-2']);
    expect(decodeCursor(page.nextCursor!)).toEqual({ t: '2026-01-02T00:00:00.000Z', id: 'id-2' });
  });

  it('has no cursor on the last page', () => {
    expect(pageFrom(rows, 3, key)).toEqual({ items: rows, nextCursor: null });
    expect(pageFrom([], 3, key)).toEqual({ items: [], nextCursor: null });
  });

  it('maps items and keeps the cursor', () => {
    expect(mapPage({ items: [1, 2], nextCursor: 'c' }, (n) => n * 10)).toEqual({ items: [10, 20], nextCursor: 'c' });
  });
});
