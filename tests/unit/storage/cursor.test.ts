import { ApiError } from '../../../src/errors';
import { decodeCursor, encodeCursor } from '../../../src/storage/cursor';
import { newLogId } from '../../../src/storage/log-ids';
import { OTHER_SUB, SUB } from '../fixtures';

const KEY = 'test-key-0123456789abcdef';

describe('the logs cursor', () => {
  const id = newLogId();

  it('round-trips an id for the same user and key', () => {
    expect(decodeCursor(KEY, SUB, encodeCursor(KEY, SUB, id))).toBe(id);
  });

  it.each([
    ['from another user', () => encodeCursor(KEY, OTHER_SUB, id)],
    ['signed with another key', () => encodeCursor('another-key-0123456789', SUB, id)],
    [
      'with its payload changed',
      () => {
        const [, signature] = encodeCursor(KEY, SUB, id).split('.');
        return `${Buffer.from(JSON.stringify({ after: newLogId(0) })).toString('base64url')}.${signature}`;
      },
    ],
    ['with its signature cut', () => encodeCursor(KEY, SUB, id).slice(0, -3)],
    ['garbage', () => 'garbage'],
    ['empty parts', () => '.'],
    ['too many parts', () => `${encodeCursor(KEY, SUB, id)}.x`],
    ['very long', () => 'a'.repeat(600)],
  ])('is a 400 when %s', (_what, make) => {
    try {
      decodeCursor(KEY, SUB, make());
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).statusCode).toBe(400);
      expect((error as ApiError).code).toBe('InvalidCursor');
    }
  });

  it('refuses a correctly signed payload that is not a log id', () => {
    const payload = Buffer.from(JSON.stringify({ after: '../../other' })).toString('base64url');
    const forged = encodeCursor(KEY, SUB, id).replace(/^[^.]+/, payload);
    expect(() => decodeCursor(KEY, SUB, forged)).toThrow(ApiError);
  });
});
