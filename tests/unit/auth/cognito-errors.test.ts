import { type CognitoOperation, mapCognitoError } from '../../../src/auth/cognito-errors';
import { isUnreachable } from '../../../src/aws-clients';
import { ApiError } from '../../../src/errors';

function cognitoError(name: string, message = 'message', httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

const mapped = (error: unknown, operation: CognitoOperation = 'signIn') => {
  const { statusCode, code, message } = mapCognitoError(error, operation);
  return { statusCode, code, message };
};

describe('mapCognitoError', () => {
  it.each([
    ['UsernameExistsException', 'signUp', 409, 'UsernameExists'],
    ['AliasExistsException', 'signUp', 409, 'UsernameExists'],
    ['InvalidPasswordException', 'signUp', 400, 'InvalidPassword'],
    ['CodeMismatchException', 'confirmSignUp', 400, 'CodeMismatch'],
    ['ExpiredCodeException', 'confirmForgotPassword', 400, 'ExpiredCode'],
    ['UserNotConfirmedException', 'signIn', 403, 'UserNotConfirmed'],
    ['PasswordResetRequiredException', 'signIn', 403, 'PasswordResetRequired'],
    ['NotAuthorizedException', 'signIn', 401, 'NotAuthorized'],
    ['UserNotFoundException', 'signIn', 401, 'NotAuthorized'],
    ['UserNotFoundException', 'confirmSignUp', 400, 'CodeMismatch'],
    ['UserNotFoundException', 'confirmForgotPassword', 400, 'CodeMismatch'],
    ['NotAuthorizedException', 'refresh', 401, 'NotAuthorized'],
    ['NotAuthorizedException', 'respondToChallenge', 401, 'NotAuthorized'],
    ['NotAuthorizedException', 'confirmSignUp', 409, 'AlreadyConfirmed'],
    ['LimitExceededException', 'forgotPassword', 429, 'TooManyRequests'],
    ['TooManyRequestsException', 'signIn', 429, 'TooManyRequests'],
    ['TooManyFailedAttemptsException', 'confirmSignUp', 429, 'TooManyRequests'],
    ['InvalidParameterException', 'signUp', 400, 'InvalidRequest'],
    ['UnsupportedTokenTypeException', 'signOut', 400, 'InvalidRequest'],
    ['UserLambdaValidationException', 'signUp', 400, 'SignUpRejected'],
    ['CodeDeliveryFailureException', 'signUp', 503, 'CodeDeliveryFailed'],
    ['ForbiddenException', 'signIn', 403, 'Forbidden'],
    ['InternalErrorException', 'signIn', 503, 'ServiceUnavailable'],
    ['ResourceNotFoundException', 'signIn', 500, 'InternalError'],
  ] as const)('%s during %s → %i %s', (name, operation, statusCode, code) => {
    expect(mapped(cognitoError(name), operation)).toMatchObject({ statusCode, code });
  });

  it('gives a wrong password and an unknown user exactly the same answer', () => {
    expect(
      mapped(cognitoError('NotAuthorizedException', 'Incorrect username or password.')),
    ).toEqual(mapped(cognitoError('UserNotFoundException', 'User does not exist.')));
  });

  it("treats Cognito's lockout as throttling", () => {
    expect(
      mapped(cognitoError('NotAuthorizedException', 'Password attempts exceeded')),
    ).toMatchObject({
      statusCode: 429,
      code: 'TooManyRequests',
    });
  });

  it('tells a wrong previous password from a bad access token on change-password', () => {
    expect(
      mapped(
        cognitoError('NotAuthorizedException', 'Incorrect username or password.'),
        'changePassword',
      ),
    ).toMatchObject({ statusCode: 400, code: 'IncorrectPassword' });
    expect(
      mapped(
        cognitoError('NotAuthorizedException', 'Access Token has been revoked'),
        'changePassword',
      ),
    ).toMatchObject({ statusCode: 401, code: 'NotAuthorized' });
  });

  it.each([
    [
      'refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    ],
    ['unresolvable', Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' })],
    ['reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['timed out', Object.assign(new Error('timeout'), { name: 'TimeoutError' })],
  ])('answers 503 when Cognito is %s', (_why, error) => {
    expect(isUnreachable(error)).toBe(true);
    expect(mapped(error)).toMatchObject({
      statusCode: 503,
      code: 'ServiceUnavailable',
      message: 'The identity service is unavailable. Try again shortly.',
    });
  });

  it('answers 503 for any 5xx from Cognito and 500 for the unknown', () => {
    expect(mapped(cognitoError('SomethingNew', 'x', 502))).toMatchObject({
      statusCode: 503,
      message: 'The identity service is unavailable. Try again shortly.',
    });
    expect(mapped(cognitoError('SomethingNew', 'x', 400))).toMatchObject({
      statusCode: 500,
      code: 'InternalError',
    });
    expect(mapped('not even an Error')).toMatchObject({ statusCode: 500 });
  });

  it('passes ApiErrors through untouched', () => {
    const error = new ApiError('InvalidCursor', 'not a Cognito error');
    expect(mapCognitoError(error, 'signIn')).toBe(error);
  });

  it("never repeats Cognito's message to the caller", () => {
    const leaky = cognitoError(
      'InvalidParameterException',
      '1 validation error: value "Secret-Password-Alpha-17"',
    );
    expect(mapped(leaky, 'signUp').message).not.toContain('Secret');
  });
});
