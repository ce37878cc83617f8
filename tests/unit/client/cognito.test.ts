import {
  CognitoRefusedError,
  CognitoUnavailableError,
  callCognito,
  callCognitoOrFail,
  cognitoSignIn,
  SignInError,
} from '../../../client/cognito';
import { type StubRequest, stubServer } from './stub-server';

let cognito: Awaited<ReturnType<typeof stubServer>>;
beforeAll(async () => {
  cognito = await stubServer();
});
beforeEach(() => {
  cognito.requests.length = 0;
});
afterAll(() => cognito.close());

const PASSWORD = 'pass-phrase-never-shown';
const settings = () => ({
  cognitoEndpoint: cognito.url,
  userPoolClientId: 'client-1',
  username: 'ada@example.com',
  password: PASSWORD,
});

describe('callCognito', () => {
  it("speaks Cognito's JSON 1.1 protocol: POST /, the operation in X-Amz-Target, a JSON body", async () => {
    cognito.answer = () => ({ status: 200, body: { UserSub: 'sub-1', UserConfirmed: false } });
    const answer = await callCognito(cognito.url, 'SignUp', {
      ClientId: 'client-1',
      Username: 'ada@example.com',
      Password: PASSWORD,
    });
    expect(answer).toEqual({ status: 200, body: { UserSub: 'sub-1', UserConfirmed: false } });
    const [request] = cognito.requests as [StubRequest];
    expect(request).toMatchObject({ method: 'POST', url: '/' });
    expect(request.headers).toMatchObject({
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp',
    });
    expect(JSON.parse(request.body)).toEqual({
      ClientId: 'client-1',
      Username: 'ada@example.com',
      Password: PASSWORD,
    });
  });

  it('answers a refusal with its status and body', async () => {
    const refusal = {
      __type: 'com.amazonaws#NotAuthorizedException',
      message: 'Incorrect username or password.',
    };
    cognito.answer = () => ({ status: 400, body: refusal });
    const answer = await callCognito(cognito.url, 'GetUser', { AccessToken: 'a' });
    expect(answer).toEqual({ status: 400, body: refusal });
  });

  it('says when Cognito cannot be reached, or what answered does not speak its protocol', async () => {
    const closed = await stubServer();
    await closed.close();
    const unreachable = callCognito(closed.url, 'GetUser', { AccessToken: 'a' });
    await expect(unreachable).rejects.toThrow(CognitoUnavailableError);
    await expect(unreachable).rejects.toThrow(
      `Cognito is not reachable at ${closed.url}: Error: connect ECONNREFUSED`,
    );
    cognito.answer = () => ({ status: 404, body: 'Not Found', contentType: 'text/plain' });
    await expect(callCognito(cognito.url, 'GetUser', { AccessToken: 'a' })).rejects.toThrow(
      `${cognito.url} answered 404 without JSON: is it a Cognito endpoint?`,
    );
  });

  it('gives up after timeoutMs', async () => {
    cognito.answer = () => undefined;
    await expect(
      callCognito(cognito.url, 'GetUser', { AccessToken: 'a' }, { timeoutMs: 50 }),
    ).rejects.toThrow(/Cognito is not reachable at .*(timeout|abort)/i);
  });
});

describe('callCognitoOrFail', () => {
  it('answers the response of a call Cognito accepts', async () => {
    cognito.answer = () => ({ status: 200, body: { Username: 'ada', Enabled: true } });
    expect(
      await callCognitoOrFail(cognito.url, 'AdminGetUser', { UserPoolId: 'p', Username: 'ada' }),
    ).toEqual({ Username: 'ada', Enabled: true });
  });

  it("fails with Cognito's reason, its namespace left out, or the status when it gives none", async () => {
    cognito.answer = () => ({
      status: 400,
      body: { __type: 'com.amazonaws#UserNotFoundException', message: 'User does not exist.' },
    });
    await expect(
      callCognitoOrFail(cognito.url, 'AdminDeleteUser', { UserPoolId: 'p', Username: 'ada' }),
    ).rejects.toThrow(
      new CognitoRefusedError(
        'Cognito refused AdminDeleteUser: UserNotFoundException: User does not exist.',
      ),
    );
    cognito.answer = () => ({ status: 503, body: {} });
    await expect(
      callCognitoOrFail(cognito.url, 'AdminDeleteUser', { UserPoolId: 'p', Username: 'ada' }),
    ).rejects.toThrow('Cognito refused AdminDeleteUser: HTTP 503: ');
  });
});

describe('cognitoSignIn', () => {
  const result = { IdToken: 'id', AccessToken: 'access', RefreshToken: 'refresh', ExpiresIn: 900 };

  it('signs in with USER_PASSWORD_AUTH and answers the tokens', async () => {
    cognito.answer = () => ({ status: 200, body: { AuthenticationResult: result } });
    expect(await cognitoSignIn(settings())).toEqual({
      idToken: 'id',
      accessToken: 'access',
      refreshToken: 'refresh',
      expiresIn: 900,
    });
    expect(JSON.parse(cognito.requests[0]?.body ?? '')).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'client-1',
      AuthParameters: { USERNAME: 'ada@example.com', PASSWORD },
    });
  });

  it("fails with Cognito's reason, naming the user and never the password", async () => {
    cognito.answer = () => ({
      status: 400,
      body: { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' },
    });
    const refused = cognitoSignIn(settings());
    await expect(refused).rejects.toThrow(
      new SignInError(
        'Cognito refused the sign-in of ada@example.com (client client-1): ' +
          'NotAuthorizedException: Incorrect username or password.',
      ),
    );
    await expect(refused).rejects.not.toThrow(PASSWORD);
  });

  it('fails on a challenge, saying how to give the user a permanent password', async () => {
    cognito.answer = () => ({
      status: 200,
      body: { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's' },
    });
    await expect(cognitoSignIn(settings())).rejects.toThrow(
      'Cognito asks ada@example.com (client client-1) for NEW_PASSWORD_REQUIRED instead of ' +
        'signing in: give the user a permanent password (aws cognito-idp admin-set-user-password --permanent).',
    );
  });

  it('fails on an answer without tokens, or in a shape Cognito never answers', async () => {
    cognito.answer = () => ({ status: 200, body: {} });
    await expect(cognitoSignIn(settings())).rejects.toThrow(
      'Cognito answered the sign-in of ada@example.com (client client-1) without tokens.',
    );
    cognito.answer = () => ({ status: 200, body: { AuthenticationResult: { IdToken: 1 } } });
    await expect(cognitoSignIn(settings())).rejects.toThrow(
      new SignInError(`${cognito.url} answered 200 in an unknown shape.`),
    );
  });

  it('fails as a sign-in when Cognito cannot be reached', async () => {
    const unreachable = cognitoSignIn({ ...settings(), cognitoEndpoint: 'http://127.0.0.1:9/' });
    await expect(unreachable).rejects.toThrow(SignInError);
    await expect(unreachable).rejects.toThrow('Cognito is not reachable at http://127.0.0.1:9/');
  });
});
