import {
  AssociateSoftwareTokenCommand,
  GetUserPoolMfaConfigCommand,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { config } from '../config';
import { serviceUnavailable } from '../errors';
import { logger } from '../logger';
import { callCognito, type SignInResult, tokensFrom } from './cognito';
import { cognito } from './cognito-client';
import { wrongTotpCode } from './cognito-errors';

/**
 * Multi-factor authentication with an authenticator app (TOTP, software token MFA): enrolling,
 * answering the sign-in challenges, and the preference that turns it on and off. Public
 * user-pool APIs of our client, except reading the pool's MFA setting (GetUserPoolMfaConfig).
 */

const clientId = config.userPoolClientId;

/**
 * Whose authenticator is being enrolled: a signed-in user (their access token), or a user
 * signing in to a pool that requires MFA, who has none yet (the MFA_SETUP challenge's session).
 */
export type Enrolment = { accessToken: string } | { session: string };

const viaSession = (enrolment: Enrolment): enrolment is { session: string } =>
  'session' in enrolment;

const credentials = (enrolment: Enrolment) =>
  viaSession(enrolment) ? { Session: enrolment.session } : { AccessToken: enrolment.accessToken };

/** A new TOTP secret for the user (Cognito keeps it; it takes effect once a code verifies it). */
export async function associateTotp(
  enrolment: Enrolment,
): Promise<{ secretCode: string; session?: string }> {
  const output = await callCognito(viaSession(enrolment) ? 'answerMfa' : 'enrolTotp', () =>
    cognito.send(new AssociateSoftwareTokenCommand(credentials(enrolment))),
  );
  if (!output.SecretCode)
    throw new Error('Cognito answered AssociateSoftwareToken without a secret');
  return { secretCode: output.SecretCode, ...(output.Session ? { session: output.Session } : {}) };
}

/** Verifies the first code of the new secret. */
export async function verifyTotp(
  enrolment: Enrolment,
  code: string,
): Promise<{ session?: string }> {
  const output = await callCognito(viaSession(enrolment) ? 'answerMfa' : 'verifyTotp', () =>
    cognito.send(new VerifySoftwareTokenCommand({ ...credentials(enrolment), UserCode: code })),
  );
  if (output.Status !== 'SUCCESS') throw wrongTotpCode();
  return output.Session ? { session: output.Session } : {};
}

/** TOTP as the user's enabled and preferred MFA, or turned off. */
export async function setTotpPreference(accessToken: string, enabled: boolean): Promise<void> {
  await callCognito('setMfaPreference', () =>
    cognito.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: accessToken,
        SoftwareTokenMfaSettings: { Enabled: enabled, PreferredMfa: enabled },
      }),
    ),
  );
}

/** The SOFTWARE_TOKEN_MFA challenge of a sign-in: the current code of the user's app. */
export async function answerTotpChallenge(input: {
  email: string;
  session: string;
  code: string;
}): Promise<SignInResult> {
  const output = await callCognito('answerMfa', () =>
    cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: input.session,
        ChallengeResponses: { USERNAME: input.email, SOFTWARE_TOKEN_MFA_CODE: input.code },
      }),
    ),
  );
  return signInResult(output);
}

/** The MFA_SETUP challenge, answered once a code verified the new secret (its session). */
export async function completeMfaSetup(input: {
  email: string;
  session: string;
}): Promise<SignInResult> {
  const output = await callCognito('answerMfa', () =>
    cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'MFA_SETUP',
        Session: input.session,
        ChallengeResponses: { USERNAME: input.email },
      }),
    ),
  );
  return signInResult(output);
}

function signInResult(output: RespondToAuthChallengeCommandOutput): SignInResult {
  if (output.ChallengeName) {
    return { kind: 'challenge', challenge: output.ChallengeName, session: output.Session ?? '' };
  }
  return { kind: 'tokens', tokens: tokensFrom(output.AuthenticationResult) };
}

/**
 * The Key Uri Format that authenticator apps read from a QR code
 * (`otpauth://totp/<issuer>:<email>?secret=…&issuer=…`), built by the otpauth library rather
 * than by hand: both parts of the label and every parameter are percent-encoded.
 */
export function otpauthUri(email: string, secretCode: string): string {
  return new TOTP({
    issuer: config.totpIssuer,
    label: email,
    secret: Secret.fromBase32(secretCode),
  }).toString();
}

/** A changed MfaConfiguration shows within this long in warm execution environments. */
const KEEP_MS = 5 * 60_000;
let known: { required: boolean; until: number } | undefined;

/**
 * Whether the pool requires MFA (`MfaConfiguration: ON`), read from Cognito
 * (GetUserPoolMfaConfig) when it matters, so that the auth stack's setting can change with a
 * plain deploy of that stack and this stack imports nothing more. Unknown is a 503: turning
 * MFA off is refused rather than risked.
 */
export async function poolRequiresMfa(): Promise<boolean> {
  if (known && Date.now() < known.until) return known.required;
  try {
    const output = await cognito.send(
      new GetUserPoolMfaConfigCommand({ UserPoolId: config.userPoolId }),
    );
    known = { required: output.MfaConfiguration === 'ON', until: Date.now() + KEEP_MS };
    return known.required;
  } catch (error) {
    logger.error('could not read the MFA configuration', {
      cause: error instanceof Error ? error.name : 'unknown',
    });
    throw serviceUnavailable('identity');
  }
}
