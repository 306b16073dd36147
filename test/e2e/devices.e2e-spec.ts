import { AuditEvent } from '../../src/audit/audit-event.entity';
import type { HttpResponse } from './support/http-client';
import { countSamples, createDevice, DeviceBody, findDeviceRow, sampleBatch } from './support/devices.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

describe('devices: the guarded resource API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const fields = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field);
  const auditFor = (action: string, targetId: string) => t.dataSource.getRepository(AuditEvent).findBy({ action, targetId });

  describe('CRUD with a session cookie', () => {
    it('creates, reads, updates and deletes a device', async () => {
      const { cookie, user } = await signedInUser(t);
      const created = await t.http.post<DeviceBody>('/devices', {
        cookie,
        json: { name: 'Bedroom', model: 'Wave Plus', serialNumber: '2930012345', location: 'Oslo' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        ownerId: user.id,
        name: 'Bedroom',
        model: 'Wave Plus',
        serialNumber: '2930012345',
        location: 'Oslo',
      });
      const id = created.body.id;

      const got = await t.http.get<DeviceBody>(`/devices/${id}`, { cookie });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created.body);

      const patched = await t.http.patch<DeviceBody>(`/devices/${id}`, { cookie, json: { location: 'Bergen' } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'Bedroom', location: 'Bergen' });
      expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));
      expect((await findDeviceRow(t, id))?.location).toBe('Bergen');

      const deleted = await t.http.delete(`/devices/${id}`, { cookie });
      expect(deleted.status).toBe(204);
      expect(await findDeviceRow(t, id)).toBeNull();
      expect((await t.http.get(`/devices/${id}`, { cookie })).status).toBe(404);
    });

    it('deletes a device together with its samples', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      expect((await t.http.post(`/devices/${device.id}/samples`, { cookie, json: { samples: sampleBatch(3) } })).status).toBe(201);
      expect((await t.http.delete(`/devices/${device.id}`, { cookie })).status).toBe(204);
      expect(await countSamples(t, device.id)).toBe(0);
    });

    it('answers 404 for a device that does not exist', async () => {
      const { cookie } = await signedInUser(t);
      expect((await t.http.get(`/devices/${NO_SUCH_ID}`, { cookie })).status).toBe(404);
      expect((await t.http.delete(`/devices/${NO_SUCH_ID}`, { cookie })).status).toBe(404);
    });

    it('answers 400 for an id that is not a UUID', async () => {
      const { cookie } = await signedInUser(t);
      for (const res of [
        await t.http.get('/devices/not-a-uuid', { cookie }),
        await t.http.patch('/devices/not-a-uuid', { cookie, json: { name: 'x' } }),
        await t.http.delete('/devices/1', { cookie }),
        await t.http.get('/devices/not-a-uuid/samples', { cookie }),
      ]) {
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('bad_request');
        expect(res.body.requestId).toEqual(expect.any(String));
      }
    });
  });

  describe('validation', () => {
    it('refuses an unknown field with 400 naming it', async () => {
      const { cookie } = await signedInUser(t);
      const res = await t.http.post('/devices', { cookie, json: { name: 'x', ownerId: NO_SUCH_ID } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed', message: 'Validation failed' });
      expect(res.body.details).toEqual([{ field: 'ownerId', problems: ['property ownerId should not exist'] }]);
    });

    it('lists every bad field: missing name, too-long location, wrong type', async () => {
      const { cookie } = await signedInUser(t);
      const res = await t.http.post('/devices', { cookie, json: { location: 'x'.repeat(201), model: 42 } });
      expect(res.status).toBe(400);
      expect(fields(res.body).sort()).toEqual(['location', 'model', 'name']);
    });

    it('refuses a name longer than 100 characters and an empty one', async () => {
      const { cookie } = await signedInUser(t);
      for (const name of ['x'.repeat(101), '']) {
        const res = await t.http.post('/devices', { cookie, json: { name } });
        expect(res.status).toBe(400);
        expect(fields(res.body)).toEqual(['name']);
      }
    });

    it('validates PATCH bodies the same way and changes nothing', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie, { name: 'Kept' });
      const res = await t.http.patch(`/devices/${device.id}`, { cookie, json: { name: 'x'.repeat(101), colour: 'red' } });
      expect(res.status).toBe(400);
      expect(fields(res.body).sort()).toEqual(['colour', 'name']);
      expect((await findDeviceRow(t, device.id))?.name).toBe('Kept');
    });
  });

  describe('list pagination', () => {
    it('pages through every device with limit and the opaque cursor', async () => {
      const { cookie } = await signedInUser(t);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await createDevice(t, cookie, { name: `Device ${i}` })).id);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
        const res = await t.http.get(`/devices${query}`, { cookie });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((d: DeviceBody) => d.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);

      expect(pages).toBe(3);
      // Newest first, each device exactly once.
      expect(seen).toEqual([...ids].reverse());
    });

    it('answers 400 for a garbage cursor', async () => {
      const { cookie } = await signedInUser(t);
      for (const cursor of ['garbage!', Buffer.from('{"t":"nope","id":"x"}').toString('base64url'), 'x'.repeat(600)]) {
        const res = await t.http.get(`/devices?cursor=${encodeURIComponent(cursor)}`, { cookie });
        expect(res.status).toBe(400);
        expect(res.body.requestId).toEqual(expect.any(String));
      }
    });

    it('answers 400 for a limit out of range or not a number', async () => {
      const { cookie } = await signedInUser(t);
      for (const limit of ['0', '101', 'abc', '1.5']) {
        const res = await t.http.get(`/devices?limit=${limit}`, { cookie });
        expect(res.status).toBe(400);
        expect(fields(res.body)).toEqual(['limit']);
      }
    });
  });

  describe('samples', () => {
    it('ingests a batch and reads it back in time order', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      const batch = sampleBatch(10).reverse();
      const res = await t.http.post(`/devices/${device.id}/samples`, { cookie, json: { samples: batch } });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ inserted: 10 });
      expect(await countSamples(t, device.id)).toBe(10);

      const all = await t.http.get(`/devices/${device.id}/samples`, { cookie });
      expect(all.status).toBe(200);
      expect(all.body.items).toHaveLength(10);
      expect(all.body.items[0]).toEqual({
        recordedAt: '2026-01-01T00:00:00.000Z',
        radon: null,
        co2: 400,
        voc: null,
        temperature: 21.5,
        humidity: 40,
        pressure: null,
        battery: null,
      });
      const times = all.body.items.map((s: { recordedAt: string }) => s.recordedAt);
      expect(times).toEqual([...times].sort());
    });

    it('filters with from (inclusive), to (exclusive) and limit', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      const batch = sampleBatch(10);
      await t.http.post(`/devices/${device.id}/samples`, { cookie, json: { samples: batch } });
      const from = batch[2].recordedAt as string;
      const to = batch[5].recordedAt as string;

      const window = await t.http.get(`/devices/${device.id}/samples?from=${from}&to=${to}`, { cookie });
      expect(window.status).toBe(200);
      expect(window.body.items.map((s: { recordedAt: string }) => s.recordedAt)).toEqual(
        [batch[2], batch[3], batch[4]].map((s) => s.recordedAt),
      );

      const limited = await t.http.get(`/devices/${device.id}/samples?from=${from}&limit=2`, { cookie });
      expect(limited.body.items.map((s: { co2: number }) => s.co2)).toEqual([402, 403]);
    });

    it('answers 400 for bad from/to/limit', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      for (const [query, field] of [
        ['from=yesterday', 'from'],
        ['to=2026-13-01T00:00:00Z', 'to'],
        ['limit=1001', 'limit'],
        ['limit=0', 'limit'],
      ]) {
        const res = await t.http.get(`/devices/${device.id}/samples?${query}`, { cookie });
        expect(res.status).toBe(400);
        expect(fields(res.body)).toEqual([field]);
      }
    });

    it('accepts a batch of exactly 1,000 samples', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      const res = await t.http.post(`/devices/${device.id}/samples`, { cookie, json: { samples: sampleBatch(1000) } });
      expect(res.status).toBe(201);
      expect(await countSamples(t, device.id)).toBe(1000);
    });

    it('ingests concurrent batches into the same device, each whole (no overlapping-transaction 500s)', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          t.http.post(`/devices/${device.id}/samples`, { cookie, json: { samples: sampleBatch(300, Date.UTC(2026, 1, 1 + i)) } }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
      expect(await countSamples(t, device.id)).toBe(8 * 300);
    });

    it('refuses a batch of 1,001 samples with 400 and writes nothing', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      const res = await t.http.post(`/devices/${device.id}/samples`, { cookie, json: { samples: sampleBatch(1001) } });
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['samples']);
      expect(await countSamples(t, device.id)).toBe(0);
    });

    it('refuses an empty batch and a missing one', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      for (const json of [{ samples: [] }, {}, { samples: 'lots' }]) {
        const res = await t.http.post(`/devices/${device.id}/samples`, { cookie, json });
        expect(res.status).toBe(400);
        expect(fields(res.body)).toContain('samples');
      }
    });

    it('refuses a batch with ONE bad sample: 400 naming samples.2.co2, and nothing is written', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      const batch = sampleBatch(5);
      batch[2].co2 = -5;
      batch[4].extra = true;
      const res = await t.http.post(`/devices/${device.id}/samples`, { cookie, json: { samples: batch } });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.details).toEqual(
        expect.arrayContaining([
          { field: 'samples.2.co2', problems: ['co2 must not be less than 0'] },
          { field: 'samples.4.extra', problems: ['property extra should not exist'] },
        ]),
      );
      expect(await countSamples(t, device.id)).toBe(0);
    });

    it('refuses a timestamp that IsISO8601 passes but Date cannot read (week date), writing nothing', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      const batch = sampleBatch(3);
      batch[1].recordedAt = '2026-W01';
      const res = await t.http.post(`/devices/${device.id}/samples`, { cookie, json: { samples: batch } });
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['samples.1.recordedAt']);
      expect(await countSamples(t, device.id)).toBe(0);
      const query = await t.http.get(`/devices/${device.id}/samples?from=2026-W01`, { cookie });
      expect(query.status).toBe(400);
      expect(fields(query.body)).toEqual(['from']);
    });

    it('writes nothing when the database fails part-way through a batch (one transaction)', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      // A trigger that fails the insert of one marked sample, in the third 200-row chunk.
      const marker = 77777;
      const trigger = `fail_sample_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
      const type = t.dataSource.options.type;
      const mysql = type === 'mysql';
      if (type === 'postgres') {
        await t.dataSource.query(
          `CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.co2 = ${marker} THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$`,
        );
      }
      await t.dataSource.query(
        type === 'postgres'
          ? `CREATE TRIGGER ${trigger} BEFORE INSERT ON samples FOR EACH ROW EXECUTE FUNCTION ${trigger}()`
          : mysql
            ? `CREATE TRIGGER ${trigger} BEFORE INSERT ON samples FOR EACH ROW BEGIN IF NEW.co2 = ${marker} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'simulated failure'; END IF; END`
            : `CREATE TRIGGER ${trigger} BEFORE INSERT ON samples WHEN NEW.co2 = ${marker} BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`,
      );
      try {
        const batch = sampleBatch(450);
        batch[420].co2 = marker;
        const res = await t.http.post(`/devices/${device.id}/samples`, { cookie, json: { samples: batch } });
        expect(res.status).toBe(500);
        expect(await countSamples(t, device.id)).toBe(0);
      } finally {
        if (type === 'postgres') await t.dataSource.query(`DROP FUNCTION ${trigger}() CASCADE`);
        else await t.dataSource.query(`DROP TRIGGER ${trigger}`);
      }
      expect((await t.http.post(`/devices/${device.id}/samples`, { cookie, json: { samples: sampleBatch(450) } })).status).toBe(201);
      expect(await countSamples(t, device.id)).toBe(450);
    });

    it('refuses a sample without a valid timestamp', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      const batch = sampleBatch(2);
      batch[1].recordedAt = '2026-02-30T00:00:00Z';
      const res = await t.http.post(`/devices/${device.id}/samples`, { cookie, json: { samples: batch } });
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['samples.1.recordedAt']);
      expect(await countSamples(t, device.id)).toBe(0);
    });
  });

  describe('ownership', () => {
    it("reports another user's device as 404 on every route, and leaves it untouched", async () => {
      const owner = await signedInUser(t);
      const other = await signedInUser(t);
      const device = await createDevice(t, owner.cookie, { name: 'Mine' });
      await t.http.post(`/devices/${device.id}/samples`, { cookie: owner.cookie, json: { samples: sampleBatch(2) } });

      const attempts = [
        await t.http.get(`/devices/${device.id}`, { cookie: other.cookie }),
        await t.http.patch(`/devices/${device.id}`, { cookie: other.cookie, json: { name: 'Stolen' } }),
        await t.http.delete(`/devices/${device.id}`, { cookie: other.cookie }),
        await t.http.get(`/devices/${device.id}/samples`, { cookie: other.cookie }),
        await t.http.post(`/devices/${device.id}/samples`, { cookie: other.cookie, json: { samples: sampleBatch(1) } }),
      ];
      for (const res of attempts) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ statusCode: 404, error: 'not_found', message: 'Device not found' });
      }
      expect((await findDeviceRow(t, device.id))?.name).toBe('Mine');
      expect(await countSamples(t, device.id)).toBe(2);
      const list = await t.http.get('/devices', { cookie: other.cookie });
      expect(list.body.items).toEqual([]);
    });

    it('lets an admin see and change every device', async () => {
      const owner = await signedInUser(t);
      const admin = await signedInUser(t, { roles: ['admin'] });
      const device = await createDevice(t, owner.cookie);

      expect((await t.http.get(`/devices/${device.id}`, { cookie: admin.cookie })).body.ownerId).toBe(owner.user.id);
      expect((await t.http.get(`/devices/${device.id}/samples`, { cookie: admin.cookie })).status).toBe(200);
      expect((await t.http.patch(`/devices/${device.id}`, { cookie: admin.cookie, json: { name: 'Renamed by admin' } })).status).toBe(200);

      // The admin's list includes other users' devices (walk the pages: a shared MySQL holds others' rows too).
      let found = false;
      let cursor: string | null = null;
      for (let page = 0; page < 50 && !found; page++) {
        const res: HttpResponse = await t.http.get(`/devices?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
          cookie: admin.cookie,
        });
        expect(res.status).toBe(200);
        found = res.body.items.some((d: DeviceBody) => d.id === device.id);
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      expect(found).toBe(true);
    });
  });

  describe('RFC 6750 challenges', () => {
    it('RFC 6750 §3.1: a viewer can read but gets 403 insufficient_scope with the required scope on writes', async () => {
      const owner = await signedInUser(t);
      const viewer = await signedInUser(t, { roles: ['viewer'] });
      const own = await t.http.get('/devices', { cookie: viewer.cookie });
      expect(own.status).toBe(200);
      const device = await createDevice(t, owner.cookie);

      const writes = [
        await t.http.post('/devices', { cookie: viewer.cookie, json: { name: 'Nope' } }),
        await t.http.patch(`/devices/${device.id}`, { cookie: viewer.cookie, json: { name: 'Nope' } }),
        await t.http.delete(`/devices/${device.id}`, { cookie: viewer.cookie }),
        await t.http.post(`/devices/${device.id}/samples`, { cookie: viewer.cookie, json: { samples: sampleBatch(1) } }),
      ];
      for (const res of writes) {
        expect(res.status).toBe(403);
        expect(res.body.error).toBe('insufficient_scope');
        const challenge = res.headers.get('www-authenticate') ?? '';
        expect(challenge).toMatch(/^Bearer realm="gatehouse", error="insufficient_scope", /);
        expect(challenge).toContain('scope="write:device"');
      }
      expect(await findDeviceRow(t, device.id)).not.toBeNull();
    });

    it('RFC 6750 §3.1: no credential gets 401 with a bare Bearer challenge and no error code', async () => {
      for (const res of [await t.http.get('/devices'), await t.http.post('/devices', { json: { name: 'x' } })]) {
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
        expect(res.body).toMatchObject({ statusCode: 401, error: 'unauthorized' });
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('RFC 6750 §3.1: an unknown bearer token gets 401 invalid_token', async () => {
      for (const token of ['ghat_000000000000000000000000000000000000', 'garbage', 'ghpat_nope']) {
        const res = await t.http.get('/devices', { bearer: token });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="gatehouse", error="invalid_token"/);
        expect(res.body.error).toBe('invalid_token');
      }
    });

    it('RFC 6750 §3.1: an empty Bearer credential is a malformed request: 400 invalid_request', async () => {
      const res = await t.http.get('/devices', { headers: { authorization: 'Bearer' } });
      expect(res.status).toBe(400);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="gatehouse", error="invalid_request"/);
    });

    it('refuses Authorization: Basic with 401 and the Bearer challenge', async () => {
      const res = await t.http.get('/devices', { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
      expect(res.body.error).toBe('unauthorized');
    });

    it('refuses the Secret scheme on a route that does not accept it', async () => {
      const res = await t.http.get(`/devices/${NO_SUCH_ID}`, { headers: { authorization: 'Secret ghcs_whatever' } });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('unsupported_scheme');
    });
  });

  describe('audit', () => {
    it('records device writes as their declared actions with their outcome', async () => {
      const owner = await signedInUser(t);
      const other = await signedInUser(t);
      const device = await createDevice(t, owner.cookie);
      await t.http.patch(`/devices/${device.id}`, { cookie: owner.cookie, json: { name: 'New name' } });
      await t.http.post(`/devices/${device.id}/samples`, { cookie: owner.cookie, json: { samples: sampleBatch(2) } });
      await t.http.delete(`/devices/${device.id}`, { cookie: other.cookie });
      await t.http.delete(`/devices/${device.id}`, { cookie: owner.cookie });

      const created = await auditFor('device.create', device.id);
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({
        actorType: 'user',
        actorId: owner.user.id,
        credentialKind: 'session',
        outcome: 'success',
        targetType: 'device',
      });
      expect((await auditFor('device.update', device.id)).map((r) => r.outcome)).toEqual(['success']);
      expect((await auditFor('device.samples.add', device.id)).map((r) => r.outcome)).toEqual(['success']);
      const removes = await auditFor('device.remove', device.id);
      expect(removes.map((r) => [r.actorId, r.outcome]).sort()).toEqual(
        [
          [owner.user.id, 'success'],
          [other.user.id, 'denied'],
        ].sort(),
      );
      expect(JSON.parse(removes.find((r) => r.outcome === 'denied')!.details!)).toMatchObject({ method: 'DELETE', status: 404 });
    });

    it('does not audit reads', async () => {
      const { cookie } = await signedInUser(t);
      const device = await createDevice(t, cookie);
      await t.http.get(`/devices/${device.id}`, { cookie });
      const rows = await t.dataSource.getRepository(AuditEvent).findBy({ targetId: device.id });
      expect(rows.map((r) => r.action)).toEqual(['device.create']);
    });
  });
});
