import { randomUUID } from 'node:crypto';
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { handler as deleteAccount } from '../../../../src/handlers/me/delete-account';
import { handler as getMe } from '../../../../src/handlers/me/get-me';
import { readSessionRecord } from '../../../../src/sessions/session-store';
import { endSession } from '../../../../src/sessions/sessions';
import {
  apiEvent,
  CALLER_CLAIMS,
  CLIENT_ID,
  context,
  EMAIL,
  fakeJwt,
  invoke,
  logLines,
  OTHER_ACCESS_TOKEN,
  PASSWORD,
  REAUTH_TOKENS,
} from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';
import { s3Error, s3Mock } from '../s3-mock';

/** A user of their own per test: the session record is per user, and deletion marks it. */
function user() {
  const sub = randomUUID();
  const originJti = randomUUID();
  return {
    sub,
    originJti,
    claims: { ...CALLER_CLAIMS, sub, origin_jti: originJti },
    accessToken: fakeJwt({ sub, token_use: 'access', client_id: CLIENT_ID, username: sub }),
  };
}
type User = ReturnType<typeof user>;

const request = (caller: User, body: unknown = {}, lambdaContext: Context = context) =>
  invoke(
    deleteAccount,
    apiEvent({
      method: 'DELETE',
      resource: '/me',
      claims: caller.claims,
      body: { accessToken: caller.accessToken, password: PASSWORD, ...(body as object) },
    }),
    lambdaContext,
  );
const me = (caller: User) => invoke(getMe, apiEvent({ resource: '/me', claims: caller.claims }));

/** The user's objects: two versions of the profile, a delete marker, a log entry, an export. */
const storedObjects = (sub: string) => ({
  Versions: [
    { Key: `users/${sub}/profile.json`, VersionId: 'v2' },
    { Key: `users/${sub}/profile.json`, VersionId: 'v1' },
    { Key: `users/${sub}/logs/1763712000000abcdef012345`, VersionId: 'v3' },
    { Key: `users/${sub}/exports/2026-11-21.json`, VersionId: 'v4' },
  ],
  DeleteMarkers: [{ Key: `users/${sub}/logs/1763712000000fedcba543210`, VersionId: 'm1' }],
});

/** Cognito and S3 as they answer a deletion that goes through. */
function everythingAnswers(sub: string) {
  cognitoMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: REAUTH_TOKENS });
  cognitoMock.on(RevokeTokenCommand).resolves({});
  cognitoMock.on(AdminGetUserCommand).resolves({ Username: sub });
  cognitoMock.on(AdminDeleteUserCommand).resolves({});
  s3Mock.on(ListObjectVersionsCommand).resolvesOnce(storedObjects(sub)).resolves({});
  s3Mock.on(DeleteObjectsCommand).resolves({});
}

const deletedEverything = (sub: string) => {
  expect(s3Mock).toHaveReceivedCommandWith(ListObjectVersionsCommand, {
    Bucket: 'test-user-data',
    Prefix: `users/${sub}/`,
  });
  const { Versions, DeleteMarkers } = storedObjects(sub);
  expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectsCommand, {
    Bucket: 'test-user-data',
    Delete: {
      Objects: [...Versions, ...DeleteMarkers].map(({ Key, VersionId }) => ({ Key, VersionId })),
      Quiet: true,
    },
  });
  expect(cognitoMock).toHaveReceivedCommandWith(AdminDeleteUserCommand, {
    UserPoolId: 'us-east-1_TestPool1',
    Username: sub,
  });
};

describe('DELETE /me', () => {
  it('checks the password, then deletes every version under the prefix and the user last; 204, cookie expired', async () => {
    const caller = user();
    everythingAnswers(caller.sub);
    const order: string[] = [];
    s3Mock.on(DeleteObjectsCommand).callsFake(() => order.push('data') && {});
    cognitoMock.on(AdminDeleteUserCommand).callsFake(() => order.push('user') && {});
    const response = await request(caller);
    expect(response.statusCode).toBe(204);
    expect(String(response.multiValueHeaders?.['Set-Cookie'])).toMatch(/Max-Age=0/);
    expect(cognitoMock).toHaveReceivedCommandWith(InitiateAuthCommand, {
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: caller.sub, PASSWORD: PASSWORD },
    });
    deletedEverything(caller.sub);
    // The user is deleted after the data, never before (no data outlives its owner).
    expect(order).toEqual(['data', 'user']);
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        securityEvent: 'account-delete',
        outcome: 'success',
        sub: caller.sub,
      }),
    );
  });

  it("refuses the account's tokens everywhere at once, saying it was deleted", async () => {
    const caller = user();
    everythingAnswers(caller.sub);
    expect((await request(caller)).statusCode).toBe(204);
    expect((await readSessionRecord(caller.sub)).deleted).toBe(true);
    expect(await me(caller)).toMatchObject({
      statusCode: 401,
      body: { error: 'Unauthorized', message: expect.stringMatching(/account has been deleted/) },
    });
    // Here too, once the user is gone from the pool: nothing is called, nothing answered but 401.
    cognitoMock.reset();
    s3Mock.reset();
    cognitoMock
      .on(AdminGetUserCommand)
      .rejects(cognitoError('UserNotFoundException', 'User does not exist.'));
    expect(await request(caller)).toMatchObject({
      statusCode: 401,
      body: { message: expect.stringMatching(/account has been deleted/) },
    });
    expect(s3Mock).not.toHaveReceivedAnyCommand();
    expect(cognitoMock).not.toHaveReceivedCommand(InitiateAuthCommand);
  });

  it('refuses a wrong password with 401 and deletes nothing', async () => {
    const caller = user();
    cognitoMock
      .on(InitiateAuthCommand)
      .rejects(cognitoError('NotAuthorizedException', 'Incorrect username or password.'));
    expect(await request(caller, { password: 'not-the-password' })).toMatchObject({
      statusCode: 401,
      body: { error: 'NotAuthorized', message: 'The password is not correct.' },
    });
    expect(s3Mock).not.toHaveReceivedAnyCommand();
    expect(cognitoMock).not.toHaveReceivedCommand(AdminDeleteUserCommand);
    expect((await readSessionRecord(caller.sub)).deleted).toBe(false);
    expect((await me(caller)).statusCode).toBe(200);
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        securityEvent: 'account-delete',
        outcome: 'failure',
        reason: 'NotAuthorized',
      }),
    );
  });

  it("refuses another user's access token (403), and a body without the password (400), calling nothing", async () => {
    const caller = user();
    expect(await request(caller, { accessToken: OTHER_ACCESS_TOKEN })).toMatchObject({
      statusCode: 403,
      body: { error: 'Forbidden' },
    });
    const noPassword = await invoke(
      deleteAccount,
      apiEvent({
        method: 'DELETE',
        resource: '/me',
        claims: caller.claims,
        body: { accessToken: caller.accessToken, email: EMAIL },
      }),
    );
    expect(noPassword).toMatchObject({ statusCode: 400, body: { error: 'ValidationError' } });
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
    expect(s3Mock).not.toHaveReceivedAnyCommand();
  });

  it('answers 503 when S3 fails part-way, keeps the user, and the same request finishes the job', async () => {
    const caller = user();
    everythingAnswers(caller.sub);
    s3Mock.on(DeleteObjectsCommand).rejects(s3Error('InternalError', 500));
    expect(await request(caller)).toMatchObject({
      statusCode: 503,
      body: { error: 'ServiceUnavailable' },
    });
    expect(cognitoMock).not.toHaveReceivedCommand(AdminDeleteUserCommand);
    // Marked deleted: every other route refuses its tokens and says why.
    expect(await me(caller)).toMatchObject({
      statusCode: 401,
      body: { message: expect.stringMatching(/deletion has not finished/) },
    });

    cognitoMock.reset();
    s3Mock.reset();
    everythingAnswers(caller.sub);
    expect((await request(caller)).statusCode).toBe(204);
    // A repeated request still asks for the password, as long as the user exists.
    expect(cognitoMock).toHaveReceivedCommand(InitiateAuthCommand);
    deletedEverything(caller.sub);
  });

  it('answers 503 when Cognito fails to delete the user, after the data; repeating finishes it', async () => {
    const caller = user();
    everythingAnswers(caller.sub);
    cognitoMock
      .on(AdminDeleteUserCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect((await request(caller)).statusCode).toBe(503);
    expect(s3Mock).toHaveReceivedCommand(DeleteObjectsCommand);

    cognitoMock.reset();
    s3Mock.reset();
    cognitoMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: REAUTH_TOKENS });
    cognitoMock.on(RevokeTokenCommand).resolves({});
    cognitoMock.on(AdminGetUserCommand).resolves({ Username: caller.sub });
    // The user was deleted meanwhile (say by an earlier attempt whose answer was lost).
    cognitoMock
      .on(AdminDeleteUserCommand)
      .rejects(cognitoError('UserNotFoundException', 'User does not exist.'));
    s3Mock.on(ListObjectVersionsCommand).resolves({});
    expect((await request(caller)).statusCode).toBe(204);
  });

  it('stops with 503 before a call that would not fit in the time left, and carries on when sent again', async () => {
    const caller = user();
    everythingAnswers(caller.sub);
    const hurried = { ...context, getRemainingTimeInMillis: () => 5_000 } as Context;
    expect(await request(caller, {}, hurried)).toMatchObject({
      statusCode: 503,
      body: {
        error: 'ServiceUnavailable',
        message: expect.stringMatching(/send the same request again/i),
      },
    });
    expect(s3Mock).not.toHaveReceivedAnyCommand();
    expect((await readSessionRecord(caller.sub)).deleted).toBe(true);
    expect((await request(caller)).statusCode).toBe(204);
    deletedEverything(caller.sub);
  });

  it('answers 503 to a repeat when Cognito cannot say whether the user is still there', async () => {
    const caller = user();
    everythingAnswers(caller.sub);
    s3Mock.on(ListObjectVersionsCommand).rejects(s3Error('InternalError', 500));
    expect((await request(caller)).statusCode).toBe(503);
    cognitoMock.reset();
    cognitoMock.on(AdminGetUserCommand).rejects(cognitoError('InternalErrorException'));
    expect(await request(caller)).toMatchObject({
      statusCode: 503,
      body: { error: 'ServiceUnavailable' },
    });
    expect(cognitoMock).not.toHaveReceivedCommand(InitiateAuthCommand);
  });

  it('refuses a token of a session that had ended before, even while a deletion is unfinished', async () => {
    const caller = user();
    everythingAnswers(caller.sub);
    s3Mock.on(ListObjectVersionsCommand).rejects(s3Error('InternalError', 500));
    expect((await request(caller)).statusCode).toBe(503);
    const signedOut = { ...user(), sub: caller.sub };
    signedOut.claims = { ...caller.claims, origin_jti: signedOut.originJti };
    signedOut.accessToken = caller.accessToken;
    await endSession(caller.sub, signedOut.originJti);
    cognitoMock.reset();
    expect((await request(signedOut)).statusCode).toBe(401);
    expect(cognitoMock).not.toHaveReceivedAnyCommand();
  });
});
