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

/** Cognito's one answer to a wrong password, an unknown user (hidden) and a wrong previous password. */
export const incorrectUsernameOrPassword = () =>
  new CognitoError('NotAuthorizedException', 'Incorrect username or password.');

export const codeMismatch = () =>
  new CognitoError(
    'CodeMismatchException',
    'Invalid verification code provided, please try again.',
  );
