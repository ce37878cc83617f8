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
  | 'endSessionsAfterReset';

const TOO_MANY = () =>
  new ApiError('TooManyRequests', 'Too many attempts. Wait a little and try again.');
const WRONG_CREDENTIALS = () => new ApiError('NotAuthorized', 'Incorrect email or password.');
const CODE_MISMATCH = () =>
  new ApiError('CodeMismatch', 'The code is not correct. Check the latest email and try again.');

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
    case 'UsernameExistsException':
    case 'AliasExistsException':
      return new ApiError('UsernameExists', 'An account with this email already exists.');
    case 'InvalidPasswordException':
      // The operations that set a password say what the policy wants (pool-password-policy.ts).
      return new ApiError('InvalidPassword', 'The password does not meet the password policy.');
    case 'CodeMismatchException':
      return CODE_MISMATCH();
    case 'ExpiredCodeException':
      return new ApiError('ExpiredCode', 'The code has expired. Ask for a new one.');
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
  switch (operation) {
    case 'signIn':
      return WRONG_CREDENTIALS();
    case 'changePassword':
      return /incorrect username or password/i.test(e.message)
        ? new ApiError('IncorrectPassword', 'The previous password is not correct.')
        : accessTokenRejected();
    case 'refresh':
    case 'signOut':
      return new ApiError(
        'NotAuthorized',
        'The refresh token is invalid, expired or revoked. Sign in again.',
      );
    case 'respondToChallenge':
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
