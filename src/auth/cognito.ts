import {
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  type AuthenticationResultType,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../config';
import type { ApiError } from '../errors';
import { cognito } from './cognito-client';
import { type CognitoOperation, mapCognitoError } from './cognito-errors';
import { mapPasswordError } from './pool-password-policy';

/**
 * The Cognito operations the API uses, all public user-pool APIs of our own client (no IAM
 * permission needed). Each one turns Cognito's errors into ApiErrors through the one map.
 */

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export type SignInResult =
  | { kind: 'tokens'; tokens: Tokens }
  | { kind: 'challenge'; challenge: string; session: string };

const clientId = config.userPoolClientId;

async function call<T>(
  operation: CognitoOperation,
  send: () => Promise<T>,
  mapError: (
    error: unknown,
    operation: CognitoOperation,
  ) => Promise<ApiError> | ApiError = mapCognitoError,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw await mapError(error, operation);
  }
}

export async function signUp(input: { email: string; password: string; name?: string }) {
  const output = await call(
    'signUp',
    () =>
      cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: input.email,
          Password: input.password,
          UserAttributes: [
            { Name: 'email', Value: input.email },
            ...(input.name ? [{ Name: 'name', Value: input.name }] : []),
          ],
        }),
      ),
    mapPasswordError,
  );
  const delivery = output.CodeDeliveryDetails;
  return {
    userSub: output.UserSub ?? '',
    confirmed: output.UserConfirmed ?? false,
    ...(delivery?.Destination
      ? {
          delivery: {
            medium: delivery.DeliveryMedium ?? 'EMAIL',
            destination: delivery.Destination,
          },
        }
      : {}),
  };
}

export async function confirmSignUp(email: string, code: string): Promise<void> {
  await call('confirmSignUp', () =>
    cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }),
    ),
  );
}

/** Resends the sign-up code; says nothing about whether the account exists or is confirmed. */
export async function resendCode(email: string): Promise<void> {
  await quietly('resendCode', () =>
    cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email })),
  );
}

export async function signIn(email: string, password: string): Promise<SignInResult> {
  const output = await call('signIn', () =>
    cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    ),
  );
  if (output.ChallengeName) {
    return { kind: 'challenge', challenge: output.ChallengeName, session: output.Session ?? '' };
  }
  return { kind: 'tokens', tokens: tokensFrom(output.AuthenticationResult) };
}

export async function respondToNewPasswordChallenge(input: {
  email: string;
  session: string;
  newPassword: string;
}): Promise<SignInResult> {
  const output = await call(
    'respondToChallenge',
    () =>
      cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: input.session,
          ChallengeResponses: { USERNAME: input.email, NEW_PASSWORD: input.newPassword },
        }),
      ),
    mapPasswordError,
  );
  if (output.ChallengeName) {
    return { kind: 'challenge', challenge: output.ChallengeName, session: output.Session ?? '' };
  }
  return { kind: 'tokens', tokens: tokensFrom(output.AuthenticationResult) };
}

export async function refreshTokens(refreshToken: string): Promise<Tokens> {
  const output = await call('refresh', () =>
    cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    ),
  );
  const { refreshToken: _unchanged, ...tokens } = tokensFrom(output.AuthenticationResult);
  return tokens;
}

/** Sends a reset code; says nothing about whether the account exists. */
export async function forgotPassword(email: string): Promise<void> {
  await quietly('forgotPassword', () =>
    cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email })),
  );
}

export async function confirmForgotPassword(input: {
  email: string;
  code: string;
  newPassword: string;
}): Promise<void> {
  await call(
    'confirmForgotPassword',
    () =>
      cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: input.email,
          ConfirmationCode: input.code,
          Password: input.newPassword,
        }),
      ),
    mapPasswordError,
  );
}

/**
 * Revokes a refresh token and every access token issued from it. Idempotent: a token Cognito
 * no longer accepts has nothing left to revoke.
 */
export async function revokeRefreshToken(refreshToken: string): Promise<void> {
  await quietly('signOut', () =>
    cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: refreshToken })),
  );
}

/** Cognito's sign-out everywhere: revokes every refresh token (and access token) of the user. */
export async function globalSignOut(accessToken: string): Promise<void> {
  await call('signOutAll', () =>
    cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken })),
  );
}

/**
 * After a password reset, which has no session to know the user by: the user's `sub` (to end
 * their sessions at the API) and every refresh token revoked at Cognito. Admin APIs, on the
 * pool only (template.yaml: AdminGetUser and AdminUserGlobalSignOut). Undefined when the
 * account does not exist (a reset Cognito only simulated).
 */
export async function signOutEverywhereAfterReset(email: string): Promise<string | undefined> {
  const operation = 'endSessionsAfterReset';
  let sub: string | undefined;
  try {
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: config.userPoolId, Username: email }),
    );
    sub = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  } catch (error) {
    if ((error as Error).name === 'UserNotFoundException') return undefined;
    throw mapCognitoError(error, operation);
  }
  await call(operation, () =>
    cognito.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: config.userPoolId, Username: email }),
    ),
  );
  return sub?.toLowerCase();
}

export async function changePassword(input: {
  accessToken: string;
  previousPassword: string;
  proposedPassword: string;
}): Promise<void> {
  await call(
    'changePassword',
    () =>
      cognito.send(
        new ChangePasswordCommand({
          AccessToken: input.accessToken,
          PreviousPassword: input.previousPassword,
          ProposedPassword: input.proposedPassword,
        }),
      ),
    mapPasswordError,
  );
}

/**
 * For answers that must not depend on the account: failures that would tell a caller whether
 * it exists (unknown user, already confirmed, no verified email, token already revoked) are
 * swallowed; throttling and outages still surface, since they say nothing about the account.
 */
async function quietly(operation: CognitoOperation, send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    const mapped = mapCognitoError(error, operation);
    if (mapped.statusCode === 429 || mapped.statusCode >= 500) throw mapped;
  }
}

function tokensFrom(result: AuthenticationResultType | undefined): Tokens {
  if (!result?.IdToken || !result.AccessToken) {
    throw new Error('Cognito answered without tokens');
  }
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    expiresIn: result.ExpiresIn ?? 0,
    tokenType: 'Bearer',
  };
}

/** For the modules of the other Cognito operations (mfa.ts, email-change.ts, …). */
export { call as callCognito, tokensFrom };
