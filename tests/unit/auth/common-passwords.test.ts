import {
  COMMON_PASSWORD_COUNT,
  commonPasswords,
  shortestPoolMinimum,
} from '../../../scripts/common-passwords';
import { assertNotCommonPassword } from '../../../src/auth/common-passwords';
import { COMMON_PASSWORDS } from '../../../src/auth/common-passwords.generated';

describe('the common-password list (OWASP ASVS 6.2.4)', () => {
  it('is what scripts/common-passwords.ts builds from @zxcvbn-ts/language-common', () => {
    // npx tsx scripts/common-passwords.ts && npx biome check --write src/auth
    expect(COMMON_PASSWORDS.split('\n')).toEqual(commonPasswords());
  });

  it(`refuses every one of the ${COMMON_PASSWORD_COUNT} most common that a pool could accept`, () => {
    const ranked = require('@zxcvbn-ts/language-common/src/passwords.json') as string[];
    const candidates = ranked
      .slice(0, COMMON_PASSWORD_COUNT)
      .filter((password) => [...password].length >= shortestPoolMinimum());
    expect(candidates.length).toBeGreaterThan(3000);
    const accepted = candidates.filter((password) => {
      try {
        assertNotCommonPassword(password);
        return true;
      } catch {
        return false;
      }
    });
    expect(accepted).toEqual([]);
  });

  it('accepts a long passphrase, spaces and any Unicode included (ASVS 6.2.9)', () => {
    expect(() => assertNotCommonPassword('correct horse, battery staple')).not.toThrow();
    expect(() => assertNotCommonPassword('пароль — très sûr ✓ 🐎🔋')).not.toThrow();
    expect(() => assertNotCommonPassword('x'.repeat(256))).not.toThrow();
  });
});
