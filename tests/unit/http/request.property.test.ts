import fc from 'fast-check';
import * as v from 'valibot';
import { ApiError } from '../../../src/errors';
import { Code, Email, Password, Token } from '../../../src/http/auth-requests';
import { readCookie } from '../../../src/http/cookies';
import { parseJsonBody } from '../../../src/http/request';
import { apiEvent } from '../fixtures';

/** Whatever arrives, parsing either succeeds or throws a 4xx ApiError that repeats nothing. */
function outcome(run: () => unknown): 'ok' | ApiError {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

const Body = v.strictObject({
  email: Email,
  password: Password,
  code: v.optional(Code),
  token: v.optional(Token),
});

describe('request parsing, for any input', () => {
  it('answers any body with a value or a 4xx ApiError that does not repeat it', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((value) => JSON.stringify(value)),
          fc.uint8Array().map((bytes) => Buffer.from(bytes).toString('latin1')),
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', ''),
        (body, contentType) => {
          const event = apiEvent({
            rawBody: body,
            headers: contentType ? { 'Content-Type': contentType } : {},
          });
          const result = outcome(() => parseJsonBody(event, Body, { maxBytes: 4096 }));
          if (result === 'ok') return;
          expect(result.statusCode).toBeGreaterThanOrEqual(400);
          expect(result.statusCode).toBeLessThan(500);
          if (body.length >= 8)
            expect(JSON.stringify({ m: result.message, d: result.details })).not.toContain(body);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accepts an email only normalized: trimmed, lower-case, at most 254 characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.string()), (candidate) => {
        const result = v.safeParse(Email, candidate);
        if (!result.success) return;
        expect(result.output).toBe(result.output.trim().toLowerCase());
        expect(result.output.length).toBeLessThanOrEqual(254);
        expect(result.output).toContain('@');
      }),
      { numRuns: 500 },
    );
  });

  it('accepts a code only as exactly six digits', () => {
    fc.assert(
      fc.property(fc.string(), (candidate) => {
        const result = v.safeParse(Code, candidate);
        if (result.success) expect(result.output).toMatch(/^\d{6}$/);
      }),
    );
  });

  it('never throws reading cookies, whatever the header', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (header, name) => {
        const value = readCookie(apiEvent({ headers: { Cookie: header } }), name);
        if (value !== undefined) expect(header).toContain(value);
      }),
      { numRuns: 500 },
    );
  });
});
