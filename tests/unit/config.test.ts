import { readConfig } from '../../src/config';

const valid = {
  AWS_REGION: 'eu-west-1',
  USER_POOL_ID: 'eu-west-1_AbC123xyz',
  USER_POOL_CLIENT_ID: 'abcdefghij0123456789abcdef',
};

describe('readConfig', () => {
  it('reads each variable, with the defaults of the optional ones', () => {
    const config = readConfig(valid);
    expect(config).toMatchObject({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbC123xyz',
      userPoolClientId: 'abcdefghij0123456789abcdef',
      allowedOrigins: [],
      refreshCookieSameSite: 'Strict',
      refreshTokenMaxAgeSeconds: 30 * 86_400,
      cognitoEndpoint: undefined,
      s3Endpoint: undefined,
    });
  });

  it('checks a variable only when the code reads it: a function needs only its own', () => {
    const config = readConfig({ ALLOWED_ORIGINS: 'https://app.example.com' });
    expect(config.allowedOrigins).toEqual(['https://app.example.com']);
    expect(() => config.userPoolClientId).toThrow('check USER_POOL_CLIENT_ID');
    expect(() => config.userDataBucket).toThrow('check USER_DATA_BUCKET');
    expect(() => config.cursorSigningKey).toThrow('check CURSOR_SIGNING_KEY');
  });

  it('splits and checks the origin allowlist', () => {
    expect(
      readConfig({ ...valid, ALLOWED_ORIGINS: 'https://a.example.com, http://localhost:5173' })
        .allowedOrigins,
    ).toEqual(['https://a.example.com', 'http://localhost:5173']);
    expect(() => readConfig({ ...valid, ALLOWED_ORIGINS: '*' }).allowedOrigins).toThrow(
      /never allowed with credentials/,
    );
  });

  it.each(['us-east-1', 'us-gov-west-1', 'cn-northwest-1', 'eusc-de-east-1', 'ap-southeast-5'])(
    'accepts the region %s',
    (region) => {
      expect(readConfig({ AWS_REGION: region }).region).toBe(region);
    },
  );

  it.each(['', 'us-east', 'US-EAST-1', 'us_east_1', 'us-east-1 '])(
    'refuses the region %j',
    (region) => {
      expect(() => readConfig({ AWS_REGION: region }).region).toThrow('check AWS_REGION');
    },
  );

  it('reads an empty endpoint as unset (sam local invoke gives declared variables "")', () => {
    const config = readConfig({ COGNITO_ENDPOINT: '', S3_ENDPOINT: '' });
    expect(config.cognitoEndpoint).toBeUndefined();
    expect(config.s3Endpoint).toBeUndefined();
    expect(readConfig({ COGNITO_ENDPOINT: 'http://127.0.0.1:9229' }).cognitoEndpoint).toBe(
      'http://127.0.0.1:9229',
    );
    expect(() => readConfig({ S3_ENDPOINT: 'not a url' }).s3Endpoint).toThrow('check S3_ENDPOINT');
  });

  it('names a malformed variable without echoing its value', () => {
    const config = readConfig({ ...valid, USER_POOL_CLIENT_ID: 'bad value!' });
    let message = '';
    try {
      void config.userPoolClientId;
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('Invalid function environment: check USER_POOL_CLIENT_ID');
    expect(
      () => readConfig({ REFRESH_TOKEN_VALIDITY_DAYS: 'zero' }).refreshTokenMaxAgeSeconds,
    ).toThrow('check REFRESH_TOKEN_VALIDITY_DAYS');
  });
});
