import { execFile } from 'node:child_process';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type BuiltFunction, buildFunctions } from '../../sam/build';
import { API_TEMPLATE, loadTemplate, samFunctions } from '../../sam/template';
import {
  deployedEvent,
  deployedInvokeEnvironments,
  ENV_FILE,
  EVENTS_DIR,
  type InvokeEnvironments,
} from '../../scripts/sam-local-env';
import { FUNCTION_VARIABLES } from '../../src/config';

/**
 * `npm run build` output, run as `sam local invoke -e events/<event>.json --env-vars
 * events/env.json` runs it: a fresh node process with the function's section of env.json and
 * what Lambda itself sets, nothing else, imports the ESM bundle and calls its handler. Cognito
 * and S3 are stub HTTP servers that answer with canned results and record what was called.
 * Each process also records which variables the code reads, to hold template.yaml to giving
 * each function exactly what it reads, and the stubs record which calls are signed and with
 * whose credentials.
 */

const run = promisify(execFile);
const outRoot = mkdtempSync(path.join(tmpdir(), 'sam-build-'));
const envJson = JSON.parse(readFileSync(ENV_FILE, 'utf8')) as InvokeEnvironments;
const template = loadTemplate(API_TEMPLATE);

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An ID token as Cognito issues it, as far as the functions read one they were just given. */
const ISSUED_ID_TOKEN = `${base64url({ alg: 'RS256', kid: 'k' })}.${base64url({
  sub: '5b1f3d2e-8c4a-4f7e-9a61-2d3c4b5a6f70',
  token_use: 'id',
  origin_jti: '8c1e4f2a-6b3d-4a5e-9f70-1d2c3b4a5e6f',
  auth_time: 1_763_712_000,
})}.c2lnbmF0dXJl`;
const TOKENS = {
  AuthenticationResult: {
    IdToken: ISSUED_ID_TOKEN,
    AccessToken: 'h.p.s',
    RefreshToken: 'a.b.c.d.e',
    ExpiresIn: 900,
    TokenType: 'Bearer',
  },
};
const DELIVERY = { CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', Destination: 'a***@e***' } };
const SUB = '5b1f3d2e-8c4a-4f7e-9a61-2d3c4b5a6f70';
const SESSION = 'AYABeC0mP2Yx7example-session-of-the-next-step';
const ATTRIBUTES = [
  { Name: 'sub', Value: SUB },
  { Name: 'email', Value: 'ada.lovelace@example.org' },
  { Name: 'email_verified', Value: 'true' },
];
const CANNED: Record<string, object> = {
  SignUp: { UserSub: SUB, UserConfirmed: false, ...DELIVERY },
  ConfirmSignUp: {},
  ResendConfirmationCode: DELIVERY,
  InitiateAuth: TOKENS,
  RespondToAuthChallenge: TOKENS,
  ForgotPassword: DELIVERY,
  ConfirmForgotPassword: {},
  RevokeToken: {},
  ChangePassword: {},
  GlobalSignOut: {},
  AdminUserGlobalSignOut: {},
  DescribeUserPool: {
    UserPool: { Policies: { PasswordPolicy: { MinimumLength: 14, RequireNumbers: true } } },
  },
  AssociateSoftwareToken: { SecretCode: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', Session: SESSION },
  VerifySoftwareToken: { Status: 'SUCCESS' },
  SetUserMFAPreference: {},
  GetUserPoolMfaConfig: {
    MfaConfiguration: 'OPTIONAL',
    SoftwareTokenMfaConfiguration: { Enabled: true },
  },
  UpdateUserAttributes: {
    CodeDeliveryDetailsList: [
      { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'a***@e***' },
    ],
  },
  VerifyUserAttribute: {},
  GetUser: { Username: SUB, UserAttributes: ATTRIBUTES },
  AdminGetUser: { Username: SUB, UserAttributes: ATTRIBUTES, UserCreateDate: 1763712000 },
  AdminDeleteUser: {},
};
/** The operations whose call refuses a weak password, as the stub that refuses them says so. */
const SETS_A_PASSWORD = [
  'SignUp',
  'RespondToAuthChallenge',
  'ConfirmForgotPassword',
  'ChangePassword',
];

/**
 * The status each event must produce, and the calls its function makes (if any): Cognito's,
 * then DynamoDB's (the session record), then S3's.
 */
const EXPECTED: Record<string, [number, string | null]> = {
  'sign-up': [201, 'SignUp'],
  'confirm-sign-up': [200, 'ConfirmSignUp'],
  'resend-code': [202, 'ResendConfirmationCode'],
  'sign-in': [200, 'InitiateAuth'],
  'sign-in-cookie': [200, 'InitiateAuth'],
  'respond-to-challenge': [200, 'RespondToAuthChallenge'],
  'respond-to-challenge-cookie': [200, 'RespondToAuthChallenge'],
  'refresh-tokens': [200, 'InitiateAuth,GetItem'],
  'forgot-password': [202, 'ForgotPassword'],
  'confirm-forgot-password': [
    200,
    'ConfirmForgotPassword,AdminGetUser,AdminUserGlobalSignOut,GetItem,PutItem',
  ],
  'sign-out': [204, 'RevokeToken'],
  'sign-out-all': [204, 'GlobalSignOut,GetItem,GetItem,PutItem'],
  'change-password': [204, 'ChangePassword,GetItem,GetItem,PutItem'],
  'get-me': [200, 'GetItem'],
  'get-public': [200, null],
  'get-protected': [200, 'GetItem'],
  'get-profile': [200, 'GetItem,S3 GET'],
  'put-profile': [200, 'GetItem,S3 PUT'],
  'create-log': [201, 'GetItem,S3 PUT'],
  'create-log-json': [201, 'GetItem,S3 PUT'],
  'list-logs': [200, 'GetItem,S3 GET'],
  'get-log': [200, 'GetItem,S3 GET'],
  'delete-log': [204, 'GetItem,S3 HEAD,S3 DELETE'],
  'respond-to-challenge-mfa-setup': [200, 'AssociateSoftwareToken'],
  'enrol-totp': [200, 'AssociateSoftwareToken,GetItem'],
  'verify-totp': [200, 'VerifySoftwareToken,SetUserMFAPreference,GetItem'],
  'disable-mfa': [
    200,
    'GetUserPoolMfaConfig,InitiateAuth,RevokeToken,SetUserMFAPreference,GetItem,GetItem,PutItem',
  ],
  'change-email': [202, 'InitiateAuth,RevokeToken,UpdateUserAttributes,GetItem,GetItem,PutItem'],
  'verify-email': [200, 'VerifyUserAttribute,GetUser,GetItem'],
  'export-data': [200, 'AdminGetUser,GetItem,S3 GET,S3 GET,S3 PUT'],
  // The stub's bucket is empty: one listing (S3_ENDPOINT set: the local stack's, without versions).
  'delete-account': [
    204,
    'InitiateAuth,RevokeToken,AdminDeleteUser,GetItem,GetItem,PutItem,GetItem,PutItem,S3 GET',
  ],
  preflight: [204, null],
};

/** Just enough of S3's REST API for one call of each kind the store makes. */
function s3Answer(method: string, url: URL): { status: number; headers: object; body: string } {
  switch (method) {
    case 'GET':
      return url.searchParams.get('list-type') === '2'
        ? {
            status: 200,
            headers: { 'Content-Type': 'application/xml' },
            body: '<?xml version="1.0"?><ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>',
          }
        : { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"stored":true}' };
    case 'PUT':
      return { status: 200, headers: { ETag: '"etag"' }, body: '' };
    case 'HEAD':
      return { status: 200, headers: { 'Content-Length': '2' }, body: '' };
    default:
      return { status: 204, headers: {}, body: '' };
  }
}

interface Stub {
  server: Server;
  url: string;
  calls: string[];
  /** For each call, the access key id it is signed with, or `unsigned`. */
  signers: string[];
}

/** The access key id of a SigV4 Authorization header (`… Credential=<key id>/<scope>, …`). */
const signerOf = (authorization: string | undefined) =>
  authorization === undefined
    ? 'unsigned'
    : (/^AWS4-HMAC-SHA256 Credential=([^/]+)\//.exec(authorization)?.[1] ?? 'malformed');

async function stub(
  answer: (
    request: string,
    url: URL,
    method: string,
  ) => { status: number; headers: object; body: string },
): Promise<Stub> {
  const calls: string[] = [];
  const signers: string[] = [];
  const server = createServer((request, response) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1];
    const url = new URL(request.url ?? '/', 'http://stub');
    calls.push(operation ?? `S3 ${request.method}`);
    signers.push(signerOf(request.headers.authorization));
    request.resume();
    request.on('end', () => {
      const { status, headers, body } = answer(operation ?? '', url, request.method ?? 'GET');
      response.writeHead(status, headers as Record<string, string>);
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    signers,
  };
}

const cognitoAnswer = (refusePasswords: boolean) => (operation: string) => {
  const refused = refusePasswords && SETS_A_PASSWORD.includes(operation);
  const body = refused
    ? { __type: 'InvalidPasswordException', message: 'Password did not conform with policy' }
    : (CANNED[operation] ?? { __type: 'UnknownOperationException' });
  return {
    status: refused || !CANNED[operation] ? 400 : 200,
    headers: { 'Content-Type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
  };
};

// Records every variable the code reads (process.env is replaced before the bundle loads).
const INVOKE = `
const read = new Set();
const env = process.env;
process.env = new Proxy(env, {
  get: (target, key) => (typeof key === 'string' && read.add(key), Reflect.get(target, key)),
  has: (target, key) => (typeof key === 'string' && read.add(key), Reflect.has(target, key)),
});
const [bundle, exportName, eventFile] = process.argv.slice(1);
const event = JSON.parse((await import('node:fs')).readFileSync(eventFile, 'utf8'));
const handler = (await import(bundle))[exportName];
const result = await handler(event, { awsRequestId: 'bundle-test', functionName: 'bundle-test', getRemainingTimeInMillis: () => 10000 });
process.stdout.write('\\n@@RESULT@@' + JSON.stringify({ result, read: [...read] }));
`;

interface Invocation {
  statusCode: number;
  body: string;
  calls: string[];
  /** `<call> by <signer>` for each call, as signerOf reads it. */
  signedCalls: string[];
  read: string[];
  /** What the function logged (Powertools' JSON lines, errors on stderr). */
  log: string;
}

let built: BuiltFunction[] = [];
let cognito: Stub;
let refusingCognito: Stub;
let s3: Stub;
let dynamoDb: Stub;

/** An empty table: every session goes on; writes succeed. */
const dynamoDbAnswer = () => ({
  status: 200,
  headers: { 'Content-Type': 'application/x-amz-json-1.0' },
  body: '{}',
});

beforeAll(async () => {
  [built, cognito, refusingCognito, s3, dynamoDb] = await Promise.all([
    buildFunctions(outRoot),
    stub(cognitoAnswer(false)),
    stub(cognitoAnswer(true)),
    stub((_operation, url, method) => s3Answer(method, url)),
    stub(dynamoDbAnswer),
  ]);
}, 60_000);

afterAll(async () => {
  for (const { server } of [cognito, refusingCognito, s3, dynamoDb])
    await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** events/<handler file>.json, or events/<handler file>-<variant>.json */
const functionOf = (event: string) =>
  built
    .filter((candidate) => {
      const base = path.basename(candidate.bundle).replace(/\.[cm]?js$/, '');
      return event === base || event.startsWith(`${base}-`);
    })
    .sort((a, b) => b.bundle.length - a.bundle.length)[0];

/** The credentials Lambda gives every function in its environment (here, s3rver's). */
const LAMBDA_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

async function invoke(
  fn: BuiltFunction,
  event: string,
  cognitoStub: Stub,
  {
    sections = envJson,
    eventsDir = EVENTS_DIR,
    credentials = LAMBDA_CREDENTIALS as Record<string, string>,
    jwksUri,
  }: {
    sections?: InvokeEnvironments;
    eventsDir?: string;
    credentials?: Record<string, string>;
    jwksUri?: string;
  } = {},
): Promise<Invocation> {
  const before = {
    cognito: cognitoStub.calls.length,
    dynamoDb: dynamoDb.calls.length,
    s3: s3.calls.length,
  };
  const declared = { ...sections[fn.logicalId] };
  if ('COGNITO_ENDPOINT' in declared) declared.COGNITO_ENDPOINT = cognitoStub.url;
  if ('S3_ENDPOINT' in declared) declared.S3_ENDPOINT = s3.url;
  if ('DYNAMODB_ENDPOINT' in declared) declared.DYNAMODB_ENDPOINT = dynamoDb.url;
  if ('COGNITO_JWKS_URI' in declared)
    declared.COGNITO_JWKS_URI = jwksUri ?? `${cognitoStub.url}/jwks`;
  const { stdout, stderr } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      INVOKE,
      fn.bundle,
      fn.exportName,
      path.join(eventsDir, `${event}.json`),
    ],
    {
      env: {
        PATH: String(process.env.PATH),
        // What Lambda (and sam local invoke) sets for every function.
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        ...credentials,
        AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
        ...declared,
      },
    },
  );
  const [logged = '', output] = stdout.split('@@RESULT@@');
  const { result, read } = JSON.parse(output ?? 'null') as {
    result: { statusCode: number; body?: string };
    read: string[];
  };
  const made = (stub: Stub, from: number) =>
    stub.calls.slice(from).map((call, index) => `${call} by ${stub.signers[from + index]}`);
  const signedCalls = [
    ...made(cognitoStub, before.cognito),
    ...made(dynamoDb, before.dynamoDb),
    ...made(s3, before.s3),
  ];
  return {
    statusCode: result.statusCode,
    body: result.body ?? '',
    calls: signedCalls.map((call) => call.slice(0, call.lastIndexOf(' by '))),
    signedCalls,
    read,
    log: logged + stderr,
  };
}

const eventFiles = readdirSync(EVENTS_DIR)
  .filter((file) => file !== 'env.json')
  .map((file) => file.replace(/\.json$/, ''));
/** What each function read, over every event it ran. */
const reads = new Map<string, Set<string>>();
/** Every call the functions made with Lambda's credentials, and who signed it. */
const signedCalls = new Set<string>();
const remember = (fn: BuiltFunction, invocation: Invocation) => {
  const seen = reads.get(fn.logicalId) ?? new Set<string>();
  for (const name of invocation.read) seen.add(name);
  reads.set(fn.logicalId, seen);
  for (const call of invocation.signedCalls) signedCalls.add(call);
};

describe('bundles from npm run build, invoked with events/env.json', () => {
  it('builds one bundle per function of the template', () => {
    expect(built.map((fn) => fn.logicalId).sort()).toEqual(
      samFunctions(template)
        .map((fn) => fn.logicalId)
        .sort(),
    );
    for (const fn of built) expect(fn.bytes).toBeGreaterThan(1000);
  });

  it('deploys nothing but the bundle and its chunks: no sources, no .git, no node_modules (OWASP ASVS 13.4.1)', () => {
    for (const fn of built) {
      const names = fn.files.map(({ file }) => path.basename(file));
      expect(names[0]).toBe(path.basename(fn.bundle));
      expect(names.filter((name) => !name.endsWith('.mjs'))).toEqual([]);
      expect(readdirSync(path.dirname(fn.bundle)).sort()).toEqual(names.sort());
    }
  });

  it('has an expectation for every event file', () => {
    expect([...eventFiles].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(eventFiles)(
    'answers events/%s.json with its status, having made exactly its Cognito and S3 calls',
    async (event) => {
      const [status, calls] = EXPECTED[event] ?? [0, null];
      const fn = functionOf(event);
      if (!fn) throw new Error(`no function for events/${event}.json`);
      const invocation = await invoke(fn, event, cognito);
      remember(fn, invocation);
      expect({ status: invocation.statusCode, calls: invocation.calls }).toEqual({
        status,
        calls: calls ? calls.split(',') : [],
      });
    },
    30_000,
  );

  // The functions IAM lets read the pool (to describe its password policy).
  const describers = samFunctions(template)
    .filter((fn) =>
      JSON.stringify(template.Resources[fn.logicalId]).includes('cognito-idp:DescribeUserPool'),
    )
    .map((fn) => fn.logicalId);

  it.each(describers)(
    '%s says what the policy wants when Cognito refuses the password',
    async (logicalId) => {
      const fn = built.find((candidate) => candidate.logicalId === logicalId);
      // The function's own event (events/<handler file>.json), which sets a password.
      const event = eventFiles.find(
        (name) => fn && name === path.basename(fn.bundle).replace(/\.[cm]?js$/, ''),
      );
      if (!fn || !event) throw new Error(`no event for ${logicalId}`);
      const invocation = await invoke(fn, event, refusingCognito);
      remember(fn, invocation);
      expect(invocation.statusCode).toBe(400);
      expect(JSON.parse(invocation.body)).toEqual({
        error: 'InvalidPassword',
        message:
          'The password does not meet the policy. Use at least 14 characters, with a number.',
      });
      // Cognito's calls come first in `calls`; the session record's, if any, after them.
      expect(
        invocation.calls.filter((call) => /^[A-Z]/.test(call) && !call.endsWith('Item')).at(-1),
      ).toBe('DescribeUserPool');
    },
    30_000,
  );
});

describe('the common-password list: loaded only when a password is checked', () => {
  const LIST = 'src/auth/common-passwords.generated.ts';
  const CHECKERS = [
    'SignUpFunction',
    'RespondToChallengeFunction',
    'ChangePasswordFunction',
    'ConfirmForgotPasswordFunction',
  ];
  /** The files of a function that hold the list, and whether each loads with the function. */
  const holders = (fn: BuiltFunction) =>
    Object.entries(fn.metafile.outputs)
      .filter(([, output]) => LIST in output.inputs)
      .map(([name]) => {
        const file = fn.files.find(
          (candidate) => path.basename(candidate.file) === path.basename(name),
        );
        return { name: path.basename(name), atInit: file?.atInit };
      });

  it.each(CHECKERS)(
    '%s: the list is a chunk of its own, not loaded with the function',
    (logicalId) => {
      const fn = built.find((candidate) => candidate.logicalId === logicalId);
      if (!fn) throw new Error(`${logicalId} was not built`);
      const held = holders(fn);
      expect(held).toEqual([
        { name: expect.stringMatching(/^common-passwords\.generated-\w+\.mjs$/), atInit: false },
      ]);
      const chunk = Object.entries(fn.metafile.outputs).find(
        ([name]) => path.basename(name) === held[0]?.name,
      )?.[1];
      expect(Object.keys(chunk?.inputs ?? {})).toEqual([LIST]);
      for (const file of fn.files.filter(({ atInit }) => atInit))
        expect(readFileSync(file.file, 'utf8')).not.toContain('qwerty123456');
    },
  );

  it('is in no other function', () => {
    expect(
      built
        .filter((fn) => !CHECKERS.includes(fn.logicalId) && holders(fn).length > 0)
        .map((fn) => fn.logicalId),
    ).toEqual([]);
  });

  const signUp = () => {
    const fn = functionOf('sign-up');
    if (!fn) throw new Error('no function for events/sign-up.json');
    return fn;
  };
  /** events/sign-up.json with another body, in a folder of its own. */
  const signUpEvent = (body: object) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sign-up-event-'));
    const event = JSON.parse(readFileSync(path.join(EVENTS_DIR, 'sign-up.json'), 'utf8'));
    event.body = JSON.stringify(body);
    writeFileSync(path.join(dir, 'sign-up.json'), JSON.stringify(event));
    return dir;
  };

  it('refuses a common password in the bundle, before calling Cognito', async () => {
    const eventsDir = signUpEvent({ email: 'ada@example.com', password: 'Qwerty123456' });
    const invocation = await invoke(signUp(), 'sign-up', cognito, { eventsDir });
    expect({ status: invocation.statusCode, calls: invocation.calls }).toEqual({
      status: 400,
      calls: [],
    });
    expect(JSON.parse(invocation.body).error).toBe('InvalidPassword');
  }, 30_000);

  // The same function without the list's chunk: it starts and answers what stops before the
  // check, and fails only where it checks a password.
  it('is read from its chunk at the first check, not before', async () => {
    const fn = signUp();
    const dir = mkdtempSync(path.join(tmpdir(), 'sign-up-without-list-'));
    for (const file of fn.files)
      if (!holders(fn).some(({ name }) => name === path.basename(file.file)))
        copyFileSync(file.file, path.join(dir, path.basename(file.file)));
    const withoutList = { ...fn, bundle: path.join(dir, path.basename(fn.bundle)) };

    const invalid = await invoke(withoutList, 'sign-up', cognito, {
      eventsDir: signUpEvent({ email: 'not an address', password: 'correct-horse-battery-staple' }),
    });
    expect(JSON.parse(invalid.body).error).toBe('ValidationError');
    const checked = await invoke(withoutList, 'sign-up', cognito);
    expect({ status: checked.statusCode, calls: checked.calls }).toEqual({
      status: 500,
      calls: [],
    });
    expect(checked.log).toContain('common-passwords.generated');
  }, 30_000);
});

describe("sign-out with the session's ID token, verified against the pool's keys", () => {
  // COGNITO_JWKS_URI stands in for Cognito's JWKS, as the local stack sets it.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let jwks: Server;
  let jwksUri = '';
  beforeAll(async () => {
    const keys = {
      keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }],
    };
    jwks = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(keys));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUri = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

  it('ends the session: the refresh token revoked, and the record written', async () => {
    const fn = functionOf('sign-out');
    const section = envJson.SignOutFunction ?? {};
    if (!fn) throw new Error('no sign-out function');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${base64url({ alg: 'RS256', kid: 'k1' })}.${base64url({
      sub: '5b1f3d2e-8c4a-4f7e-9a61-2d3c4b5a6f70',
      iss: `https://cognito-idp.us-east-1.amazonaws.com/${section.USER_POOL_ID}`,
      aud: section.USER_POOL_CLIENT_ID,
      token_use: 'id',
      origin_jti: '8c1e4f2a-6b3d-4a5e-9f70-1d2c3b4a5e6f',
      auth_time: now,
      iat: now,
      exp: now + 900,
    })}`;
    const token = `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey, 'base64url')}`;
    const dir = mkdtempSync(path.join(tmpdir(), 'sign-out-event-'));
    const event = JSON.parse(readFileSync(path.join(EVENTS_DIR, 'sign-out.json'), 'utf8'));
    event.headers.Authorization = `Bearer ${token}`;
    writeFileSync(path.join(dir, 'sign-out.json'), JSON.stringify(event));
    const invocation = await invoke(fn, 'sign-out', cognito, { eventsDir: dir, jwksUri });
    remember(fn, invocation);
    expect({ status: invocation.statusCode, calls: invocation.calls }).toEqual({
      status: 204,
      calls: ['RevokeToken', 'GetItem', 'PutItem'],
    });
  }, 30_000);
});

describe("credentials: Lambda's, from the environment, for signed calls only", () => {
  const key = LAMBDA_CREDENTIALS.AWS_ACCESS_KEY_ID;
  /**
   * The calls that need the function's credentials: Cognito's admin operations,
   * DescribeUserPool and GetUserPoolMfaConfig (every other Cognito operation the API calls is
   * unsigned: the SDK's auth scheme for it is noAuth), the session record's (DynamoDB, signed
   * by the SDK's signer from the same variables) and every S3 call.
   */
  const SIGNED = /^(Admin\w+|DescribeUserPool|GetUserPoolMfaConfig|GetItem|PutItem|S3 \w+)$/;

  it('sign the admin operations, DescribeUserPool, the session record and S3 with them, and no other call', () => {
    const calls = [...signedCalls].sort();
    const signed = (call: string) => SIGNED.test(call.slice(0, call.lastIndexOf(' by ')));
    expect(
      calls.filter((call) => !call.endsWith(signed(call) ? ` by ${key}` : ' by unsigned')),
    ).toEqual([]);
    expect(calls).toEqual(
      expect.arrayContaining([
        'InitiateAuth by unsigned',
        'ChangePassword by unsigned',
        'GlobalSignOut by unsigned',
        'RevokeToken by unsigned',
        `DescribeUserPool by ${key}`,
        `AdminGetUser by ${key}`,
        `AdminUserGlobalSignOut by ${key}`,
        `GetItem by ${key}`,
        `PutItem by ${key}`,
        `S3 PUT by ${key}`,
        `S3 GET by ${key}`,
      ]),
    );
  });

  // Functions that call only unsigned operations never look for credentials.
  const unsignedOnly = eventFiles.filter((event) => {
    const calls = EXPECTED[event]?.[1];
    return calls?.split(',').every((call) => !SIGNED.test(call));
  });

  it('are not needed by some events at all', () => {
    expect(unsignedOnly).toEqual(expect.arrayContaining(['sign-up', 'forgot-password']));
  });

  it.each(unsignedOnly)(
    'are not needed by events/%s.json',
    async (event) => {
      const fn = functionOf(event);
      if (!fn) throw new Error(`no function for events/${event}.json`);
      const invocation = await invoke(fn, event, cognito, { credentials: {} });
      const [status, calls] = EXPECTED[event] ?? [0, null];
      expect({ status: invocation.statusCode, calls: invocation.calls }).toEqual({
        status,
        calls: calls ? calls.split(',') : [],
      });
    },
    30_000,
  );

  // Without credentials the session check is still signed (with an empty key); DynamoDB
  // would refuse it, the stub does not look. What matters here is what the SDK does.
  it('when missing, make a storage function fail at once, saying why, without calling S3', async () => {
    const fn = functionOf('create-log');
    if (!fn) throw new Error('no function for events/create-log.json');
    const invocation = await invoke(fn, 'create-log', cognito, { credentials: {} });
    expect(invocation.statusCode).toBe(500);
    expect(invocation.calls).toEqual(['GetItem']);
    expect(invocation.log).toContain('"s3Error":"MissingEnvironmentCredentialsError"');
  }, 30_000);

  it('when missing, leave a refused password a 400 without reading the pool', async () => {
    const fn = functionOf('change-password');
    if (!fn) throw new Error('no function for events/change-password.json');
    const invocation = await invoke(fn, 'change-password', refusingCognito, { credentials: {} });
    expect(invocation.statusCode).toBe(400);
    expect(invocation.calls).toEqual(['ChangePassword', 'GetItem']);
    expect(invocation.log).toContain('"cause":"MissingEnvironmentCredentialsError"');
  }, 30_000);
});

describe('events for a deployed stack (scripts/sam-local-env.ts --out)', () => {
  // What README says to run against a deployed pool: its env.json and events, whose claims
  // must name the deployed client, since the functions accept only its ID tokens.
  const stack = {
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_AbC123xyz',
    clientId: 'deployedclient0000000000001',
    bucket: 'cognito-password-auth-api-dev-userdatabucket-abc123',
    sessionsTable: 'cognito-password-auth-dev-SessionsTable-ABC123',
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'deployed-events-'));

  it.each(['get-me', 'get-protected'])(
    '%s answers 200 with them',
    async (event) => {
      const fn = functionOf(event);
      if (!fn) throw new Error(`no function for ${event}`);
      const original = JSON.parse(readFileSync(path.join(EVENTS_DIR, `${event}.json`), 'utf8'));
      writeFileSync(
        path.join(dir, `${event}.json`),
        JSON.stringify(deployedEvent(original, stack)),
      );
      const sections = deployedInvokeEnvironments(envJson, stack);
      expect(sections[fn.logicalId]?.USER_POOL_CLIENT_ID).toBe(stack.clientId);
      expect((await invoke(fn, event, cognito, { sections, eventsDir: dir })).statusCode).toBe(200);
      // The local events, with the local client in their claims, are refused by it.
      const local = { ...sections, [fn.logicalId]: { ...sections[fn.logicalId] } };
      expect((await invoke(fn, event, cognito, { sections: local })).statusCode).toBe(401);
    },
    30_000,
  );

  it('point the functions at AWS: no endpoint override is left', () => {
    const sections = deployedInvokeEnvironments(envJson, stack);
    for (const section of Object.values(sections)) {
      expect(section.COGNITO_ENDPOINT ?? '').toBe('');
      expect(section.S3_ENDPOINT ?? '').toBe('');
    }
    expect(sections.GetProfileFunction?.USER_DATA_BUCKET).toBe(stack.bucket);
    expect(sections.SignUpFunction?.USER_POOL_ID).toBe(stack.userPoolId);
  });
});

describe('template.yaml gives each function exactly the variables its code reads', () => {
  // Lambda sets AWS_REGION itself; a template may not declare it.
  const mayDeclare = FUNCTION_VARIABLES.filter((name) => name !== 'AWS_REGION');

  it.each(samFunctions(template).map((fn) => [fn.logicalId, fn] as const))(
    '%s declares no variable it never reads and reads none it does not declare',
    (logicalId, fn) => {
      const read = reads.get(logicalId);
      if (!read) throw new Error(`${logicalId} ran no event`);
      const declared = Object.keys(fn.environment);
      expect({
        declaredButNeverRead: declared.filter((name) => !read.has(name)),
        readButNotDeclared: mayDeclare.filter((name) => read.has(name) && !declared.includes(name)),
      }).toEqual({ declaredButNeverRead: [], readButNotDeclared: [] });
    },
  );
});
