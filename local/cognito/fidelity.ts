import { createHash, createSign, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { passwordPolicyViolations } from '../../src/auth/password-policy';
import { closeNow, listenOnLoopback } from '../http-listen';
import { readJsonFile, writeJsonFile } from '../json-file';
import type { CodePurpose, Mailbox, MessageKind } from '../mailbox';
import type { LocalPlan } from '../plan';
import { trustLocalEmulatorKeys } from './emulator-keys';

/**
 * A thin layer in front of cognito-local that makes it answer as Cognito does wherever this
 * API relies on it (the numbered list in README.md, "How the local Cognito differs from AWS").
 * Every correction is a named method below, and each has an integration test
 * (tests/integration/fidelity.test.ts).
 * Anything not corrected is forwarded untouched.
 */

type Json = Record<string, unknown>;

/** A Cognito error answer: HTTP 400 with `{"__type", "message"}`, as the SDKs expect. */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface TokenState {
  /** Refresh tokens (by SHA-256) we saw issued: whose, until when, and the access tokens from them. */
  refreshTokens: Record<string, { sub: string; exp: number; accessTokens: Record<string, number> }>;
  revokedRefreshTokens: Record<string, number>;
  /** Revoked access-token jtis and their expiry (pruned once expired). */
  revokedAccessTokens: Record<string, number>;
}

interface User {
  Username: string;
  Enabled: boolean;
  UserStatus: string;
  attributes: Record<string, string>;
}

const INCORRECT = () =>
  new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
const CODE_MISMATCH = () =>
  new CognitoError(
    'CodeMismatchException',
    'Invalid verification code provided, please try again.',
  );
const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * cognito-local's signing key (it ships in the package). Used only to re-sign ID tokens it
 * issued once the standard attributes it leaves out are added (correction 11).
 */
const EMULATOR_SIGNING_KEY = (
  require('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string }
).pem;

/** Standard attributes Cognito puts in ID tokens (when the client may read them). */
const STANDARD_CLAIMS = new Set([
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
  'phone_number_verified',
  'address',
  'updated_at',
]);

/** Cognito's lockout: after 5 failures, 1 s doubling per further failure, at most 15 min. */
const LOCKOUT_AFTER = 5;
const LOCKOUT_MAX_SECONDS = 900;

export interface FidelityOptions {
  upstream: string;
  plan: LocalPlan;
  mailbox: Mailbox;
  stateFile: string;
}

export class CognitoFidelity {
  private server?: Server;
  private readonly state: TokenState;
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();
  private readonly challengeSessions = new Map<string, { username: string; expires: number }>();
  private readonly accessVerifier;
  private readonly client;
  private readonly poolId;

  constructor(private readonly options: FidelityOptions) {
    this.client = options.plan.client;
    this.poolId = options.plan.userPool.id;
    this.state = readJsonFile<TokenState>(options.stateFile, {
      refreshTokens: {},
      revokedRefreshTokens: {},
      revokedAccessTokens: {},
    });
    this.accessVerifier = CognitoJwtVerifier.create({
      userPoolId: this.poolId,
      tokenUse: 'access',
      clientId: this.client.ClientId,
    });
  }

  /** Loads the emulator's signing keys (local-only) and listens on `port` (0: any). */
  async listen(port: number): Promise<number> {
    await trustLocalEmulatorKeys(
      this.accessVerifier,
      `${this.options.upstream}/${this.poolId}/.well-known/jwks.json`,
    );
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          this.reply(response, 500, { __type: 'InternalErrorException', message: String(error) });
      });
    });
    return listenOnLoopback(this.server, port);
  }

  async close(): Promise<void> {
    await closeNow(this.server);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSCognitoIdentityProviderService.')
      ? target.split('.')[1]
      : undefined;
    if (request.method !== 'POST' || !operation) return this.pipe(request, response, raw);
    let body: Json;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}') as Json;
    } catch {
      return this.pipe(request, response, raw);
    }
    try {
      this.reply(response, 200, await this.handle(operation, normalizeUsernames(body)));
    } catch (error) {
      if (!(error instanceof CognitoError)) throw error;
      this.reply(response, error.status, { __type: error.type, message: error.message });
    }
  }

  /** The corrected operations; everything else goes to cognito-local as it came. */
  async handle(operation: string, body: Json): Promise<Json> {
    switch (operation) {
      case 'SignUp':
        return this.signUp(body);
      case 'ConfirmSignUp':
        return this.confirmSignUp(body);
      case 'ResendConfirmationCode':
        return this.resendConfirmationCode(body);
      case 'ForgotPassword':
        return this.forgotPassword(body);
      case 'ConfirmForgotPassword':
        return this.confirmForgotPassword(body);
      case 'InitiateAuth':
        return this.initiateAuth(body);
      case 'RespondToAuthChallenge':
        return this.respondToAuthChallenge(body);
      case 'RevokeToken':
        return this.revokeToken(body);
      case 'GlobalSignOut':
        return this.globalSignOut(body);
      case 'ChangePassword':
        return this.changePassword(body);
      case 'AdminSetUserPassword':
        this.enforcePolicy(body.Password);
        return this.upstream(operation, body);
      case 'AdminCreateUser':
        if (body.TemporaryPassword !== undefined) this.enforcePolicy(body.TemporaryPassword);
        return this.upstream(operation, body);
      default:
        // GetUser, UpdateUserAttributes, DeleteUser, …: cognito-local only decodes the token.
        if (typeof body.AccessToken === 'string') await this.verifyAccessToken(body.AccessToken);
        return this.upstream(operation, body);
    }
  }

  // 1. Password policy, which cognito-local never enforces.
  private enforcePolicy(password: unknown): void {
    const violations = passwordPolicyViolations(
      this.options.plan.passwordPolicy,
      String(password ?? ''),
    );
    if (violations.length > 0) {
      throw new CognitoError(
        'InvalidPasswordException',
        `Password did not conform with policy: ${violations[0]}`,
      );
    }
  }

  private enforceClient(body: Json): void {
    if (body.ClientId !== this.client.ClientId) {
      throw new CognitoError('ResourceNotFoundException', 'User pool client does not exist.');
    }
  }

  private async signUp(body: Json): Promise<Json> {
    this.enforceClient(body);
    this.enforcePolicy(body.Password);
    const result = await this.upstream('SignUp', body);
    const email = String(body.Username);
    if (result.UserConfirmed === true) return result;
    this.deliver(email, 'signup');
    return { ...result, CodeDeliveryDetails: delivery(email) };
  }

  // 4. (prevent user existence) and 9. email_verified, via the local mailbox's codes.
  private async confirmSignUp(body: Json): Promise<Json> {
    this.enforceClient(body);
    const user = await this.user(body.Username);
    if (!user) throw CODE_MISMATCH();
    if (user.UserStatus === 'CONFIRMED') {
      throw new CognitoError(
        'NotAuthorizedException',
        'User cannot be confirmed. Current status is CONFIRMED',
      );
    }
    const email = user.attributes.email ?? String(body.Username);
    this.checkCode(email, 'confirm-signup', body.ConfirmationCode);
    await this.upstream('AdminConfirmSignUp', { UserPoolId: this.poolId, Username: user.Username });
    await this.upstream('AdminUpdateUserAttributes', {
      UserPoolId: this.poolId,
      Username: user.Username,
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    this.options.mailbox.consume(email, 'confirm-signup');
    return {};
  }

  // 7. ResendConfirmationCode, which cognito-local does not implement.
  private async resendConfirmationCode(body: Json): Promise<Json> {
    this.enforceClient(body);
    const username = String(body.Username ?? '');
    const user = await this.user(username);
    if (!user) return this.simulated(username);
    if (user.UserStatus === 'CONFIRMED')
      throw new CognitoError('InvalidParameterException', 'User is already confirmed.');
    const email = user.attributes.email ?? username;
    this.deliver(email, 'resend');
    return { CodeDeliveryDetails: delivery(email) };
  }

  private async forgotPassword(body: Json): Promise<Json> {
    this.enforceClient(body);
    const username = String(body.Username ?? '');
    const user = await this.user(username);
    if (!user) return this.simulated(username);
    const email = user.attributes.email;
    if (!email || user.attributes.email_verified !== 'true') {
      throw new CognitoError(
        'InvalidParameterException',
        'Cannot reset password for the user as there is no registered/verified email or phone_number',
      );
    }
    this.deliver(email, 'forgot-password');
    return { CodeDeliveryDetails: delivery(email) };
  }

  private async confirmForgotPassword(body: Json): Promise<Json> {
    this.enforceClient(body);
    const user = await this.user(body.Username);
    if (!user?.attributes.email) throw CODE_MISMATCH();
    const email = user.attributes.email;
    this.checkCode(email, 'reset-password', body.ConfirmationCode);
    this.enforcePolicy(body.Password);
    await this.upstream('AdminSetUserPassword', {
      UserPoolId: this.poolId,
      Username: user.Username,
      Password: body.Password,
      Permanent: true,
    });
    this.options.mailbox.consume(email, 'reset-password');
    return {};
  }

  private async initiateAuth(body: Json): Promise<Json> {
    this.enforceClient(body);
    // 2. ExplicitAuthFlows, which cognito-local ignores.
    const flow = String(body.AuthFlow);
    const allowed = flow === 'REFRESH_TOKEN' ? 'ALLOW_REFRESH_TOKEN_AUTH' : `ALLOW_${flow}`;
    if (!this.client.ExplicitAuthFlows.includes(allowed)) {
      throw new CognitoError(
        'InvalidParameterException',
        `${flow} flow not enabled for this client`,
      );
    }
    const parameters = (body.AuthParameters ?? {}) as Record<string, string>;
    if (flow === 'USER_PASSWORD_AUTH') return this.passwordAuth(body, parameters);
    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN')
      return this.refreshAuth(body, parameters);
    return this.upstream('InitiateAuth', body);
  }

  // 3. Error names, 6. disabled users, and Cognito's lockout after repeated failures.
  private async passwordAuth(body: Json, parameters: Record<string, string>): Promise<Json> {
    const username = String(parameters.USERNAME ?? '');
    const failure = this.failures.get(username);
    if (failure && failure.lockedUntil > Date.now()) {
      throw new CognitoError('NotAuthorizedException', 'Password attempts exceeded');
    }
    const user = await this.user(username);
    if (!user) {
      if (this.client.PreventUserExistenceErrors !== 'ENABLED') {
        throw new CognitoError('UserNotFoundException', 'User does not exist.');
      }
      throw INCORRECT();
    }
    if (!user.Enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    let result: Json;
    try {
      result = await this.upstream('InitiateAuth', body);
    } catch (error) {
      if (
        error instanceof CognitoError &&
        ['InvalidPasswordException', 'NotAuthorizedException'].includes(error.type)
      ) {
        this.recordFailure(username);
        throw INCORRECT();
      }
      throw error;
    }
    this.failures.delete(username);
    if (result.ChallengeName && typeof result.Session === 'string') {
      this.challengeSessions.set(result.Session, {
        username,
        expires: Date.now() + this.client.AuthSessionValidity * 60_000,
      });
    }
    return await this.withTokenFields(result);
  }

  private recordFailure(username: string): void {
    const count = (this.failures.get(username)?.count ?? 0) + 1;
    const lockSeconds =
      count >= LOCKOUT_AFTER ? Math.min(2 ** (count - LOCKOUT_AFTER), LOCKOUT_MAX_SECONDS) : 0;
    this.failures.set(username, { count, lockedUntil: Date.now() + lockSeconds * 1000 });
  }

  // 8. Revocation: refresh tokens revoked by GlobalSignOut are refused here.
  private async refreshAuth(body: Json, parameters: Record<string, string>): Promise<Json> {
    const refreshToken = String(parameters.REFRESH_TOKEN ?? '');
    if (this.state.revokedRefreshTokens[hash(refreshToken)]) {
      throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
    }
    const owner = claimOf(refreshToken, 'cognito:username');
    const user = typeof owner === 'string' ? await this.user(owner) : undefined;
    if (user && !user.Enabled)
      throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    let result: Json;
    try {
      result = await this.upstream('InitiateAuth', body);
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'NotAuthorizedException') {
        throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
      }
      throw error;
    }
    return await this.withTokenFields(result, refreshToken);
  }

  private async respondToAuthChallenge(body: Json): Promise<Json> {
    this.enforceClient(body);
    const session = this.challengeSessions.get(String(body.Session ?? ''));
    if (!session || session.expires < Date.now()) {
      throw new CognitoError(
        'NotAuthorizedException',
        'Invalid session for the user, session is expired.',
      );
    }
    const responses = (body.ChallengeResponses ?? {}) as Record<string, string>;
    if (body.ChallengeName === 'NEW_PASSWORD_REQUIRED') this.enforcePolicy(responses.NEW_PASSWORD);
    const result = await this.upstream('RespondToAuthChallenge', body);
    this.challengeSessions.delete(String(body.Session));
    return await this.withTokenFields(result);
  }

  // 8. RevokeToken also revokes the access tokens issued from that refresh token.
  private async revokeToken(body: Json): Promise<Json> {
    this.enforceClient(body);
    const token = String(body.Token ?? '');
    const known = this.state.refreshTokens[hash(token)];
    if (known) this.revoke(hash(token));
    try {
      return await this.upstream('RevokeToken', body);
    } catch (error) {
      if (known) return {};
      throw error;
    }
  }

  // 7. GlobalSignOut, which cognito-local does not implement.
  private async globalSignOut(body: Json): Promise<Json> {
    const { sub } = await this.verifyAccessToken(body.AccessToken);
    for (const [key, entry] of Object.entries(this.state.refreshTokens)) {
      if (entry.sub === sub) this.revoke(key);
    }
    return {};
  }

  // 3. Wrong previous password, and 8. forged, expired or revoked access tokens.
  private async changePassword(body: Json): Promise<Json> {
    await this.verifyAccessToken(body.AccessToken);
    this.enforcePolicy(body.ProposedPassword);
    try {
      return await this.upstream('ChangePassword', body);
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'InvalidPasswordException')
        throw INCORRECT();
      throw error;
    }
  }

  private async verifyAccessToken(token: unknown): Promise<{ sub: string }> {
    let payload: { sub: string; jti?: string };
    try {
      payload = (await this.accessVerifier.verify(String(token))) as typeof payload;
    } catch (error) {
      throw new CognitoError(
        'NotAuthorizedException',
        error instanceof JwtExpiredError ? 'Access Token has expired' : 'Invalid Access Token',
      );
    }
    if (payload.jti && this.state.revokedAccessTokens[payload.jti]) {
      throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
    }
    return payload;
  }

  // 5. ExpiresIn and TokenType, which cognito-local leaves out; 11. the ID token's standard
  // attributes; and the bookkeeping that revocation (8) needs.
  private async withTokenFields(result: Json, refreshTokenUsed?: string): Promise<Json> {
    const tokens = result.AuthenticationResult as Json | undefined;
    if (!tokens?.AccessToken) return result;
    const access = decomposeUnverifiedJwt(String(tokens.AccessToken)).payload;
    const refreshToken = String(tokens.RefreshToken ?? refreshTokenUsed ?? '');
    if (refreshToken) {
      const key = hash(refreshToken);
      const entry = this.state.refreshTokens[key] ?? {
        sub: String(access.sub),
        exp: Number(claimOf(refreshToken, 'exp') ?? nowSeconds() + 30 * 86_400),
        accessTokens: {},
      };
      this.state.refreshTokens[key] = entry;
      entry.accessTokens[String(access.jti)] = Number(access.exp);
      this.save();
    }
    return {
      ...result,
      AuthenticationResult: {
        ...tokens,
        ...(tokens.IdToken
          ? { IdToken: await this.withStandardClaims(String(tokens.IdToken)) }
          : {}),
        ExpiresIn: Number(access.exp) - Number(access.iat),
        TokenType: 'Bearer',
      },
    };
  }

  // 11. cognito-local puts only email and email_verified in ID tokens; Cognito adds every
  // standard attribute the client may read (name, …).
  private async withStandardClaims(idToken: string): Promise<string> {
    const { header, payload } = decomposeUnverifiedJwt(idToken);
    const user = await this.user(payload['cognito:username']);
    if (!user) return idToken;
    const readable = this.client.ReadAttributes ? new Set(this.client.ReadAttributes) : undefined;
    const added: Json = {};
    for (const [name, value] of Object.entries(user.attributes)) {
      if (!STANDARD_CLAIMS.has(name) || name in payload || (readable && !readable.has(name)))
        continue;
      added[name] = name.endsWith('_verified')
        ? value === 'true'
        : name === 'updated_at'
          ? Number(value)
          : value;
    }
    if (Object.keys(added).length === 0) return idToken;
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode(header)}.${encode({ ...payload, ...added })}`;
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(EMULATOR_SIGNING_KEY, 'base64url')}`;
  }

  private revoke(key: string): void {
    const entry = this.state.refreshTokens[key];
    if (!entry) return;
    this.state.revokedRefreshTokens[key] = entry.exp;
    Object.assign(this.state.revokedAccessTokens, entry.accessTokens);
    delete this.state.refreshTokens[key];
    this.save();
  }

  private save(): void {
    const now = nowSeconds();
    for (const map of [this.state.revokedAccessTokens, this.state.revokedRefreshTokens]) {
      for (const [key, exp] of Object.entries(map)) if (exp < now) delete map[key];
    }
    for (const [key, entry] of Object.entries(this.state.refreshTokens))
      if (entry.exp < now) delete this.state.refreshTokens[key];
    writeJsonFile(this.options.stateFile, this.state);
  }

  // 4. With PreventUserExistenceErrors, an unknown user gets a simulated delivery.
  private simulated(username: string): Json {
    if (this.client.PreventUserExistenceErrors !== 'ENABLED') {
      throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
    }
    return { CodeDeliveryDetails: delivery(username) };
  }

  private deliver(email: string, kind: MessageKind): void {
    this.options.mailbox.deliver(email, kind);
  }

  private checkCode(email: string, purpose: CodePurpose, code: unknown): void {
    const check = this.options.mailbox.check(email, purpose, String(code ?? ''));
    if (check === 'mismatch') throw CODE_MISMATCH();
    if (check === 'expired')
      throw new CognitoError(
        'ExpiredCodeException',
        'Invalid code provided, please request a code again.',
      );
  }

  private async user(username: unknown): Promise<User | undefined> {
    try {
      const found = await this.upstream('AdminGetUser', {
        UserPoolId: this.poolId,
        Username: String(username ?? ''),
      });
      const attributes = Object.fromEntries(
        ((found.UserAttributes ?? []) as { Name: string; Value: string }[]).map(
          ({ Name, Value }) => [Name, Value],
        ),
      );
      return {
        Username: String(found.Username),
        Enabled: found.Enabled !== false,
        UserStatus: String(found.UserStatus),
        attributes,
      };
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'UserNotFoundException') return undefined;
      throw error;
    }
  }

  private async upstream(operation: string, body: Json): Promise<Json> {
    const response = await fetch(this.options.upstream, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const json = (await response.json().catch(() => ({}))) as Json;
    if (!response.ok) {
      throw new CognitoError(
        String(json.__type ?? json.code ?? 'InternalErrorException'),
        String(json.message ?? ''),
        response.status,
      );
    }
    return json;
  }

  private async pipe(
    request: IncomingMessage,
    response: ServerResponse,
    body: Buffer,
  ): Promise<void> {
    const upstream = await fetch(new URL(request.url ?? '/', this.options.upstream), {
      method: request.method ?? 'GET',
      headers: Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
        ),
      ),
      ...(body.length > 0 ? { body } : {}),
    });
    response.writeHead(upstream.status, {
      'Content-Type': upstream.headers.get('content-type') ?? 'application/json',
    });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  }

  private reply(response: ServerResponse, status: number, body: Json): void {
    response.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'x-amzn-RequestId': randomUUID(),
      'Access-Control-Allow-Origin': '*',
    });
    response.end(JSON.stringify(body));
  }
}

/**
 * 6. Case-insensitive usernames: the pool's usernames (emails) are matched case-insensitively
 * in Cognito; cognito-local compares exactly, so every username and email is lowercased.
 */
function normalizeUsernames(body: Json): Json {
  const copy: Json = { ...body };
  if (typeof copy.Username === 'string') copy.Username = copy.Username.toLowerCase();
  for (const key of ['AuthParameters', 'ChallengeResponses']) {
    const map = copy[key] as Record<string, unknown> | undefined;
    if (map && typeof map.USERNAME === 'string')
      copy[key] = { ...map, USERNAME: map.USERNAME.toLowerCase() };
  }
  if (Array.isArray(copy.UserAttributes)) {
    copy.UserAttributes = (copy.UserAttributes as { Name: string; Value: unknown }[]).map(
      (attribute) =>
        attribute.Name === 'email' && typeof attribute.Value === 'string'
          ? { ...attribute, Value: attribute.Value.toLowerCase() }
          : attribute,
    );
  }
  return copy;
}

/** Cognito's masked destination: "a***@e***". */
function delivery(email: string): Json {
  const [local = '', domain = ''] = email.split('@');
  return {
    AttributeName: 'email',
    DeliveryMedium: 'EMAIL',
    Destination: `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`,
  };
}

function claimOf(token: string, claim: string): unknown {
  try {
    return decomposeUnverifiedJwt(token).payload[claim];
  } catch {
    return undefined;
  }
}
