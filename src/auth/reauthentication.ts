import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../config';
import { callCognito, revokeRefreshToken } from './cognito';
import { cognito } from './cognito-client';

/**
 * Re-authentication before a change that weakens or moves the account (OWASP ASVS 7.5.1):
 * turning MFA off, changing the email. The password is checked by signing in with it
 * (USER_PASSWORD_AUTH), so a wrong one is Cognito's usual NotAuthorized and counts toward its
 * lockout like any failed sign-in. It signs in with the username of the caller's access token
 * (accessTokenUsername), not the email of their ID token: after a change of email, an ID token
 * issued before it names an address that no longer signs in. An MFA challenge in
 * answer means the password was right: the caller already passed the second factor to get the
 * tokens they call with. The tokens of this check are revoked at once: it opens no session.
 */
export async function confirmPassword(username: string, password: string): Promise<void> {
  const output = await callCognito('reauthenticate', () =>
    cognito.send(
      new InitiateAuthCommand({
        ClientId: config.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    ),
  );
  const refreshToken = output.AuthenticationResult?.RefreshToken;
  if (refreshToken) await revokeRefreshToken(refreshToken);
}
