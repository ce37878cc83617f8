import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../config';
import { ApiError } from '../errors';
import { logger } from '../logger';
import { cognito } from './cognito-client';
import { type CognitoOperation, mapCognitoError } from './cognito-errors';
import { describePasswordPolicy, passwordPolicyFrom } from './password-policy';

/** A changed policy shows within this long in warm execution environments. */
const KEEP_MS = 5 * 60_000;

let known: { advice: string; until: number } | undefined;

/**
 * The map of the operations that set a password: as mapCognitoError, but a refused password's
 * answer says what the pool's policy wants. Only those operations import this module, so only
 * their functions carry DescribeUserPool and need its permission (template.yaml).
 */
export async function mapPasswordError(
  error: unknown,
  operation: CognitoOperation,
): Promise<ApiError> {
  const mapped = mapCognitoError(error, operation);
  if (mapped.code !== 'InvalidPassword') return mapped;
  const advice = await passwordPolicyAdvice();
  return advice
    ? new ApiError('InvalidPassword', `The password does not meet the policy. ${advice}`)
    : mapped;
}

/**
 * What the pool's password policy wants, in words, read from Cognito (DescribeUserPool) when
 * a password has just been refused, so that the auth stack's policy can change with a plain
 * `sam deploy` of that stack (nothing exported, nothing to redeploy here) and a cold start
 * costs nothing. Undefined when the policy cannot be read (no permission, Cognito down): the
 * answer stays a 400, since the password is what is wrong, and the failure is logged.
 */
export async function passwordPolicyAdvice(): Promise<string | undefined> {
  if (known && Date.now() < known.until) return known.advice;
  try {
    const { UserPool } = await cognito.send(
      new DescribeUserPoolCommand({ UserPoolId: config.userPoolId }),
    );
    if (!UserPool?.Policies?.PasswordPolicy) throw new Error('DescribeUserPool named no policy');
    const advice = describePasswordPolicy(passwordPolicyFrom(UserPool.Policies.PasswordPolicy));
    known = { advice, until: Date.now() + KEEP_MS };
    return advice;
  } catch (error) {
    logger.error('could not read the password policy', {
      cause: error instanceof Error ? error.name : 'unknown',
    });
    return undefined;
  }
}
