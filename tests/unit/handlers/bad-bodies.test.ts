import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { handler as changePassword } from '../../../src/handlers/auth/change-password';
import { handler as confirmForgotPassword } from '../../../src/handlers/auth/confirm-forgot-password';
import { handler as confirmSignUp } from '../../../src/handlers/auth/confirm-sign-up';
import { handler as forgotPassword } from '../../../src/handlers/auth/forgot-password';
import { handler as refreshTokens } from '../../../src/handlers/auth/refresh-tokens';
import { handler as resendCode } from '../../../src/handlers/auth/resend-code';
import { handler as respondToChallenge } from '../../../src/handlers/auth/respond-to-challenge';
import { handler as signIn } from '../../../src/handlers/auth/sign-in';
import { handler as signOut } from '../../../src/handlers/auth/sign-out';
import { handler as signUp } from '../../../src/handlers/auth/sign-up';
import { handler as createLog } from '../../../src/handlers/me/create-log';
import { handler as putProfile } from '../../../src/handlers/me/put-profile';
import { AUTH_BODY_MAX_BYTES } from '../../../src/http/auth-requests';
import { LOG_BODY_MAX_BYTES, PROFILE_MAX_BYTES } from '../../../src/http/storage-requests';
import {
  ACCESS_TOKEN,
  apiEvent,
  CALLER_CLAIMS,
  CODE,
  EMAIL,
  invoke,
  NEW_PASSWORD,
  PASSWORD,
  REFRESH_TOKEN,
} from '../fixtures';
import { cognitoMock } from './cognito-mock';
import { s3Mock } from './s3-mock';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<unknown>;

/**
 * Every route with a body: a valid body, its size limit, and what it allows (an empty body
 * where a cookie can stand in; any JSON in a field or any field at all for free-form data).
 */
const routes: [
  string,
  Handler,
  Record<string, unknown>,
  { claims?: boolean; optionalBody?: boolean; limit?: number; freeForm?: 'fields' | 'object' },
][] = [
  ['/auth/signup', signUp, { email: EMAIL, password: PASSWORD, name: 'Grace' }, {}],
  ['/auth/confirm-signup', confirmSignUp, { email: EMAIL, code: CODE }, {}],
  ['/auth/resend-code', resendCode, { email: EMAIL }, {}],
  ['/auth/signin', signIn, { email: EMAIL, password: PASSWORD }, {}],
  [
    '/auth/challenge',
    respondToChallenge,
    {
      email: EMAIL,
      challenge: 'NEW_PASSWORD_REQUIRED',
      session: 'x'.repeat(40),
      newPassword: NEW_PASSWORD,
    },
    {},
  ],
  ['/auth/refresh', refreshTokens, { refreshToken: REFRESH_TOKEN }, { optionalBody: true }],
  ['/auth/forgot-password', forgotPassword, { email: EMAIL }, {}],
  [
    '/auth/confirm-forgot-password',
    confirmForgotPassword,
    { email: EMAIL, code: CODE, newPassword: NEW_PASSWORD },
    {},
  ],
  ['/auth/signout', signOut, { refreshToken: REFRESH_TOKEN }, { optionalBody: true }],
  [
    '/auth/change-password',
    changePassword,
    { accessToken: ACCESS_TOKEN, previousPassword: PASSWORD, proposedPassword: NEW_PASSWORD },
    { claims: true },
  ],
  [
    '/me/profile',
    putProfile,
    { theme: 'dark' },
    { claims: true, limit: PROFILE_MAX_BYTES, freeForm: 'object' },
  ],
  [
    '/me/logs',
    createLog,
    { content: 'ls -la' },
    { claims: true, limit: LOG_BODY_MAX_BYTES, freeForm: 'fields' },
  ],
];

const JSON_TYPE = { 'Content-Type': 'application/json' };

describe.each(routes)(
  '%s rejects bad input with a 4xx JSON error',
  (resource, handler, valid, options) => {
    const send = (event: Partial<Parameters<typeof apiEvent>[0]>) =>
      invoke(
        handler,
        apiEvent({ resource, ...(options.claims ? { claims: CALLER_CLAIMS } : {}), ...event }),
      );

    const cases: [string, Parameters<typeof apiEvent>[0], number, string][] = [
      ['malformed JSON', { rawBody: '{"email": "x", ', headers: JSON_TYPE }, 400, 'MalformedJson'],
      [
        'a JSON array',
        { rawBody: JSON.stringify([valid]), headers: JSON_TYPE },
        400,
        'ValidationError',
      ],
      ['JSON null', { rawBody: 'null', headers: JSON_TYPE }, 400, 'ValidationError'],
      [
        'a JSON string',
        { rawBody: JSON.stringify(PASSWORD), headers: JSON_TYPE },
        400,
        'ValidationError',
      ],
      [
        'a form content type',
        {
          rawBody: JSON.stringify(valid),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        },
        415,
        'UnsupportedMediaType',
      ],
      ['no content type', { rawBody: JSON.stringify(valid) }, 415, 'UnsupportedMediaType'],
      [
        'a body over the limit',
        {
          rawBody: JSON.stringify({
            ...valid,
            pad: 'x'.repeat(options.limit ?? AUTH_BODY_MAX_BYTES),
          }),
          headers: JSON_TYPE,
        },
        413,
        'PayloadTooLarge',
      ],
      [
        'a 6 MB body',
        { rawBody: 'x'.repeat(6 * 1024 * 1024), headers: JSON_TYPE },
        413,
        'PayloadTooLarge',
      ],
    ];
    if (!options.optionalBody) {
      cases.push(['no body', { rawBody: null, headers: JSON_TYPE }, 400, 'ValidationError']);
    }
    if (!options.optionalBody && options.freeForm !== 'object') {
      cases.push(['an empty object', { body: {} }, 400, 'ValidationError']);
    }
    if (options.freeForm !== 'object') {
      cases.push(['an extra field', { body: { ...valid, admin: true } }, 400, 'ValidationError']);
    }
    for (const field of options.freeForm ? [] : Object.keys(valid)) {
      cases.push(
        [
          `${field} of the wrong type`,
          { body: { ...valid, [field]: 12345678 } },
          400,
          'ValidationError',
        ],
        [`${field} as null`, { body: { ...valid, [field]: null } }, 400, 'ValidationError'],
        [
          `${field} as an object`,
          { body: { ...valid, [field]: { $ne: '' } } },
          400,
          'ValidationError',
        ],
        [
          `${field} of 100 KB`,
          { body: { ...valid, [field]: 'a'.repeat(100_000) }, headers: JSON_TYPE },
          413,
          'PayloadTooLarge',
        ],
      );
    }

    it.each(cases)('%s → %i %s', async (_name, event, statusCode, error) => {
      const response = await send(event);
      expect(response.statusCode).toBe(statusCode);
      expect(response.body).toEqual(
        expect.objectContaining({ error, message: expect.any(String) }),
      );
      expect(response.headers['Content-Type']).toBe('application/json; charset=utf-8');
      expect(JSON.stringify(response.body)).not.toContain(PASSWORD);
      expect(cognitoMock).not.toHaveReceivedAnyCommand();
      expect(s3Mock).not.toHaveReceivedAnyCommand();
    });
  },
);
