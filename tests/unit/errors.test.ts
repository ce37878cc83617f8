import { ApiError, ERROR_STATUS, internalError, serviceUnavailable } from '../../src/errors';

describe('ApiError', () => {
  it('takes its status from the code, never from the thrower', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      const error = new ApiError(code as keyof typeof ERROR_STATUS, 'message');
      expect({ code: error.code, status: error.statusCode }).toEqual({ code, status });
    }
  });

  it('accepts only codes of the table', () => {
    // @ts-expect-error A code the table does not have does not compile.
    expect(new ApiError('Teapot', 'short and stout').statusCode).toBeUndefined();
  });
});

describe('the shared messages', () => {
  it('say the same for every unexpected failure, with nothing about it', () => {
    expect(internalError()).toMatchObject({
      statusCode: 500,
      code: 'InternalError',
      message: 'Something went wrong on our side. Quote the requestId if you report it.',
    });
  });

  it('say which dependency is unavailable, in one wording', () => {
    expect([serviceUnavailable('identity'), serviceUnavailable('storage')]).toEqual([
      expect.objectContaining({
        statusCode: 503,
        code: 'ServiceUnavailable',
        message: 'The identity service is unavailable. Try again shortly.',
      }),
      expect.objectContaining({
        statusCode: 503,
        code: 'ServiceUnavailable',
        message: 'The storage service is unavailable. Try again shortly.',
      }),
    ]);
  });
});
