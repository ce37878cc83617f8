import type {
  AssociateSoftwareTokenRequest,
  AssociateSoftwareTokenResponse,
  InitiateAuthResponse,
  RespondToAuthChallengeRequest,
  RespondToAuthChallengeResponse,
  VerifySoftwareTokenRequest,
  VerifySoftwareTokenResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { LocalPlan } from '../plan';
import type { AccessTokenCheck } from './access-token-check';
import type { ChallengeSessions, PendingSignIn } from './challenge-sessions';
import type { CognitoLocalClient, PoolUser } from './cognito-local-client';
import { CognitoError } from './errors';
import type { Lockout } from './lockout';
import { type MfaSetup, MfaSetups, UsedTotpCodes } from './totp';

export interface MfaCorrectionsOptions {
  plan: LocalPlan;
  upstream: CognitoLocalClient;
  accessTokens: AccessTokenCheck;
  lockout: Lockout;
  challengeSessions: ChallengeSessions;
}

const invalidSession = () =>
  new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');

/** Cognito's answer to a wrong, expired or (correction 18) reused code at sign-in. */
const codeMismatch = () =>
  new CognitoError('CodeMismatchException', 'Invalid code received for user');

/**
 * Correction 20: Cognito's answer to a wrong first code (VerifySoftwareToken); cognito-local
 * answers CodeMismatchException.
 */
const enableFailed = () =>
  new CognitoError(
    'EnableSoftwareTokenMFAException',
    'Code mismatch and fail enable Software Token MFA',
  );

/**
 * Software token (TOTP) MFA where cognito-local is not Cognito: enrolment during sign-in
 * (correction 17), codes used once (18), the lockout after wrong codes (19), Cognito's error
 * for a wrong first code (20), a pool without software token MFA (21), and tokens from a
 * challenge answer that refresh (24).
 */
export class MfaCorrections {
  private readonly setups = new MfaSetups();
  private readonly usedCodes = new UsedTotpCodes();

  constructor(private readonly options: MfaCorrectionsOptions) {}

  private get pool() {
    return this.options.plan.userPool.properties as {
      MfaConfiguration?: string;
      EnabledMfas?: string[];
    };
  }

  private get upstream() {
    return this.options.upstream;
  }

  // Correction 21: as CloudFormation deploys auth-stack.yaml, software token MFA is enabled
  // exactly when EnabledMfas names it (MfaConfiguration OPTIONAL or ON).
  private assertEnabled(): void {
    if (!(this.pool.EnabledMfas ?? []).includes('SOFTWARE_TOKEN_MFA')) {
      throw new CognitoError(
        'SoftwareTokenMFANotFoundException',
        'Software Token MFA has not been enabled by the userPool.',
      );
    }
  }

  /**
   * Correction 17: with MfaConfiguration ON, a user without MFA is asked to set it up
   * (MFA_SETUP) once the password is right; cognito-local refuses the sign-in instead.
   */
  setupDue(user: PoolUser): boolean {
    return (
      this.pool.MfaConfiguration === 'ON' &&
      (this.pool.EnabledMfas ?? []).includes('SOFTWARE_TOKEN_MFA') &&
      !user.mfaSettings.includes('SOFTWARE_TOKEN_MFA')
    );
  }

  startSetup(user: PoolUser, signIn: PendingSignIn): InitiateAuthResponse {
    return {
      ChallengeName: 'MFA_SETUP',
      ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
      Session: this.nextStep({ signIn, userId: user.Username, verified: false }),
    };
  }

  async associateSoftwareToken(
    request: AssociateSoftwareTokenRequest,
  ): Promise<AssociateSoftwareTokenResponse> {
    this.assertEnabled();
    if (request.Session === undefined) {
      await this.options.accessTokens.verify(request.AccessToken);
      return this.upstream.call('AssociateSoftwareToken', request);
    }
    const setup = this.openSetup(request.Session);
    const { SecretCode } = await this.upstream.call('AssociateSoftwareToken', {
      AccessToken: upstreamAccessToken(setup.userId, this.options.plan.client.ClientId),
    });
    return {
      ...(SecretCode ? { SecretCode } : {}),
      Session: this.nextStep(
        { ...setup, ...(SecretCode ? { secret: SecretCode } : {}), verified: false },
        request.Session,
      ),
    };
  }

  async verifySoftwareToken(
    request: VerifySoftwareTokenRequest,
  ): Promise<VerifySoftwareTokenResponse> {
    this.assertEnabled();
    const setup = request.Session === undefined ? undefined : this.openSetup(request.Session);
    if (setup && !setup.secret) {
      throw new CognitoError(
        'InvalidParameterException',
        'Associate a software token with this session first.',
      );
    }
    const userId = setup
      ? setup.userId
      : (await this.options.accessTokens.verify(request.AccessToken)).sub;
    const code = request.UserCode ?? '';
    if (this.usedCodes.isUsed(userId, code)) throw enableFailed();
    try {
      await this.upstream.call('VerifySoftwareToken', {
        AccessToken: upstreamAccessToken(userId, this.options.plan.client.ClientId),
        UserCode: code,
        ...(request.FriendlyDeviceName ? { FriendlyDeviceName: request.FriendlyDeviceName } : {}),
      });
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'CodeMismatchException')
        throw enableFailed();
      throw error;
    }
    this.usedCodes.use(userId, code);
    if (!setup || request.Session === undefined) return { Status: 'SUCCESS' };
    return {
      Status: 'SUCCESS',
      Session: this.nextStep({ ...setup, verified: true }, request.Session),
    };
  }

  /**
   * SOFTWARE_TOKEN_MFA: the code, checked by cognito-local, once (18), with the lockout (19);
   * the tokens, from a sign-in cognito-local records (24).
   */
  async answerSoftwareTokenChallenge(
    request: RespondToAuthChallengeRequest,
  ): Promise<RespondToAuthChallengeResponse> {
    const username = request.ChallengeResponses?.USERNAME ?? '';
    const code = request.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE ?? '';
    const { lockout } = this.options;
    const user = await this.upstream.user(username);
    if (!user) throw invalidSession();
    // Correction 19: wrong codes count toward the user's lockout (correction 12), as
    // Cognito's lockout covers MFA codes too after five failures.
    if (lockout.isLockedOut(user.Username)) {
      throw new CognitoError('NotAuthorizedException', 'Password attempts exceeded');
    }
    try {
      if (this.usedCodes.isUsed(user.Username, code)) throw codeMismatch();
      await this.upstream.call('RespondToAuthChallenge', request);
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'CodeMismatchException') {
        lockout.recordFailure(user.Username);
        throw codeMismatch();
      }
      throw error;
    }
    lockout.recordSuccess(user.Username);
    this.usedCodes.use(user.Username, code);
    return this.recordedSignIn(this.options.challengeSessions.signInOf(request.Session ?? ''));
  }

  /** MFA_SETUP, answered with the session of a verified enrolment (correction 17). */
  async answerMfaSetup(
    request: RespondToAuthChallengeRequest,
  ): Promise<RespondToAuthChallengeResponse> {
    const session = request.Session ?? '';
    const setup = this.setups.of(session);
    if (!setup?.verified || setup.signIn.username !== request.ChallengeResponses?.USERNAME) {
      throw invalidSession();
    }
    this.setups.end(session);
    return this.recordedSignIn(setup.signIn);
  }

  /**
   * Correction 24: tokens whose refresh token cognito-local records. It records the refresh
   * token of a password sign-in only, not of a challenge answer (RespondToAuthChallenge), so
   * the tokens of a sign-in that ended in a challenge come from the one sign-in of
   * cognito-local that skips MFA (AdminInitiateAuth), once the challenge has been answered.
   */
  async recordedSignIn(signIn: PendingSignIn | undefined): Promise<RespondToAuthChallengeResponse> {
    if (!signIn) throw invalidSession();
    const answer = await this.upstream.call('AdminInitiateAuth', {
      UserPoolId: this.options.plan.userPool.id,
      ClientId: this.options.plan.client.ClientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: signIn.username, PASSWORD: signIn.password },
    });
    return { ChallengeParameters: {}, AuthenticationResult: answer.AuthenticationResult };
  }

  /** The enrolment a session belongs to, if the session is still open. */
  private openSetup(session: string): MfaSetup {
    const setup = this.setups.of(session);
    if (!setup || !this.options.challengeSessions.isOpen(session)) throw invalidSession();
    return setup;
  }

  /** A new session for the next step; the one it came with is spent. */
  private nextStep(setup: MfaSetup, spent?: string): string {
    const session = this.setups.next(setup, spent);
    if (spent) this.options.challengeSessions.answered(spent);
    this.options.challengeSessions.issued(session, Date.now(), setup.signIn);
    return session;
  }
}

/**
 * What the layer hands cognito-local to act on a user it has authenticated itself (a session
 * of the enrolment): cognito-local decodes an access token without verifying it, so its
 * `sub` and `client_id` are all it reads.
 */
function upstreamAccessToken(userId: string, clientId: string): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode({ alg: 'none' })}.${encode({ sub: userId, client_id: clientId, token_use: 'access' })}.`;
}
