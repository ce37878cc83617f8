import { defaultProvider as sdkDefaultProvider } from '@aws-sdk/credential-provider-node';
import {
  defaultProvider,
  MissingEnvironmentCredentialsError,
} from '../../../src/sdk-stand-ins/credential-provider-node';

/**
 * The stand-in every bundle carries for the SDK's default credential chain (template.yaml,
 * BuildProperties Alias) against the chain itself, in the environment Lambda gives a function.
 */

const LAMBDA_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEROLEKEY01',
  AWS_SECRET_ACCESS_KEY: 'example/secret/of/the/function/role',
  AWS_SESSION_TOKEN: 'example-session-token-of-the-function-role',
};
const original = { ...process.env };

afterEach(() => {
  process.env = { ...original };
});

function lambdaEnvironment(credentials: Partial<typeof LAMBDA_CREDENTIALS>): void {
  process.env = { ...original, ...credentials };
  delete process.env.AWS_PROFILE;
  for (const name of Object.keys(LAMBDA_CREDENTIALS)) {
    if (!(name in credentials)) delete process.env[name];
  }
}

describe('the credential provider the bundles carry', () => {
  it("resolves Lambda's environment credentials exactly as the SDK's default chain does", async () => {
    lambdaEnvironment(LAMBDA_CREDENTIALS);
    const standIn = await defaultProvider()();
    expect(standIn).toEqual(await sdkDefaultProvider()());
    expect(standIn).toMatchObject({
      accessKeyId: LAMBDA_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: LAMBDA_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      sessionToken: LAMBDA_CREDENTIALS.AWS_SESSION_TOKEN,
    });
  });

  it.each([
    ['no credentials', {}],
    ['a key without its secret', { AWS_ACCESS_KEY_ID: LAMBDA_CREDENTIALS.AWS_ACCESS_KEY_ID }],
  ])('fails at once with %s in the environment, and says where it looked', async (_, env) => {
    lambdaEnvironment(env);
    const failure = defaultProvider()();
    await expect(failure).rejects.toBeInstanceOf(MissingEnvironmentCredentialsError);
    await expect(failure).rejects.toThrow(
      /No AWS credentials in the environment \(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\)/,
    );
  });
});
