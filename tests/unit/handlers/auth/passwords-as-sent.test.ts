import { ChangePasswordCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handler as changePassword } from '../../../../src/handlers/auth/change-password';
import { handler as signUp } from '../../../../src/handlers/auth/sign-up';
import { ACCESS_TOKEN, apiEvent, CALLER_CLAIMS, EMAIL, invoke, PASSWORD } from '../../fixtures';
import { cognitoMock } from '../cognito-mock';

/**
 * Passwords reach Cognito exactly as sent (OWASP ASVS 6.2.8, 6.2.9): no trimming, no case or
 * Unicode normalisation, nothing cut, up to Cognito's own limit of 256 characters; spaces and
 * any script are fine.
 */
const AS_SENT = [
  '  leading and trailing spaces  ',
  'Ünïcödé — пароль 密码 كلمة 🐎🔋 staple',
  'e\u0301 composed differently from \u00e9',
  'x'.repeat(64),
  `${'long passphrase '.repeat(16)}`.slice(0, 256),
];

describe('passwords, exactly as sent', () => {
  it.each(AS_SENT)('signs up with %j unchanged', async (password) => {
    cognitoMock.on(SignUpCommand).resolves({ UserSub: CALLER_CLAIMS.sub, UserConfirmed: false });
    const response = await invoke(
      signUp,
      apiEvent({ resource: '/auth/signup', body: { email: EMAIL, password } }),
    );
    expect(response.statusCode).toBe(201);
    expect(cognitoMock).toHaveReceivedCommandWith(SignUpCommand, { Password: password });
  });

  it('changes to a 256-character password unchanged', async () => {
    const proposedPassword = AS_SENT[4] ?? '';
    expect([...proposedPassword]).toHaveLength(256);
    cognitoMock.on(ChangePasswordCommand).resolves({});
    const response = await invoke(
      changePassword,
      apiEvent({
        resource: '/auth/change-password',
        claims: CALLER_CLAIMS,
        body: { accessToken: ACCESS_TOKEN, previousPassword: PASSWORD, proposedPassword },
      }),
    );
    expect(response.statusCode).toBe(204);
    expect(cognitoMock).toHaveReceivedCommandWith(ChangePasswordCommand, {
      ProposedPassword: proposedPassword,
    });
  });
});
