import type {
  AdminCreateUserRequest,
  AdminCreateUserResponse,
  AdminSetUserPasswordRequest,
  AdminSetUserPasswordResponse,
  AdminUserGlobalSignOutRequest,
  AdminUserGlobalSignOutResponse,
  ChangePasswordRequest,
  ChangePasswordResponse,
  CodeDeliveryDetailsType,
  ConfirmForgotPasswordRequest,
  ConfirmForgotPasswordResponse,
  ConfirmSignUpRequest,
  ConfirmSignUpResponse,
  ForgotPasswordRequest,
  ForgotPasswordResponse,
  GlobalSignOutRequest,
  GlobalSignOutResponse,
  InitiateAuthRequest,
  InitiateAuthResponse,
  ResendConfirmationCodeRequest,
  ResendConfirmationCodeResponse,
  RespondToAuthChallengeRequest,
  RespondToAuthChallengeResponse,
  RevokeTokenRequest,
  RevokeTokenResponse,
  SignUpRequest,
  SignUpResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { passwordPolicyViolations } from '../../src/auth/password-policy';
import type { CodePurpose, Mailbox } from '../mailbox';
import type { LocalPlan } from '../plan';
import type { AccessTokenCheck } from './access-token-check';
import type { ChallengeSessions } from './challenge-sessions';
import type { CognitoLocalClient } from './cognito-local-client';
import { maskedDelivery } from './delivery';
import { EmailChangeCorrections } from './email-change-corrections';
import { CognitoError, codeMismatch, incorrectUsernameOrPassword } from './errors';
import type { IssuedTokens } from './issued-tokens';
import type { Lockout } from './lockout';
import { MfaCorrections } from './mfa-corrections';
import type { OperationName, RequestOf, ResponseOf } from './operations';
import type { TokenLedger } from './token-ledger';
import type { WireRequest } from './wire';

/**
 * The operations the local Cognito answers itself, each the way Cognito does where
 * cognito-local does not (the numbered corrections, listed in the README under "How the local
 * Cognito differs from AWS", each with its test in tests/integration/fidelity.test.ts).
 * Every other operation goes to cognito-local as it came.
 */
type CorrectedOperation = Extract<
  OperationName,
  | 'AdminCreateUser'
  | 'AdminSetUserPassword'
  | 'AdminUserGlobalSignOut'
  | 'AssociateSoftwareToken'
  | 'ChangePassword'
  | 'ConfirmForgotPassword'
  | 'ConfirmSignUp'
  | 'ForgotPassword'
  | 'GlobalSignOut'
  | 'InitiateAuth'
  | 'ResendConfirmationCode'
  | 'RespondToAuthChallenge'
  | 'RevokeToken'
  | 'SignUp'
  | 'UpdateUserAttributes'
  | 'VerifySoftwareToken'
  | 'VerifyUserAttribute'
>;

export interface CorrectionsOptions {
  plan: LocalPlan;
  mailbox: Mailbox;
  upstream: CognitoLocalClient;
  ledger: TokenLedger;
  accessTokens: AccessTokenCheck;
  lockout: Lockout;
  challengeSessions: ChallengeSessions;
  issuedTokens: IssuedTokens;
}

export class CognitoCorrections {
  private readonly corrected: {
    [O in CorrectedOperation]: (request: RequestOf<O>) => Promise<ResponseOf<O>>;
  } = {
    AdminCreateUser: (request) => this.adminCreateUser(request),
    AdminSetUserPassword: (request) => this.adminSetUserPassword(request),
    AdminUserGlobalSignOut: (request) => this.adminUserGlobalSignOut(request),
    AssociateSoftwareToken: (request) => this.mfa.associateSoftwareToken(request),
    ChangePassword: (request) => this.changePassword(request),
    ConfirmForgotPassword: (request) => this.confirmForgotPassword(request),
    ConfirmSignUp: (request) => this.confirmSignUp(request),
    ForgotPassword: (request) => this.forgotPassword(request),
    GlobalSignOut: (request) => this.globalSignOut(request),
    InitiateAuth: (request) => this.initiateAuth(request),
    ResendConfirmationCode: (request) => this.resendConfirmationCode(request),
    RespondToAuthChallenge: (request) => this.respondToAuthChallenge(request),
    RevokeToken: (request) => this.revokeToken(request),
    SignUp: (request) => this.signUp(request),
    UpdateUserAttributes: (request) => this.emailChanges.updateUserAttributes(request),
    VerifySoftwareToken: (request) => this.mfa.verifySoftwareToken(request),
    VerifyUserAttribute: (request) => this.emailChanges.verifyUserAttribute(request),
  };

  private readonly mfa: MfaCorrections;
  private readonly emailChanges: EmailChangeCorrections;

  constructor(private readonly options: CorrectionsOptions) {
    this.mfa = new MfaCorrections(options);
    this.emailChanges = new EmailChangeCorrections(options);
  }

  private get client() {
    return this.options.plan.client;
  }

  private get upstream() {
    return this.options.upstream;
  }

  async handle(operation: string, body: WireRequest): Promise<unknown> {
    const request = lowerCaseUsernames(body);
    if (this.isCorrected(operation)) {
      // The members the corrections read were checked on the way in (wire.ts): from here on
      // the body is the SDK's request type for its operation.
      const answer = this.corrected[operation] as (request: WireRequest) => Promise<unknown>;
      return answer(request);
    }
    // Correction 8, for GetUser, UpdateUserAttributes, DeleteUser, …: cognito-local only
    // decodes the access token they carry.
    if (request.AccessToken !== undefined)
      await this.options.accessTokens.verify(request.AccessToken);
    return this.upstream.forward(operation, request);
  }

  private isCorrected(operation: string): operation is CorrectedOperation {
    return Object.hasOwn(this.corrected, operation);
  }

  // Correction 1: the pool's password policy, which cognito-local never enforces.
  private enforcePolicy(password: string | undefined): void {
    const [violation] = passwordPolicyViolations(this.options.plan.passwordPolicy, password ?? '');
    if (violation) {
      throw new CognitoError(
        'InvalidPasswordException',
        `Password did not conform with policy: ${violation}`,
      );
    }
  }

  /** Only the template's client exists locally. */
  private enforceClient(clientId: string | undefined): void {
    if (clientId !== this.client.ClientId) {
      throw new CognitoError('ResourceNotFoundException', 'User pool client does not exist.');
    }
  }

  private async adminSetUserPassword(
    request: AdminSetUserPasswordRequest,
  ): Promise<AdminSetUserPasswordResponse> {
    this.enforcePolicy(request.Password);
    return this.upstream.call('AdminSetUserPassword', request);
  }

  private async adminCreateUser(request: AdminCreateUserRequest): Promise<AdminCreateUserResponse> {
    if (request.TemporaryPassword !== undefined) this.enforcePolicy(request.TemporaryPassword);
    return this.upstream.call('AdminCreateUser', request);
  }

  private async signUp(request: SignUpRequest): Promise<SignUpResponse> {
    this.enforceClient(request.ClientId);
    this.enforcePolicy(request.Password);
    const result = await this.upstream.call('SignUp', request);
    if (result.UserConfirmed === true) return result;
    const email = request.Username ?? '';
    this.options.mailbox.deliver(email, 'signup');
    return { ...result, CodeDeliveryDetails: maskedDelivery(email) };
  }

  // Correction 4 (an unknown user gets a code mismatch) and correction 9 (confirming marks
  // the email verified), with the codes of the local mailbox.
  private async confirmSignUp(request: ConfirmSignUpRequest): Promise<ConfirmSignUpResponse> {
    this.enforceClient(request.ClientId);
    const user = await this.upstream.user(request.Username);
    if (!user) throw codeMismatch();
    if (user.UserStatus === 'CONFIRMED') {
      throw new CognitoError(
        'NotAuthorizedException',
        'User cannot be confirmed. Current status is CONFIRMED',
      );
    }
    const email = user.attributes.email ?? request.Username ?? '';
    this.checkCode(email, 'confirm-signup', request.ConfirmationCode);
    await this.upstream.call('AdminConfirmSignUp', {
      UserPoolId: this.options.plan.userPool.id,
      Username: user.Username,
    });
    await this.upstream.call('AdminUpdateUserAttributes', {
      UserPoolId: this.options.plan.userPool.id,
      Username: user.Username,
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    this.options.mailbox.consume(email, 'confirm-signup');
    return {};
  }

  // Correction 7: ResendConfirmationCode, which cognito-local does not implement.
  private async resendConfirmationCode(
    request: ResendConfirmationCodeRequest,
  ): Promise<ResendConfirmationCodeResponse> {
    this.enforceClient(request.ClientId);
    const username = request.Username ?? '';
    const user = await this.upstream.user(username);
    if (!user) return this.simulatedDelivery(username);
    if (user.UserStatus === 'CONFIRMED')
      throw new CognitoError('InvalidParameterException', 'User is already confirmed.');
    const email = user.attributes.email ?? username;
    this.options.mailbox.deliver(email, 'resend');
    return { CodeDeliveryDetails: maskedDelivery(email) };
  }

  private async forgotPassword(request: ForgotPasswordRequest): Promise<ForgotPasswordResponse> {
    this.enforceClient(request.ClientId);
    const username = request.Username ?? '';
    const user = await this.upstream.user(username);
    if (!user) return this.simulatedDelivery(username);
    const email = user.attributes.email;
    if (!email || user.attributes.email_verified !== 'true') {
      throw new CognitoError(
        'InvalidParameterException',
        'Cannot reset password for the user as there is no registered/verified email or phone_number',
      );
    }
    this.options.mailbox.deliver(email, 'forgot-password');
    return { CodeDeliveryDetails: maskedDelivery(email) };
  }

  private async confirmForgotPassword(
    request: ConfirmForgotPasswordRequest,
  ): Promise<ConfirmForgotPasswordResponse> {
    this.enforceClient(request.ClientId);
    const user = await this.upstream.user(request.Username);
    if (!user?.attributes.email) throw codeMismatch();
    const email = user.attributes.email;
    this.checkCode(email, 'reset-password', request.ConfirmationCode);
    this.enforcePolicy(request.Password);
    await this.upstream.call('AdminSetUserPassword', {
      UserPoolId: this.options.plan.userPool.id,
      Username: user.Username,
      Password: request.Password,
      Permanent: true,
    });
    this.options.mailbox.consume(email, 'reset-password');
    return {};
  }

  private async initiateAuth(request: InitiateAuthRequest): Promise<InitiateAuthResponse> {
    this.enforceClient(request.ClientId);
    // Correction 2: the client's ExplicitAuthFlows, which cognito-local ignores.
    const flow = request.AuthFlow ?? '';
    const allowed = flow === 'REFRESH_TOKEN' ? 'ALLOW_REFRESH_TOKEN_AUTH' : `ALLOW_${flow}`;
    if (!this.client.ExplicitAuthFlows.includes(allowed)) {
      throw new CognitoError(
        'InvalidParameterException',
        `${flow} flow not enabled for this client`,
      );
    }
    if (flow === 'USER_PASSWORD_AUTH') return this.passwordAuth(request);
    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') return this.refreshAuth(request);
    return this.upstream.call('InitiateAuth', request);
  }

  // Correction 3 (a wrong password's error), correction 4 (an unknown user's), correction 6
  // (disabled users), correction 12 (the lockout after repeated wrong passwords) and
  // correction 17 (MFA_SETUP where the pool requires MFA).
  private async passwordAuth(request: InitiateAuthRequest): Promise<InitiateAuthResponse> {
    const username = request.AuthParameters?.USERNAME ?? '';
    const signIn = { username, password: request.AuthParameters?.PASSWORD ?? '' };
    const { lockout } = this.options;
    const user = await this.upstream.user(username);
    if (!user) {
      if (this.client.PreventUserExistenceErrors !== 'ENABLED') {
        throw new CognitoError('UserNotFoundException', 'User does not exist.');
      }
      throw incorrectUsernameOrPassword();
    }
    // The lockout is the user's, whichever name (email or username) they sign in with.
    const locked = user.Username;
    if (lockout.isLockedOut(locked)) {
      throw new CognitoError('NotAuthorizedException', 'Password attempts exceeded');
    }
    if (!user.Enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    let result: InitiateAuthResponse;
    try {
      result = await this.upstream.call('InitiateAuth', request);
    } catch (error) {
      // cognito-local checks the password before MFA, and refuses a user without MFA in a
      // pool that requires it with NotAuthorized: then the password was right.
      if (
        error instanceof CognitoError &&
        error.type === 'NotAuthorizedException' &&
        this.mfa.setupDue(user)
      ) {
        lockout.recordSuccess(locked);
        return this.mfa.startSetup(user, signIn);
      }
      if (
        error instanceof CognitoError &&
        ['InvalidPasswordException', 'NotAuthorizedException'].includes(error.type)
      ) {
        lockout.recordFailure(locked);
        throw incorrectUsernameOrPassword();
      }
      throw error;
    }
    lockout.recordSuccess(locked);
    if (result.ChallengeName && result.Session)
      this.options.challengeSessions.issued(result.Session, Date.now(), signIn);
    return this.withCompletedTokens(result);
  }

  // Correction 6 (disabled users) and correction 8 (refresh tokens revoked by GlobalSignOut).
  private async refreshAuth(request: InitiateAuthRequest): Promise<InitiateAuthResponse> {
    const refreshToken = request.AuthParameters?.REFRESH_TOKEN ?? '';
    if (this.options.ledger.isRevoked(refreshToken)) {
      throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
    }
    const owner = claimOf(refreshToken, 'cognito:username');
    const user = typeof owner === 'string' ? await this.upstream.user(owner) : undefined;
    if (user && !user.Enabled)
      throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    let result: InitiateAuthResponse;
    try {
      result = await this.upstream.call('InitiateAuth', request);
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'NotAuthorizedException') {
        throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
      }
      throw error;
    }
    return this.withCompletedTokens(result, refreshToken);
  }

  // Correction 13: a challenge answer needs the session Cognito issued; correction 1 for the
  // new password of NEW_PASSWORD_REQUIRED; corrections 17 to 19 for the MFA challenges.
  private async respondToAuthChallenge(
    request: RespondToAuthChallengeRequest,
  ): Promise<RespondToAuthChallengeResponse> {
    this.enforceClient(request.ClientId);
    const session = request.Session ?? '';
    if (!this.options.challengeSessions.isOpen(session)) {
      throw new CognitoError(
        'NotAuthorizedException',
        'Invalid session for the user, session is expired.',
      );
    }
    let result: RespondToAuthChallengeResponse;
    if (request.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
      result = await this.mfa.answerSoftwareTokenChallenge(request);
    } else if (request.ChallengeName === 'MFA_SETUP') {
      result = await this.mfa.answerMfaSetup(request);
    } else if (request.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
      const newPassword = request.ChallengeResponses?.NEW_PASSWORD;
      this.enforcePolicy(newPassword);
      result = await this.upstream.call('RespondToAuthChallenge', request);
      // Correction 24: tokens whose refresh token cognito-local records.
      if (result.AuthenticationResult) {
        result = await this.mfa.recordedSignIn({
          username: request.ChallengeResponses?.USERNAME ?? '',
          password: newPassword ?? '',
        });
      }
    } else {
      result = await this.upstream.call('RespondToAuthChallenge', request);
    }
    this.options.challengeSessions.answered(session);
    return this.withCompletedTokens(result);
  }

  // Correction 8: RevokeToken also revokes the access tokens issued from that refresh token.
  private async revokeToken(request: RevokeTokenRequest): Promise<RevokeTokenResponse> {
    this.enforceClient(request.ClientId);
    const token = request.Token ?? '';
    const known = this.options.ledger.knows(token);
    if (known) this.options.ledger.revoke(token);
    try {
      return await this.upstream.call('RevokeToken', request);
    } catch (error) {
      if (known) return {};
      throw error;
    }
  }

  // Correction 7: GlobalSignOut, which cognito-local does not implement.
  private async globalSignOut(request: GlobalSignOutRequest): Promise<GlobalSignOutResponse> {
    const { sub } = await this.options.accessTokens.verify(request.AccessToken);
    this.options.ledger.revokeEverySessionOf(sub);
    return {};
  }

  // Correction 7: AdminUserGlobalSignOut, which cognito-local does not implement either.
  private async adminUserGlobalSignOut(
    request: AdminUserGlobalSignOutRequest,
  ): Promise<AdminUserGlobalSignOutResponse> {
    const user = await this.upstream.user(request.Username);
    if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    this.options.ledger.revokeEverySessionOf(user.attributes.sub ?? '');
    return {};
  }

  // Correction 3 (a wrong previous password's error), correction 1 (the proposed one) and
  // correction 8 (forged, expired or revoked access tokens).
  private async changePassword(request: ChangePasswordRequest): Promise<ChangePasswordResponse> {
    await this.options.accessTokens.verify(request.AccessToken);
    this.enforcePolicy(request.ProposedPassword);
    try {
      return await this.upstream.call('ChangePassword', request);
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'InvalidPasswordException')
        throw incorrectUsernameOrPassword();
      throw error;
    }
  }

  private async withCompletedTokens<T extends InitiateAuthResponse>(
    result: T,
    refreshTokenUsed?: string,
  ): Promise<T> {
    const tokens = await this.options.issuedTokens.complete(
      result.AuthenticationResult,
      refreshTokenUsed,
    );
    return tokens ? { ...result, AuthenticationResult: tokens } : result;
  }

  // Correction 4: with PreventUserExistenceErrors, an unknown user gets a simulated delivery.
  private simulatedDelivery(username: string): { CodeDeliveryDetails: CodeDeliveryDetailsType } {
    if (this.client.PreventUserExistenceErrors !== 'ENABLED') {
      throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
    }
    return { CodeDeliveryDetails: maskedDelivery(username) };
  }

  private checkCode(email: string, purpose: CodePurpose, code: string | undefined): void {
    const check = this.options.mailbox.check(email, purpose, code ?? '');
    if (check === 'mismatch') throw codeMismatch();
    if (check === 'expired')
      throw new CognitoError(
        'ExpiredCodeException',
        'Invalid code provided, please request a code again.',
      );
  }
}

/**
 * Correction 6: the pool's usernames (emails) match case-insensitively in Cognito;
 * cognito-local compares them exactly, so every username and email is lower-cased on the way
 * in (and stored so).
 */
export function lowerCaseUsernames(request: WireRequest): WireRequest {
  const lower: WireRequest = { ...request };
  if (lower.Username !== undefined) lower.Username = lower.Username.toLowerCase();
  if (lower.AuthParameters?.USERNAME !== undefined)
    lower.AuthParameters = {
      ...lower.AuthParameters,
      USERNAME: lower.AuthParameters.USERNAME.toLowerCase(),
    };
  if (lower.ChallengeResponses?.USERNAME !== undefined)
    lower.ChallengeResponses = {
      ...lower.ChallengeResponses,
      USERNAME: lower.ChallengeResponses.USERNAME.toLowerCase(),
    };
  if (lower.UserAttributes)
    lower.UserAttributes = lower.UserAttributes.map((attribute) =>
      attribute.Name === 'email' && attribute.Value !== undefined
        ? { ...attribute, Value: attribute.Value.toLowerCase() }
        : attribute,
    );
  return lower;
}

function claimOf(token: string, claim: string): unknown {
  try {
    return decomposeUnverifiedJwt(token).payload[claim];
  } catch {
    return undefined;
  }
}
