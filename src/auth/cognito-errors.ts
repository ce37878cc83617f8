import { isUnreachable, serviceStatus } from '../aws-clients';
import { ApiError, internalError, serviceUnavailable } from '../errors';
import { logger } from '../logger';
import { accessTokenRejected } from './access-token';

export type CognitoOperation =
  | 'signUp'
  | 'confirmSignUp'
  | 'resendCode'
  | 'signIn'
  | 'respondToChallenge'
  | 'refresh'
  | 'forgotPassword'
  | 'confirmForgotPassword'
  | 'signOut'
  | 'signOutAll'
  | 'changePassword'
  | 'endSessionsAfterReset'
  | 'reauthenticate'
  | 'answerMfa'
  | 'enrolTotp'
  | 'verifyTotp'
  | 'setMfaPreference'
  | 'readMfaConfiguration'
  | 'changeEmail'
  | 'verifyEmail'
  | 'readUser'
  | 'readAccount'
  | 'deleteAccount';

/** The operations that carry the user's access token, which Cognito verifies. */
const WITH_ACCESS_TOKEN: CognitoOperation[] = [
  'changePassword',
  'enrolTotp',
  'verifyTotp',
  'setMfaPreference',
  'changeEmail',
  'verifyEmail',
  'readUser',
];

/** The operations that check an authenticator code (TOTP). */
const WITH_TOTP_CODE: CognitoOperation[] = ['answerMfa', 'verifyTotp'];

const TOO_MANY = () =>
  new ApiError('TooManyRequests', 'Too many attempts. Wait a little and try again.');
const WRONG_CREDENTIALS = () => new ApiError('NotAuthorized', 'Incorrect email or password.');
const CODE_MISMATCH = () =>
  new ApiError('CodeMismatch', 'The code is not correct. Check the latest email and try again.');
/** A wrong, expired or reused authenticator code: the same answer for all three. */
export const wrongTotpCode = () =>
  new ApiError(
    'InvalidMfaCode',
    'The authenticator code is not correct, or was already used. Wait for the next code and try again.',
  );

/**
 * The one map from Cognito's errors to the API's answers. Wrong password and unknown
 * user are the same 401; throttling and lockout are 429; an unreachable or failing Cognito is
 * 503; confirmation errors never reveal whether an account exists.
 */
export function mapCognitoError(error: unknown, operation: CognitoOperation): ApiError {
  if (error instanceof ApiError) return error;
  const e = error instanceof Error ? error : new Error(String(error));
  const status = serviceStatus(e);
  const mapped = map(e, operation);
  const log = {
    operation,
    cognitoError: e.name,
    httpStatusCode: status,
    status: mapped.statusCode,
  };
  if (mapped.statusCode >= 500) logger.error('cognito call failed', log);
  else logger.info('cognito call rejected', log);
  return mapped;
}

function map(e: Error, operation: CognitoOperation): ApiError {
  if (isUnreachable(e)) return serviceUnavailable('identity');
  switch (e.name) {
    case 'AliasExistsException':
      // Taken by someone: never who (an email change must not reveal more than sign-up does).
      if (operation === 'changeEmail' || operation === 'verifyEmail')
        return new ApiError(
          'EmailInUse',
          'Another account uses this email address. Choose a different one.',
        );
      return new ApiError('UsernameExists', 'An account with this email already exists.');
    case 'UsernameExistsException':
      return new ApiError('UsernameExists', 'An account with this email already exists.');
    case 'InvalidPasswordException':
      // The operations that set a password say what the policy wants (pool-password-policy.ts).
      return new ApiError('InvalidPassword', 'The password does not meet the password policy.');
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
      return WITH_TOTP_CODE.includes(operation) ? wrongTotpCode() : CODE_MISMATCH();
    case 'ExpiredCodeException':
      if (WITH_TOTP_CODE.includes(operation)) return wrongTotpCode();
      return new ApiError('ExpiredCode', 'The code has expired. Ask for a new one.');
    case 'SoftwareTokenMFANotFoundException':
      return new ApiError(
        'MfaUnavailable',
        'Authenticator apps are not enabled for this user pool (its MfaConfiguration is OFF).',
      );
    case 'UserNotConfirmedException':
      return new ApiError(
        'UserNotConfirmed',
        'Confirm the email address first with the code that was sent to it.',
      );
    case 'PasswordResetRequiredException':
      return new ApiError(
        'PasswordResetRequired',
        'A password reset is required. Use /auth/forgot-password.',
      );
    case 'UserNotFoundException':
      // Same answers as for a wrong password or a wrong code: no user enumeration.
      if (operation === 'confirmSignUp' || operation === 'confirmForgotPassword')
        return CODE_MISMATCH();
      return notAuthorized(e, operation);
    case 'NotAuthorizedException':
      return notAuthorized(e, operation);
    case 'LimitExceededException':
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return TOO_MANY();
    case 'InvalidParameterException':
    case 'UnsupportedTokenTypeException':
      return new ApiError(
        'InvalidRequest',
        'The identity service rejected the request as invalid.',
      );
    case 'UserLambdaValidationException':
      return new ApiError('SignUpRejected', 'The sign-up was rejected.');
    case 'CodeDeliveryFailureException':
      return new ApiError('CodeDeliveryFailed', 'The code could not be sent. Try again later.');
    case 'ForbiddenException':
      return new ApiError('Forbidden', 'The identity service refused this request.');
  }
  if (e.name === 'InternalErrorException' || (serviceStatus(e) ?? 0) >= 500) {
    return serviceUnavailable('identity');
  }
  return internalError();
}

/** NotAuthorizedException means different things per operation; Cognito says which in its message. */
function notAuthorized(e: Error, operation: CognitoOperation): ApiError {
  // Cognito's lockout after repeated wrong passwords.
  if (/attempts exceeded/i.test(e.message)) return TOO_MANY();
  if (operation === 'changePassword' && /incorrect username or password/i.test(e.message))
    return new ApiError('IncorrectPassword', 'The previous password is not correct.');
  if (WITH_ACCESS_TOKEN.includes(operation)) return accessTokenRejected();
  switch (operation) {
    case 'signIn':
      return WRONG_CREDENTIALS();
    case 'reauthenticate':
      return new ApiError('NotAuthorized', 'The password is not correct.');
    case 'refresh':
    case 'signOut':
      return new ApiError(
        'NotAuthorized',
        'The refresh token is invalid, expired or revoked. Sign in again.',
      );
    case 'respondToChallenge':
    case 'answerMfa':
      return new ApiError(
        'NotAuthorized',
        'The challenge session is invalid or has expired. Sign in again.',
      );
    case 'confirmSignUp':
      return new ApiError('AlreadyConfirmed', 'This account is already confirmed. Sign in.');
    default:
      return new ApiError('NotAuthorized', 'The identity service refused this request.');
  }
}
