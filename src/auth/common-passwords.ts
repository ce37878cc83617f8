import { ApiError } from '../errors';
import { COMMON_PASSWORDS } from './common-passwords.generated';

let known: Set<string> | undefined;

/**
 * Refuses a password that is one of the most common ones (OWASP ASVS 6.2.4), whatever its
 * letter case: attackers try those first, whatever the pool's length rule lets through. The
 * list is scripts/common-passwords.ts's; it is split into a set the first time a password is
 * checked, so functions that never check one pay nothing at cold start.
 */
export function assertNotCommonPassword(password: string): void {
  known ??= new Set(COMMON_PASSWORDS.split('\n'));
  if (known.has(password.toLowerCase())) {
    throw new ApiError(
      'InvalidPassword',
      'This password is one of the most commonly used passwords, which attackers try first. Choose another.',
    );
  }
}
