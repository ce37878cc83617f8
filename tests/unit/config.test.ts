import { readConfig } from '../../src/config';

const valid = {
  AWS_REGION: 'eu-west-1',
  USER_POOL_ID: 'eu-west-1_AbC123xyz',
  USER_POOL_CLIENT_ID: 'abcdefghij0123456789abcdef',
  PASSWORD_POLICY: 'minLength=12;lowercase=false;uppercase=false;numbers=false;symbols=false',
};

describe('readConfig', () => {
  it('reads a valid environment with defaults', () => {
    const config = readConfig(valid);
    expect(config).toMatchObject({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbC123xyz',
      allowedOrigins: [],
      refreshCookieSameSite: 'Strict',
      refreshTokenMaxAgeSeconds: 30 * 86_400,
      cognitoEndpoint: undefined,
    });
  });

  it('splits and checks the origin allowlist', () => {
    expect(
      readConfig({ ...valid, ALLOWED_ORIGINS: 'https://a.example.com, http://localhost:5173' })
        .allowedOrigins,
    ).toEqual(['https://a.example.com', 'http://localhost:5173']);
    expect(() => readConfig({ ...valid, ALLOWED_ORIGINS: '*' })).toThrow(
      /never allowed with credentials/,
    );
  });

  it('names missing or malformed variables without echoing their values', () => {
    expect(() => readConfig({ ...valid, USER_POOL_ID: undefined })).toThrow('check USER_POOL_ID');
    let message = '';
    try {
      readConfig({
        ...valid,
        USER_POOL_CLIENT_ID: 'bad value!',
        REFRESH_TOKEN_VALIDITY_DAYS: 'zero',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'Invalid function environment: check USER_POOL_CLIENT_ID, REFRESH_TOKEN_VALIDITY_DAYS',
    );
    expect(message).not.toContain('bad value!');
  });
});
