import { DevicesService } from '../../src/devices/devices.service';
import { createDevice } from './support/devices.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

/**
 * Graceful shutdown. SIGTERM runs app.close() after the grace period (src/common/graceful-shutdown.ts);
 * a signal would end the Jest worker, so this calls app.close() directly: the very same path
 * (test/scale/shutdown.scale-spec.ts sends a real SIGTERM to a real process).
 */
describe('graceful shutdown', () => {
  let t: TestApp;
  let closed = false;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    if (!closed) await t.close();
  });

  it('lets an in-flight request finish (including its database work) before the server and database close', async () => {
    const { cookie } = await signedInUser(t);
    const device = await createDevice(t, cookie, { name: 'Still here' });

    const devices = t.get<DevicesService>(DevicesService);
    const real = devices.listVisible.bind(devices);
    let reached!: () => void;
    const handlerReached = new Promise<void>((resolve) => (reached = resolve));
    jest.spyOn(devices, 'listVisible').mockImplementation(async (...args) => {
      reached();
      await new Promise((resolve) => setTimeout(resolve, 400));
      return real(...args); // queries the database after shutdown has begun
    });

    const slow = t.http.get('/devices', { cookie });
    await handlerReached;
    const closing = t.close().then(() => (closed = true));

    const res = await slow;
    expect(res.status).toBe(200);
    // The busy keep-alive connection is told to close, or server.close() would wait for its timeout.
    expect(res.headers.get('connection')).toBe('close');
    expect(res.body.items.map((d: { name: string }) => d.name)).toEqual(['Still here']);
    expect(device.id).toEqual(res.body.items[0].id);
    await closing;
    expect(closed).toBe(true);
    expect(t.dataSource.isInitialized).toBe(false);
  });

  it('accepts no new requests once closed', async () => {
    expect(closed).toBe(true);
    await expect(fetch(`${t.baseUrl}/health`)).rejects.toThrow();
  });
});
