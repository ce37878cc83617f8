import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../config';
import { endSession } from '../sessions/sessions';
import { callCognito, revokeRefreshToken } from './cognito';
import { cognito } from './cognito-client';
import { sessionOfIssuedToken } from './token-session';

/**
 * Re-authentication before a change that weakens, moves or removes the account (OWASP ASVS
 * 7.5.1): turning MFA off, changing the email, deleting the account. The password is checked by
 * signing in with it (USER_PASSWORD_AUTH), so a wrong one is Cognito's usual NotAuthorized and
 * counts toward its lockout like any failed sign-in. It signs in with the username of the
 * caller's access token (accessTokenUsername), not the email of their ID token: after a change
 * of email, an ID token issued before it names an address that no longer signs in. An MFA
 * challenge in answer means the password was right: the caller already passed the second
 * factor to get the tokens they call with, and no tokens were issued.
 *
 * The check opens no session: its refresh token is revoked at Cognito (and with it its access
 * token), and its sign-in is ended in the session record, so that its ID token, which never
 * leaves this function, could not pass a protected route either.
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
  const { RefreshToken: refreshToken, IdToken: idToken } = output.AuthenticationResult ?? {};
  if (refreshToken) await revokeRefreshToken(refreshToken);
  const opened = idToken ? sessionOfIssuedToken(idToken) : undefined;
  if (opened) await endSession(opened.sub, opened.session.originJti);
}
