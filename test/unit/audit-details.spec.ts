import { camelCaseDetails, nonCamelCaseKeys } from '../../src/audit/audit-details';

describe('audit details: one key style (camelCase)', () => {
  it('finds snake_case and other non-camelCase keys at any depth', () => {
    expect(nonCamelCaseKeys({ familyId: 'f', family_id: 'f', nested: { Bad: 1, fine: [{ also_bad: 2 }] } })).toEqual([
      'family_id',
      'nested.Bad',
      'nested.fine.also_bad',
    ]);
    expect(nonCamelCaseKeys({ grantType: 'refresh_token', scopes: ['read:device'], act: { sub: 'u' } })).toEqual([]);
    expect(nonCamelCaseKeys(undefined)).toEqual([]);
  });

  it('leaves maps keyed by data alone (counts per credential kind)', () => {
    expect(nonCamelCaseKeys({ revoked: { personal_access_token: 1, oauth_grant: 0 } })).toEqual([]);
  });

  it('reads rows written before as camelCase, values and data-keyed maps untouched', () => {
    expect(
      camelCaseDetails({ family_id: 'f', grant_type: 'refresh_token', device_authorization_id: 'd', revoked: { oauth_grant: 1 } }),
    ).toEqual({
      familyId: 'f',
      grantType: 'refresh_token',
      deviceAuthorizationId: 'd',
      revoked: { oauth_grant: 1 },
    });
  });
});
