import { standardClaims } from '../../../../local/cognito/issued-tokens';

describe('standardClaims (correction 11)', () => {
  const attributes = {
    sub: 'sub-ada',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    phone_number_verified: 'false',
    updated_at: '1800000000',
    'custom:team': 'engines',
  };

  it('adds the standard attributes, typed as OIDC claims', () => {
    expect(standardClaims(attributes, undefined)).toEqual({
      name: 'Ada Lovelace',
      phone_number_verified: false,
      updated_at: 1_800_000_000,
    });
  });

  it('leaves out those the client may not read', () => {
    expect(standardClaims(attributes, ['email', 'name'])).toEqual({ name: 'Ada Lovelace' });
  });
});
