import * as v from 'valibot';

/**
 * What the auth routes accept: their request bodies, named as openapi.yaml's components, and
 * the field schemas they share. tests/templates/openapi-schemas.test.ts converts every body
 * here to JSON Schema and compares it with openapi.yaml. Messages never include the value sent.
 */

/** Auth bodies are small; anything bigger is not a legitimate request. */
export const AUTH_BODY_MAX_BYTES = 16 * 1024;

export const Email = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254),
  v.email('must be an email address'),
);

/** Cognito accepts passwords of at most 256 characters; the policy itself is Cognito's to check. */
export const Password = v.pipe(v.string(), v.minLength(1, 'is required'), v.maxLength(256));

export const Code = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d{6}$/, 'must be the 6-digit code from the email'),
);

/**
 * The C0 and C1 control characters (Unicode's Cc) written as ranges, not `\p{Cc}`: openapi.yaml
 * must state the same pattern, and OpenAPI 3.0 patterns are ECMA-262 5.1 expressions, where
 * `\p{…}` does not exist (without the `u` flag it matches the letters p, C, c and braces). They
 * are refused before trimming, so a name that ends in a newline is refused too, as the contract
 * says, instead of being silently cut.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NO_CONTROL_CHARACTERS = /^[^\x00-\x1F\x7F-\x9F]*$/;

export const DisplayName = v.pipe(
  v.string(),
  v.regex(NO_CONTROL_CHARACTERS, 'must not contain control characters'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(256),
);

/** A Cognito token (JWT or, for refresh tokens, JWE). Shape only; Cognito verifies it. */
export const Token = v.pipe(
  v.string(),
  v.minLength(1, 'is required'),
  v.maxLength(8192),
  v.regex(/^[\w-]+(\.[\w-]*)+$/, 'is not a token'),
);

const ChallengeSession = v.pipe(v.string(), v.minLength(20), v.maxLength(4096));

export const SignUpRequest = v.strictObject({
  email: Email,
  password: Password,
  name: v.optional(DisplayName),
});

export const ConfirmSignUpRequest = v.strictObject({ email: Email, code: Code });

/** Resend-code and forgot-password: the email alone. */
export const EmailRequest = v.strictObject({ email: Email });

export const SignInRequest = v.strictObject({
  email: Email,
  password: Password,
  session: v.optional(v.picklist(['cookie'], 'must be "cookie" when present')),
});

/** A code of the user's authenticator app (TOTP, RFC 6238): 6 digits, new every 30 seconds. */
export const TotpCode = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d{6}$/, 'must be the 6-digit code from the authenticator app'),
);

/**
 * `"cookie": true` on a challenge answer does what `"session": "cookie"` does on sign-in (the
 * refresh token goes into the HttpOnly cookie), under another name because a challenge's
 * `session` is Cognito's.
 */
const CookieMode = v.optional(v.literal(true, 'must be true when present'));

export const NewPasswordChallengeRequest = v.strictObject({
  email: Email,
  challenge: v.literal('NEW_PASSWORD_REQUIRED'),
  session: ChallengeSession,
  newPassword: Password,
  cookie: CookieMode,
});

export const SoftwareTokenMfaChallengeRequest = v.strictObject({
  email: Email,
  challenge: v.literal('SOFTWARE_TOKEN_MFA'),
  session: ChallengeSession,
  code: TotpCode,
  cookie: CookieMode,
});

/** Without `code`: start the enrolment (a new secret); with it: finish it and sign in. */
export const MfaSetupChallengeRequest = v.strictObject({
  email: Email,
  challenge: v.literal('MFA_SETUP'),
  session: ChallengeSession,
  code: v.optional(TotpCode),
  cookie: CookieMode,
});

/** /auth/challenge: one body per challenge, told apart by `challenge`. */
export const ChallengeRequest = v.variant(
  'challenge',
  [NewPasswordChallengeRequest, SoftwareTokenMfaChallengeRequest, MfaSetupChallengeRequest],
  'must be "NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA" or "MFA_SETUP"',
);

/** Refresh and sign-out: the refresh token in the body, or none when the cookie carries it. */
export const RefreshTokenRequest = v.strictObject({ refreshToken: v.optional(Token) });
export const SignOutRequest = RefreshTokenRequest;

export const ConfirmForgotPasswordRequest = v.strictObject({
  email: Email,
  code: Code,
  newPassword: Password,
});

export const SignOutAllRequest = v.strictObject({ accessToken: Token });

export const ChangePasswordRequest = v.strictObject({
  accessToken: Token,
  previousPassword: Password,
  proposedPassword: Password,
});

/** POST /me/mfa/totp: the caller's access token (Cognito's account operations take it). */
export const EnrolTotpRequest = v.strictObject({ accessToken: Token });

export const VerifyTotpRequest = v.strictObject({ accessToken: Token, code: TotpCode });

/** Turning MFA off weakens the account: the password again first (ASVS 7.5.1). */
export const DisableMfaRequest = v.strictObject({ accessToken: Token, password: Password });

export const DeleteAccountRequest = v.strictObject({ accessToken: Token, password: Password });

export const ChangeEmailRequest = v.strictObject({
  accessToken: Token,
  password: Password,
  newEmail: Email,
});

export const VerifyEmailRequest = v.strictObject({ accessToken: Token, code: Code });
