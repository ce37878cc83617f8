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

  it(`refuses every one of the ${COMMON_PASSWORD_COUNT} most common that a pool could accept`, async () => {
    const ranked = require('@zxcvbn-ts/language-common/src/passwords.json') as string[];
    const candidates = ranked
      .slice(0, COMMON_PASSWORD_COUNT)
      .filter((password) => [...password].length >= shortestPoolMinimum());
    expect(candidates.length).toBeGreaterThan(3000);
    const accepted: string[] = [];
    for (const password of candidates) {
      await assertNotCommonPassword(password).then(
        () => accepted.push(password),
        () => undefined,
      );
    }
    expect(accepted).toEqual([]);
  });

  it("refuses with the API's error, whatever the letter case", async () => {
    await expect(assertNotCommonPassword('Qwerty123456')).rejects.toMatchObject({
      code: 'InvalidPassword',
    });
  });

  it('accepts a long passphrase, spaces and any Unicode included (ASVS 6.2.9)', async () => {
    await expect(assertNotCommonPassword('correct horse, battery staple')).resolves.toBeUndefined();
    await expect(assertNotCommonPassword('пароль — très sûr ✓ 🐎🔋')).resolves.toBeUndefined();
    await expect(assertNotCommonPassword('x'.repeat(256))).resolves.toBeUndefined();
  });
});
