import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { handler } from '../../../../src/handlers/me/export-data';
import { newLogId } from '../../../../src/storage/log-ids';
import { apiEvent, CALLER_CLAIMS, EMAIL, invoke, SUB } from '../../fixtures';
import { cognitoError, cognitoMock } from '../cognito-mock';
import { objectBody, s3Error, s3Mock } from '../s3-mock';

const exportData = (options: Parameters<typeof apiEvent>[0] = {}) =>
  invoke(
    handler,
    apiEvent({ resource: '/me/export', method: 'POST', claims: CALLER_CLAIMS, ...options }),
  );

describe('POST /me/export', () => {
  const [newer, older] = [newLogId(Date.now()), newLogId(Date.now() - 1000)];
  const storedData = () => {
    cognitoMock.on(AdminGetUserCommand).resolves({
      Username: SUB,
      UserCreateDate: new Date('2026-01-02T03:04:05.000Z'),
      UserAttributes: [
        { Name: 'email', Value: EMAIL },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    s3Mock
      .on(GetObjectCommand, { Key: `users/${SUB}/profile.json` })
      .resolves({ Body: objectBody('{"theme":"dark"}') })
      .on(GetObjectCommand, { Key: `users/${SUB}/logs/${newer}` })
      .resolves({ Body: objectBody('"newer"') })
      .on(GetObjectCommand, { Key: `users/${SUB}/logs/${older}` })
      .resolves({ Body: objectBody('{"n":1}') });
    s3Mock.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: `users/${SUB}/logs/${newer}` }, { Key: `users/${SUB}/logs/${older}` }],
    });
    s3Mock.on(PutObjectCommand).resolves({});
  };

  it("writes one document under the caller's exports/ and answers a presigned link for 15 minutes", async () => {
    storedData();
    const response = await exportData();
    expect(response.statusCode).toBe(200);
    const put = s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put?.Key).toMatch(new RegExp(`^users/${SUB}/exports/[0-9TZ-]+-[0-9a-f]{8}\\.json$`));
    expect(put?.ContentDisposition).toBe('attachment; filename="my-data.json"');
    expect(JSON.parse(String(put?.Body))).toEqual({
      exportedAt: expect.any(String),
      account: {
        sub: SUB,
        email: EMAIL,
        emailVerified: true,
        createdAt: '2026-01-02T03:04:05.000Z',
      },
      profile: { theme: 'dark' },
      logs: [
        { id: newer, createdAt: expect.any(String), content: 'newer' },
        { id: older, createdAt: expect.any(String), content: { n: 1 } },
      ],
    });
    expect(cognitoMock).toHaveReceivedCommandWith(AdminGetUserCommand, {
      UserPoolId: 'us-east-1_TestPool1',
      Username: SUB,
    });
    const url = new URL(String(response.body.url));
    expect(url.pathname).toContain(`/users/${SUB}/exports/`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(Date.parse(String(response.body.expiresAt)) - Date.now()).toBeGreaterThan(890_000);
  });

  it('answers 503 when S3 or Cognito is down, and writes nothing', async () => {
    storedData();
    s3Mock.on(ListObjectsV2Command).rejects(s3Error('ServiceUnavailable', 503));
    expect(await exportData()).toMatchObject({
      statusCode: 503,
      body: { error: 'ServiceUnavailable' },
    });
    storedData();
    cognitoMock.on(AdminGetUserCommand).rejects(cognitoError('InternalErrorException', 'x', 500));
    expect((await exportData()).statusCode).toBe(503);
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('takes an empty JSON object as well as no body, and refuses any field', async () => {
    storedData();
    expect((await exportData({ body: {} })).statusCode).toBe(200);
    expect(await exportData({ body: { all: true } })).toMatchObject({
      statusCode: 400,
      body: { details: [{ path: 'all' }] },
    });
  });

  it('answers 401 without authorizer claims', async () => {
    expect(
      (await invoke(handler, apiEvent({ resource: '/me/export', method: 'POST' }))).statusCode,
    ).toBe(401);
  });
});
