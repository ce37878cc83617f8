import { ApiError } from '../errors';

let known: Promise<Set<string>> | undefined;

/**
 * Refuses a password that is one of the most common ones (OWASP ASVS 6.2.4), whatever its
 * letter case: attackers try those first, whatever the pool's length rule lets through. The
 * list is scripts/common-passwords.ts's. It is imported the first time a password is checked,
 * not with the function: the template bundles with esbuild's code splitting (BuildProperties
 * `Splitting`), so the list is a file of its own beside the bundle, and functions or cold starts
 * that check no password neither load nor parse its 32 KiB.
 */
export async function assertNotCommonPassword(password: string): Promise<void> {
  known ??= import('./common-passwords.generated').then(
    ({ COMMON_PASSWORDS }) => new Set(COMMON_PASSWORDS.split('\n')),
  );
  if ((await known).has(password.toLowerCase())) {
    throw new ApiError(
      'InvalidPassword',
      'This password is one of the most commonly used passwords, which attackers try first. Choose another.',
    );
  }
}
