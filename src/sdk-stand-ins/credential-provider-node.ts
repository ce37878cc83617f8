import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * What every function's bundle carries instead of @aws-sdk/credential-provider-node, the SDK's
 * default credential chain (template.yaml: BuildProperties `Alias`, which `sam build` passes to
 * esbuild). Lambda hands each function its role's credentials in the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and the chain's first link
 * takes them from there, so on Lambda the rest of it never runs: SSO, INI files, credential
 * processes, web identity, the container and instance metadata services, and the STS, SSO and
 * sign-in clients they load, about 130 KiB of every bundle. This is that first link alone (the
 * SDK's own fromEnv, which also marks the credentials' source in the user agent as the chain
 * does); anywhere else it fails at once and says why, where the chain would look further.
 *
 * Only signed calls ask for credentials: S3's and DescribeUserPool's. The other Cognito
 * operations the API calls are unsigned (the SDK's auth scheme for them is noAuth).
 */
export const defaultProvider = (init?: FromEnvInit): ReturnType<typeof fromEnv> => {
  const fromEnvironment = fromEnv(init);
  return async () => {
    try {
      return await fromEnvironment();
    } catch (error) {
      throw new MissingEnvironmentCredentialsError(error);
    }
  };
};

export class MissingEnvironmentCredentialsError extends Error {
  override readonly name = 'MissingEnvironmentCredentialsError';

  constructor(cause: unknown) {
    super(
      'No AWS credentials in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). ' +
        "Lambda sets them from the function's role; this bundle looks nowhere else " +
        '(template.yaml, BuildProperties Alias).',
      { cause },
    );
  }
}
