import { claimedClientId, parseBasic } from '../../src/clients/client-authenticator.service';
import { InvalidClientError } from '../../src/auth/errors/oauth.errors';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('parseBasic (RFC 6749 §2.3.1)', () => {
  it('form-decodes the id and secret after base64', () => {
    expect(parseBasic(`Basic ${b64('my%20id:s%3Acret+x')}`)).toEqual({ clientId: 'my id', secret: 's:cret x' });
  });

  it('refuses other schemes and malformed credentials with invalid_client + Basic challenge', () => {
    for (const h of ['Bearer abc', `Basic ${b64('no-colon')}`, 'Basic']) {
      let err: unknown;
      try {
        parseBasic(h);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidClientError);
      expect((err as InvalidClientError).render().headers?.['www-authenticate']).toBe('Basic realm="gatehouse"');
    }
  });

  it('claimedClientId prefers Basic and tolerates junk', () => {
    expect(claimedClientId({ authorization: `Basic ${b64('a:b')}`, clientId: 'x' })).toBe('a');
    expect(claimedClientId({ authorization: 'Bearer z', clientId: 'x' })).toBeUndefined();
    expect(claimedClientId({ clientId: 'x' })).toBe('x');
  });
});
