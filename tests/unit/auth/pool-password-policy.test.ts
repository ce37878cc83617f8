import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mapPasswordError, passwordPolicyAdvice } from '../../../src/auth/pool-password-policy';
import { cognitoError, cognitoMock } from '../handlers/cognito-mock';

const pool = (MinimumLength: number, RequireSymbols = false) => ({
  UserPool: {
    Policies: {
      PasswordPolicy: {
        MinimumLength,
        RequireLowercase: false,
        RequireUppercase: false,
        RequireNumbers: false,
        RequireSymbols,
      },
    },
  },
});

// The advice is kept per execution environment: each test starts an hour after the last one.
let now = Date.parse('2026-11-21T10:00:00Z');
beforeEach(() => {
  now += 3_600_000;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
});
afterEach(() => jest.restoreAllMocks());

describe('passwordPolicyAdvice', () => {
  it("describes the pool's current policy, asking Cognito for this function's pool", async () => {
    cognitoMock.on(DescribeUserPoolCommand).resolves(pool(16, true));
    expect(await passwordPolicyAdvice()).toBe('Use at least 16 characters, with a symbol.');
    // tests/unit/setup/environment.ts sets USER_POOL_ID.
    expect(cognitoMock).toHaveReceivedCommandWith(DescribeUserPoolCommand, {
      UserPoolId: 'us-east-1_TestPool1',
    });
  });

  it('asks at most once per five minutes, then sees a changed policy', async () => {
    cognitoMock.on(DescribeUserPoolCommand).resolves(pool(12));
    expect(await passwordPolicyAdvice()).toBe('Use at least 12 characters.');
    cognitoMock.on(DescribeUserPoolCommand).resolves(pool(20));
    now += 5 * 60_000 - 1_000;
    expect(await passwordPolicyAdvice()).toBe('Use at least 12 characters.');
    now += 2_000;
    expect(await passwordPolicyAdvice()).toBe('Use at least 20 characters.');
    expect(cognitoMock).toHaveReceivedCommandTimes(DescribeUserPoolCommand, 2);
  });

  it.each([
    ['Cognito refuses (no IAM permission)', () => cognitoError('AccessDeniedException')],
    ['Cognito is unreachable', () => Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })],
  ])('gives nothing when %s, and asks again next time', async (_why, failure) => {
    cognitoMock.on(DescribeUserPoolCommand).rejectsOnce(failure()).resolves(pool(12));
    expect(await passwordPolicyAdvice()).toBeUndefined();
    expect(await passwordPolicyAdvice()).toBe('Use at least 12 characters.');
  });

  it('gives nothing for an answer without a policy', async () => {
    cognitoMock.on(DescribeUserPoolCommand).resolves({ UserPool: {} });
    expect(await passwordPolicyAdvice()).toBeUndefined();
  });
});

describe('mapPasswordError', () => {
  const mapped = async (error: Error) => {
    const { statusCode, code, message } = await mapPasswordError(error, 'changePassword');
    return { statusCode, code, message };
  };

  it('says what the policy wants when Cognito refuses the password', async () => {
    cognitoMock.on(DescribeUserPoolCommand).resolves(pool(12, true));
    expect(await mapped(cognitoError('InvalidPasswordException'))).toEqual({
      statusCode: 400,
      code: 'InvalidPassword',
      message: 'The password does not meet the policy. Use at least 12 characters, with a symbol.',
    });
  });

  it('still answers 400 InvalidPassword when the policy cannot be read', async () => {
    cognitoMock.on(DescribeUserPoolCommand).rejects(cognitoError('AccessDeniedException'));
    expect(await mapped(cognitoError('InvalidPasswordException'))).toEqual({
      statusCode: 400,
      code: 'InvalidPassword',
      message: 'The password does not meet the password policy.',
    });
  });

  it('maps every other error as mapCognitoError does, without asking Cognito', async () => {
    expect(
      await mapped(cognitoError('NotAuthorizedException', 'Incorrect username or password.')),
    ).toMatchObject({
      statusCode: 400,
      code: 'IncorrectPassword',
    });
    expect(cognitoMock).not.toHaveReceivedCommand(DescribeUserPoolCommand);
  });
});
