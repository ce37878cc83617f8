import type { PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import * as v from 'valibot';

/**
 * The user pool's password policy: what an InvalidPassword answer describes, and what the
 * local Cognito enforces. There is one reading of it, from Cognito's `PasswordPolicyType`
 * shape, which is both what DescribeUserPool answers on AWS and the pool's
 * `Policies.PasswordPolicy` in auth-stack.yaml as the local stack resolves it (where
 * CloudFormation parameters arrive as strings: "12", "true").
 */
export type PasswordPolicy = Required<
  Pick<
    PasswordPolicyType,
    'MinimumLength' | 'RequireLowercase' | 'RequireUppercase' | 'RequireNumbers' | 'RequireSymbols'
  >
>;

const Flag = v.pipe(
  v.optional(v.union([v.boolean(), v.picklist(['true', 'false'])]), false),
  v.transform((value) => value === true || value === 'true'),
);

const CognitoPasswordPolicy = v.object({
  // Cognito's own bounds for MinimumLength; it defaults to 8 when a pool sets none.
  MinimumLength: v.pipe(
    v.optional(v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+$/))]), 8),
    v.transform(Number),
    v.integer(),
    v.minValue(6),
    v.maxValue(99),
  ),
  RequireLowercase: Flag,
  RequireUppercase: Flag,
  RequireNumbers: Flag,
  RequireSymbols: Flag,
});

export function passwordPolicyFrom(policy: unknown): PasswordPolicy {
  const result = v.safeParse(CognitoPasswordPolicy, policy);
  if (!result.success) {
    const names = [...new Set(result.issues.map((issue) => v.getDotPath(issue) ?? '?'))];
    throw new Error(`Unreadable password policy: check ${names.join(', ')}`);
  }
  return result.output;
}

/** "Use at least 12 characters, with a lowercase letter and a number." */
export function describePasswordPolicy(policy: PasswordPolicy): string {
  const wants = [
    policy.RequireLowercase && 'a lowercase letter',
    policy.RequireUppercase && 'an uppercase letter',
    policy.RequireNumbers && 'a number',
    policy.RequireSymbols && 'a symbol',
  ].filter((want): want is string => typeof want === 'string');
  const base = `Use at least ${policy.MinimumLength} characters`;
  if (wants.length === 0) return `${base}.`;
  const list =
    wants.length === 1 ? wants[0] : `${wants.slice(0, -1).join(', ')} and ${wants.at(-1)}`;
  return `${base}, with ${list}.`;
}

/** Cognito's symbol set for password policies (a space counts unless leading or trailing). */
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/;
const hasSymbol = (password: string) => SYMBOLS.test(password) || password.trim().includes(' ');

/** The rules the policy breaks, for the local emulator that cannot enforce them itself. */
export function passwordPolicyViolations(policy: PasswordPolicy, password: string): string[] {
  const violations: string[] = [];
  if ([...password].length < policy.MinimumLength) violations.push('Password not long enough');
  if (policy.RequireLowercase && !/[a-z]/.test(password))
    violations.push('Password must have lowercase characters');
  if (policy.RequireUppercase && !/[A-Z]/.test(password))
    violations.push('Password must have uppercase characters');
  if (policy.RequireNumbers && !/[0-9]/.test(password))
    violations.push('Password must have numeric characters');
  if (policy.RequireSymbols && !hasSymbol(password))
    violations.push('Password must have symbol characters');
  return violations;
}
