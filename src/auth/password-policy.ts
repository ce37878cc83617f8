/**
 * The user pool's password policy as the auth stack exports it
 * (`minLength=12;lowercase=false;uppercase=false;numbers=false;symbols=false`), so that an
 * InvalidPassword answer can say what the policy wants without the API stack restating it.
 */
export interface PasswordPolicy {
  minLength: number;
  lowercase: boolean;
  uppercase: boolean;
  numbers: boolean;
  symbols: boolean;
}

export function parsePasswordPolicy(text: string): PasswordPolicy {
  const fields = new Map(
    text.split(';').map((pair) => {
      const [key = '', value = ''] = pair.split('=');
      return [key.trim(), value.trim()] as const;
    }),
  );
  const minLength = Number(fields.get('minLength'));
  if (!Number.isInteger(minLength) || minLength < 6 || minLength > 99) {
    throw new Error('Invalid function environment: check PASSWORD_POLICY (minLength)');
  }
  const flag = (name: string) => fields.get(name) === 'true';
  return {
    minLength,
    lowercase: flag('lowercase'),
    uppercase: flag('uppercase'),
    numbers: flag('numbers'),
    symbols: flag('symbols'),
  };
}

/** "Use at least 12 characters, with a lowercase letter and a number." */
export function describePasswordPolicy(policy: PasswordPolicy): string {
  const wants = [
    policy.lowercase && 'a lowercase letter',
    policy.uppercase && 'an uppercase letter',
    policy.numbers && 'a number',
    policy.symbols && 'a symbol',
  ].filter((want): want is string => typeof want === 'string');
  const base = `Use at least ${policy.minLength} characters`;
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
  if ([...password].length < policy.minLength) violations.push('Password not long enough');
  if (policy.lowercase && !/[a-z]/.test(password))
    violations.push('Password must have lowercase characters');
  if (policy.uppercase && !/[A-Z]/.test(password))
    violations.push('Password must have uppercase characters');
  if (policy.numbers && !/[0-9]/.test(password))
    violations.push('Password must have numeric characters');
  if (policy.symbols && !hasSymbol(password))
    violations.push('Password must have symbol characters');
  return violations;
}
