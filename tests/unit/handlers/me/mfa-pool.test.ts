import {
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { handler } from '../../../../src/handlers/me/disable-mfa';
import { ACCESS_TOKEN, apiEvent, CALLER_CLAIMS, invoke, PASSWORD } from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';

const disable = () =>
  invoke(
    handler,
    apiEvent({
      resource: '/me/mfa/disable',
      body: { accessToken: ACCESS_TOKEN, password: PASSWORD },
      claims: CALLER_CLAIMS,
    }),
  );

// A file of its own, in this order: the module keeps the pool's MFA setting for minutes once it
// has read it (mfa.test.ts reads OPTIONAL), and keeps nothing when the read fails.
describe('POST /me/mfa/disable and the MFA setting of the pool', () => {
  it('answers 503 when the setting cannot be read, rather than turning MFA off unchecked', async () => {
    cognitoMock.on(GetUserPoolMfaConfigCommand).rejects(cognitoError('AccessDeniedException'));
    expect(await disable()).toMatchObject({
      statusCode: 503,
      body: { error: 'ServiceUnavailable' },
    });
    expect(cognitoMock.calls()).toHaveLength(1);
  });

  it('refuses where the pool requires MFA, before asking for the password', async () => {
    cognitoMock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: 'ON' });
    expect(await disable()).toMatchObject({ statusCode: 403, body: { error: 'MfaRequired' } });
    expect(cognitoMock).not.toHaveReceivedCommand(InitiateAuthCommand);
  });
});
