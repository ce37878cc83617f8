import path from 'node:path';
import { API_TEMPLATE, loadTemplate, PROJECT_ROOT, samFunctions } from '../../../sam/template';
import type { LambdaHandler } from '../../../src/http/handler';
import { endingAll } from '../../../src/sessions/session-record';
import { changeSessionRecord } from '../../../src/sessions/session-store';
import { endSession } from '../../../src/sessions/sessions';
import { AUTH_TIME, apiEvent, CALLER_CLAIMS, invoke, ORIGIN_JTI } from '../fixtures';
import { cognitoMock } from './cognito-mock';
import { s3Mock } from './s3-mock';

/**
 * Every function behind the Cognito authorizer refuses a token whose session has ended, before
 * it does anything else: each is imported from its entry point in template.yaml and invoked
 * with the claims of an ended session. A handler not built on protectedHandler lets them through.
 */

const protectedFunctions = samFunctions(loadTemplate(API_TEMPLATE)).filter((fn) =>
  fn.routes.some((route) => route.authorizer !== 'NONE'),
);

const entryPoint = (entryPoints: unknown) =>
  path.join(PROJECT_ROOT, String((entryPoints as string[])[0]));

let subCounter = 0;
/** Claims of a user of their own, so that ending their sessions touches no other test. */
function claimsOfAnotherUser() {
  subCounter += 1;
  const sub = `00000000-0000-4000-8000-${String(subCounter).padStart(12, '0')}`;
  return { ...CALLER_CLAIMS, sub };
}

describe.each(protectedFunctions.map((fn) => [fn.logicalId, fn] as const))('%s', (_id, fn) => {
  const [route] = fn.routes;
  const call = async (claims: Record<string, string>) => {
    const { handler } = (await import(entryPoint(fn.buildProperties.EntryPoints))) as {
      handler: LambdaHandler;
    };
    return invoke(
      handler,
      apiEvent({
        method: route?.method ?? 'GET',
        resource: route?.path ?? '/',
        claims,
        body: {},
        pathParameters: { id: '1763712000000abcdef012345' },
      }),
    );
  };
  const ended = {
    statusCode: 401,
    body: { error: 'Unauthorized', message: expect.stringMatching(/session has ended/) },
  };

  it('refuses a token of a session signed out everywhere, touching nothing else', async () => {
    const claims = claimsOfAnotherUser();
    // What a sign-out everywhere writes (without waiting, as it does, for the next second).
    await changeSessionRecord(claims.sub, (record) =>
      endingAll(record, { nowMs: Date.now(), horizonSeconds: 60 }),
    );
    expect(await call(claims)).toMatchObject(ended);
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
    expect(s3Mock).not.toHaveReceivedAnyCommand();
  });

  it('refuses a token of a session signed out on its own', async () => {
    const claims = claimsOfAnotherUser();
    await endSession(claims.sub, ORIGIN_JTI);
    expect(await call(claims)).toMatchObject(ended);
  });

  it('lets a token of a session that goes on reach the route', async () => {
    const response = await call({ ...claimsOfAnotherUser(), auth_time: String(AUTH_TIME) });
    expect(response.statusCode).not.toBe(401);
  });
});

it('covers every protected route of the template', () => {
  expect(protectedFunctions.map((fn) => fn.logicalId).sort()).toEqual(
    [
      'ChangeEmailFunction',
      'ChangePasswordFunction',
      'CreateLogFunction',
      'DeleteAccountFunction',
      'DeleteLogFunction',
      'DisableMfaFunction',
      'EnrolTotpFunction',
      'ExportDataFunction',
      'GetLogFunction',
      'GetMeFunction',
      'GetProfileFunction',
      'GetProtectedFunction',
      'ListLogsFunction',
      'PutProfileFunction',
      'SignOutAllFunction',
      'VerifyEmailFunction',
      'VerifyTotpFunction',
    ].sort(),
  );
});
