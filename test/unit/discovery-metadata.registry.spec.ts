import type { AppConfig } from '../../src/config/app-config';
import { DiscoveryMetadataRegistry } from '../../src/discovery/discovery-metadata.registry';

describe('DiscoveryMetadataRegistry (RFC 8414 §2, OIDC Discovery 1.0 §3)', () => {
  const registry = () => new DiscoveryMetadataRegistry({ issuer: 'https://as.example' } as AppConfig);

  it('merges contributions in RFC 8414 §2 order, endpoints from the issuer, unknown fields last', () => {
    const r = registry();
    r.contribute(() => ({ service_documentation: 'x', custom_field: 1 }));
    r.contribute(({ issuer }) => ({ token_endpoint: `${issuer}/oauth/token`, issuer }));
    expect(Object.keys(r.document('oauth-authorization-server'))).toEqual([
      'issuer',
      'token_endpoint',
      'service_documentation',
      'custom_field',
    ]);
    expect(r.document('oauth-authorization-server').token_endpoint).toBe('https://as.example/oauth/token');
  });

  it('joins arrays without repeats, skips undefined, and throws when two modules disagree on a value', () => {
    const r = registry();
    r.contribute(() => ({ response_types_supported: [], scopes_supported: ['a'], x: undefined }));
    r.contribute(() => ({ response_types_supported: ['code'], scopes_supported: ['a', 'b'] }));
    expect(r.document('oauth-authorization-server')).toEqual({ response_types_supported: ['code'], scopes_supported: ['a', 'b'] });
    r.contribute(() => ({ issuer: 'one' }));
    r.contribute(() => ({ issuer: 'two' }));
    expect(() => r.document('oauth-authorization-server')).toThrow(/issuer is contributed twice/);
  });

  it('keeps a contribution to the documents it names; reads the fields on every call', () => {
    const r = registry();
    let grants = ['client_credentials'];
    r.contribute(() => ({ grant_types_supported: grants }));
    r.contribute(() => ({ userinfo_endpoint: 'u' }), ['openid-configuration']);
    grants = ['authorization_code', 'client_credentials'];
    expect(r.document('oauth-authorization-server')).toEqual({ grant_types_supported: grants });
    expect(r.document('openid-configuration')).toEqual({ grant_types_supported: grants, userinfo_endpoint: 'u' });
  });
});
