import fc from 'fast-check';
import { ApiError } from '../../../src/errors';
import { decodeCursor, encodeCursor } from '../../../src/storage/cursor';
import { createdAtOf, isLogId, newLogId } from '../../../src/storage/log-ids';

const KEY = 'property-test-key-0123';
const times = fc.integer({ min: 0, max: 4_102_444_800_000 });

describe('log ids and cursors, for any input', () => {
  it('makes valid ids that sort newest first and carry their time', () => {
    fc.assert(
      fc.property(times, times, (a, b) => {
        const [older, newer] = a <= b ? [a, b] : [b, a];
        const olderId = newLogId(older);
        const newerId = newLogId(newer);
        expect(isLogId(olderId) && isLogId(newerId)).toBe(true);
        expect(Date.parse(createdAtOf(olderId))).toBe(older);
        if (newer > older) expect(newerId < olderId).toBe(true);
      }),
    );
  });

  it('round-trips every id for its user', () => {
    fc.assert(
      fc.property(times, fc.uuid(), (time, sub) => {
        const id = newLogId(time);
        expect(decodeCursor(KEY, sub, encodeCursor(KEY, sub, id))).toBe(id);
      }),
    );
  });

  it('refuses any change to a cursor, and any other user, with a 400', () => {
    const attempt = (run: () => string): string | number => {
      try {
        return run();
      } catch (error) {
        return error instanceof ApiError ? error.statusCode : -1;
      }
    };
    fc.assert(
      fc.property(
        times,
        fc.uuid(),
        fc.uuid(),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 1 }),
        (time, sub, other, position, replacement) => {
          const id = newLogId(time);
          const cursor = encodeCursor(KEY, sub, id);
          const index = position % cursor.length;
          const changed = `${cursor.slice(0, index)}${replacement}${cursor.slice(index + 1)}`;
          // Refused, or (when the change only touched unused base64 bits) still the same id.
          expect([400, id]).toContain(attempt(() => decodeCursor(KEY, sub, changed)));
          if (other !== sub) expect(attempt(() => decodeCursor(KEY, other, cursor))).toBe(400);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('answers any string with an id or a 400, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.uuid(), (candidate, sub) => {
        try {
          expect(isLogId(decodeCursor(KEY, sub, candidate))).toBe(true);
        } catch (error) {
          expect((error as ApiError).statusCode).toBe(400);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
