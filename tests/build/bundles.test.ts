import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { API_TEMPLATE, loadTemplate, PROJECT_ROOT, samFunctions } from '../../local/template';
import { type BuiltFunction, buildFunctions } from '../../scripts/build';

/**
 * `npm run build` output, run the way Lambda runs it: a fresh node process imports the ESM
 * bundle and calls its handler with each event from events/. Cognito and S3 are stub HTTP
 * servers that answer with canned results and record what was called.
 */

const run = promisify(execFile);
const outRoot = mkdtempSync(path.join(tmpdir(), 'sam-build-'));
const eventsDir = path.join(PROJECT_ROOT, 'events');
const env = JSON.parse(readFileSync(path.join(eventsDir, 'env.json'), 'utf8')).Parameters as Record<
  string,
  string
>;

const CANNED: Record<string, object> = {
  SignUp: {
    UserSub: '5b1f3d2e-8c4a-4f7e-9a61-2d3c4b5a6f70',
    UserConfirmed: false,
    CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', Destination: 'a***@e***' },
  },
  ConfirmSignUp: {},
  ResendConfirmationCode: {
    CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', Destination: 'a***@e***' },
  },
  InitiateAuth: {
    AuthenticationResult: {
      IdToken: 'h.p.s',
      AccessToken: 'h.p.s',
      RefreshToken: 'a.b.c.d.e',
      ExpiresIn: 900,
      TokenType: 'Bearer',
    },
  },
  RespondToAuthChallenge: {
    AuthenticationResult: {
      IdToken: 'h.p.s',
      AccessToken: 'h.p.s',
      RefreshToken: 'a.b.c.d.e',
      ExpiresIn: 900,
      TokenType: 'Bearer',
    },
  },
  ForgotPassword: { CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', Destination: 'a***@e***' } },
  ConfirmForgotPassword: {},
  RevokeToken: {},
  ChangePassword: {},
};

/** The status each event must produce, and the Cognito operation its function calls (if any). */
const EXPECTED: Record<string, [number, string | null]> = {
  'sign-up': [201, 'SignUp'],
  'confirm-sign-up': [200, 'ConfirmSignUp'],
  'resend-code': [202, 'ResendConfirmationCode'],
  'sign-in': [200, 'InitiateAuth'],
  'sign-in-cookie': [200, 'InitiateAuth'],
  'respond-to-challenge': [200, 'RespondToAuthChallenge'],
  'refresh-tokens': [200, 'InitiateAuth'],
  'forgot-password': [202, 'ForgotPassword'],
  'confirm-forgot-password': [200, 'ConfirmForgotPassword'],
  'sign-out': [204, 'RevokeToken'],
  'change-password': [204, 'ChangePassword'],
  'get-me': [200, null],
  'get-public': [200, null],
  'get-protected': [200, null],
  'get-profile': [200, 'S3 GET'],
  'put-profile': [200, 'S3 PUT'],
  'create-log': [201, 'S3 PUT'],
  'create-log-json': [201, 'S3 PUT'],
  'list-logs': [200, 'S3 GET'],
  'get-log': [200, 'S3 GET'],
  'delete-log': [204, 'S3 HEAD,S3 DELETE'],
  preflight: [204, null],
};

/** Just enough of S3's REST API for one call of each kind the store makes. */
function s3Answer(method: string): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  switch (method) {
    case 'GET':
      return { status: 200, headers: { 'Content-Type': 'application/xml' }, body: '' };
    case 'PUT':
      return { status: 200, headers: { ETag: '"etag"' }, body: '' };
    case 'HEAD':
      return { status: 200, headers: { 'Content-Length': '2' }, body: '' };
    default:
      return { status: 204, headers: {}, body: '' };
  }
}

let built: BuiltFunction[] = [];
let stub: Server;
let s3Stub: Server;
let endpoint = '';
let s3Endpoint = '';
const calls: string[] = [];

beforeAll(async () => {
  built = await buildFunctions(outRoot);
  stub = createServer((request, response) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    calls.push(operation);
    request.resume();
    request.on('end', () => {
      const body = CANNED[operation];
      response.writeHead(body ? 200 : 400, { 'Content-Type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body ?? { __type: 'UnknownOperationException' }));
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  s3Stub = createServer((request, response) => {
    const method = request.method ?? 'GET';
    calls.push(`S3 ${method}`);
    request.resume();
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://s3');
      const answer = s3Answer(method);
      const listing = url.searchParams.get('list-type') === '2';
      response.writeHead(answer.status, answer.headers);
      response.end(
        method !== 'GET'
          ? answer.body
          : listing
            ? '<?xml version="1.0"?><ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>'
            : '{"stored":true}',
      );
    });
  });
  await new Promise<void>((resolve) => s3Stub.listen(0, '127.0.0.1', resolve));
  s3Endpoint = `http://127.0.0.1:${(s3Stub.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => stub.close(() => resolve()));
  await new Promise<void>((resolve) => s3Stub.close(() => resolve()));
});

const INVOKE = `
const [bundle, exportName, eventFile] = process.argv.slice(1);
const event = JSON.parse((await import('node:fs')).readFileSync(eventFile, 'utf8'));
const handler = (await import(bundle))[exportName];
const result = await handler(event, { awsRequestId: 'bundle-test', functionName: 'bundle-test', getRemainingTimeInMillis: () => 10000 });
process.stdout.write('\\n@@RESULT@@' + JSON.stringify(result));
`;

describe('bundles from npm run build', () => {
  it('builds one bundle per function of the template', () => {
    const functions = samFunctions(loadTemplate(API_TEMPLATE));
    expect(built.map((fn) => fn.logicalId).sort()).toEqual(
      functions.map((fn) => fn.logicalId).sort(),
    );
    for (const fn of built) expect(fn.bytes).toBeGreaterThan(1000);
  });

  const eventFiles = readdirSync(eventsDir).filter((file) => file !== 'env.json');

  it('has an expectation for every event file', () => {
    expect(eventFiles.map((file) => file.replace(/\.json$/, '')).sort()).toEqual(
      Object.keys(EXPECTED).sort(),
    );
  });

  it.each(eventFiles)(
    'runs on events/%s',
    async (file) => {
      const name = file.replace(/\.json$/, '');
      const [status, operation] = EXPECTED[name] ?? [0, null];
      // events/<handler file>.json, or events/<handler file>-<variant>.json
      const fn = built
        .filter((candidate) => {
          const base = path.basename(candidate.bundle, '.mjs');
          return name === base || name.startsWith(`${base}-`);
        })
        .sort((a, b) => b.bundle.length - a.bundle.length)[0];
      expect(fn).toBeDefined();
      const before = calls.length;
      const { stdout } = await run(
        process.execPath,
        [
          '--enable-source-maps',
          '--input-type=module',
          '-e',
          INVOKE,
          String(fn?.bundle),
          String(fn?.exportName),
          path.join(eventsDir, file),
        ],
        {
          env: {
            PATH: process.env.PATH,
            ...env,
            COGNITO_ENDPOINT: endpoint,
            S3_ENDPOINT: s3Endpoint,
          },
        },
      );
      const result = JSON.parse(stdout.split('@@RESULT@@')[1] ?? 'null');
      expect(result.statusCode).toBe(status);
      expect(calls.slice(before)).toEqual(operation ? operation.split(',') : []);
    },
    30_000,
  );
});
