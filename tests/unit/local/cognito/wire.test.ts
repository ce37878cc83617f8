import { CognitoError } from '../../../../local/cognito/errors';
import { operationOf, parseRequest } from '../../../../local/cognito/wire';

const body = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('operationOf', () => {
  it("reads the operation from Cognito's X-Amz-Target", () => {
    expect(operationOf('AWSCognitoIdentityProviderService.InitiateAuth')).toBe('InitiateAuth');
  });

  it('answers undefined for any other target, none, or several', () => {
    for (const target of [
      undefined,
      '',
      'DynamoDB_20120810.GetItem',
      'AWSCognitoIdentityProviderService.',
    ])
      expect(operationOf(target)).toBeUndefined();
    expect(operationOf(['AWSCognitoIdentityProviderService.SignUp'])).toBeUndefined();
  });
});

describe('parseRequest', () => {
  it('answers a JSON object, members it does not check included, and {} for an empty body', () => {
    const request = {
      ClientId: 'c',
      Username: 'u',
      AnalyticsMetadata: { AnalyticsEndpointId: 'x' },
    };
    expect(parseRequest(body(request))).toEqual(request);
    expect(parseRequest(Buffer.alloc(0))).toEqual({});
  });

  it('leaves a body that is not a JSON object to cognito-local', () => {
    for (const raw of ['{"Username":', '[1,2]', '"text"', 'null'])
      expect(parseRequest(Buffer.from(raw))).toBeUndefined();
  });

  it('refuses a mistyped member with a SerializationException that names it', () => {
    const cases: [unknown, string][] = [
      [{ Username: 5 }, 'Username'],
      [{ AuthParameters: { USERNAME: ['a'] } }, 'AuthParameters.USERNAME'],
      [{ UserAttributes: [{ Name: 'email', Value: true }] }, 'UserAttributes.0.Value'],
      [{ ChallengeResponses: 'NEW_PASSWORD=x' }, 'ChallengeResponses'],
    ];
    for (const [request, member] of cases) {
      let thrown: unknown;
      try {
        parseRequest(body(request));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CognitoError);
      expect(thrown).toMatchObject({ type: 'SerializationException', status: 400 });
      expect((thrown as Error).message.startsWith(`${member} is not`)).toBe(true);
    }
  });
});
