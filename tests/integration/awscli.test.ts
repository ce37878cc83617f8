import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../sam/template';
import { AWS_CLI, DEBIAN_AWSCLI, describeWithTool } from '../required-tools';
import { api, newPassword, newUser, uniqueEmail } from './api-client';
import { sharedStack } from './harness';

const run = promisify(execFile);

/** Debian's AWS CLI against the local Cognito, as the deploy workflow uses it against AWS. */
describeWithTool(DEBIAN_AWSCLI, "Debian's awscli against the local Cognito", () => {
  const { CognitoEndpoint, UserPoolId, UserPoolClientId, Region } = sharedStack().outputs;
  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      AWS_CLI,
      [...args, '--endpoint-url', CognitoEndpoint, '--region', Region, '--output', 'json'],
      {
        // Admin operations are signed; the local Cognito accepts any credentials.
        env: {
          PATH: process.env.PATH,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_PAGER: '',
        },
      },
    );
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };

  // JSON rather than the shorthand USERNAME=…,PASSWORD=…, which a comma in the password breaks.
  const authParameters = (username: string, password: string) =>
    JSON.stringify({ USERNAME: username, PASSWORD: password });

  it('creates a user, sets a permanent password and signs in with USER_PASSWORD_AUTH', async () => {
    const email = uniqueEmail('cli');
    const password = `${newPassword()}, with a comma`;
    const created = await aws(
      'cognito-idp',
      'admin-create-user',
      '--user-pool-id',
      UserPoolId,
      '--username',
      email,
      '--message-action',
      'SUPPRESS',
      '--user-attributes',
      `Name=email,Value=${email}`,
      'Name=email_verified,Value=true',
    );
    expect(created.User).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD' });
    await aws(
      'cognito-idp',
      'admin-set-user-password',
      '--user-pool-id',
      UserPoolId,
      '--username',
      email,
      '--password',
      password,
      '--permanent',
    );
    const signIn = await aws(
      'cognito-idp',
      'initiate-auth',
      '--no-sign-request',
      '--client-id',
      UserPoolClientId,
      '--auth-flow',
      'USER_PASSWORD_AUTH',
      '--auth-parameters',
      authParameters(email, password),
    );
    const result = signIn.AuthenticationResult as Record<string, unknown>;
    expect(result).toMatchObject({ ExpiresIn: 900, TokenType: 'Bearer' });
    const me = await api('/me', { token: String(result.IdToken) });
    expect(me).toMatchObject({ status: 200, body: { email, emailVerified: true } });
    await aws(
      'cognito-idp',
      'admin-delete-user',
      '--user-pool-id',
      UserPoolId,
      '--username',
      email,
    );
    await expect(
      aws('cognito-idp', 'admin-get-user', '--user-pool-id', UserPoolId, '--username', email),
    ).rejects.toThrow(/UserNotFoundException/);
  });

  it("disables an account and ends its sessions with README's AWS CLI commands", async () => {
    const { DynamoDbEndpoint, SessionsTableName } = sharedStack().outputs;
    const user = await newUser('cli-disable');
    expect((await api('/me', { token: user.idToken })).status).toBe(200);
    const sub = String(
      (
        (
          await aws(
            'cognito-idp',
            'admin-get-user',
            '--user-pool-id',
            UserPoolId,
            '--username',
            user.email,
          )
        ).UserAttributes as { Name: string; Value: string }[]
      ).find((attribute) => attribute.Name === 'sub')?.Value,
    );
    await aws(
      'cognito-idp',
      'admin-disable-user',
      '--user-pool-id',
      UserPoolId,
      '--username',
      user.email,
    );
    await aws(
      'cognito-idp',
      'admin-user-global-sign-out',
      '--user-pool-id',
      UserPoolId,
      '--username',
      user.email,
    );
    // The record's update exactly as README writes it.
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const expression = readme.match(/--update-expression '([^']+)'/)?.[1];
    expect(expression).toContain('SET notBefore');
    const now = Math.floor(Date.now() / 1000);
    await run(
      AWS_CLI,
      [
        'dynamodb',
        'update-item',
        '--table-name',
        String(SessionsTableName),
        '--key',
        JSON.stringify({ sub: { S: sub } }),
        '--update-expression',
        String(expression),
        '--expression-attribute-values',
        JSON.stringify({
          ':nb': { N: String(now + 1) },
          ':exp': { N: String(now + 3651 * 86_400) },
          ':zero': { N: '0' },
          ':one': { N: '1' },
        }),
        '--endpoint-url',
        String(DynamoDbEndpoint),
        '--region',
        Region,
      ],
      {
        env: {
          PATH: process.env.PATH,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_PAGER: '',
        },
      },
    );
    expect(await api('/me', { token: user.idToken })).toMatchObject({
      status: 401,
      body: { message: expect.stringMatching(/session has ended/) },
    });
  });

  it('reports a rejected password as the AWS CLI would against Cognito', async () => {
    await expect(
      aws(
        'cognito-idp',
        'initiate-auth',
        '--no-sign-request',
        '--client-id',
        UserPoolClientId,
        '--auth-flow',
        'USER_PASSWORD_AUTH',
        '--auth-parameters',
        authParameters(uniqueEmail('nobody'), 'wrong-password'),
      ),
    ).rejects.toThrow(/NotAuthorizedException.*Incorrect username or password/);
  });
});
