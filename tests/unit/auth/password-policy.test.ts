import {
  describePasswordPolicy,
  parsePasswordPolicy,
  passwordPolicyViolations,
} from '../../../src/auth/password-policy';

describe('parsePasswordPolicy', () => {
  it('reads the auth stack export', () => {
    expect(
      parsePasswordPolicy('minLength=14;lowercase=true;uppercase=false;numbers=true;symbols=false'),
    ).toEqual({
      minLength: 14,
      lowercase: true,
      uppercase: false,
      numbers: true,
      symbols: false,
    });
  });

  it.each(['', 'minLength=abc', 'minLength=3', 'lowercase=true'])('rejects %j', (text) => {
    expect(() => parsePasswordPolicy(text)).toThrow(/PASSWORD_POLICY/);
  });
});

describe('describePasswordPolicy', () => {
  const policy = {
    minLength: 12,
    lowercase: false,
    uppercase: false,
    numbers: false,
    symbols: false,
  };
  it('says the length alone when there are no composition rules', () => {
    expect(describePasswordPolicy(policy)).toBe('Use at least 12 characters.');
  });
  it('lists the composition rules', () => {
    expect(describePasswordPolicy({ ...policy, numbers: true })).toBe(
      'Use at least 12 characters, with a number.',
    );
    expect(
      describePasswordPolicy({ ...policy, lowercase: true, uppercase: true, symbols: true }),
    ).toBe(
      'Use at least 12 characters, with a lowercase letter, an uppercase letter and a symbol.',
    );
  });
});

describe('passwordPolicyViolations', () => {
  const strict = { minLength: 12, lowercase: true, uppercase: true, numbers: true, symbols: true };
  it('names each broken rule with Cognito wording', () => {
    expect(passwordPolicyViolations(strict, 'short')).toEqual([
      'Password not long enough',
      'Password must have uppercase characters',
      'Password must have numeric characters',
      'Password must have symbol characters',
    ]);
  });
  it('accepts a password meeting every rule, counting an inner space as a symbol', () => {
    expect(passwordPolicyViolations(strict, 'Abcdefghij1!')).toEqual([]);
    expect(passwordPolicyViolations(strict, 'Abcdefg hij1')).toEqual([]);
    expect(passwordPolicyViolations(strict, 'Abcdefghij1 ')).toEqual([
      'Password must have symbol characters',
    ]);
  });
  it('counts characters, not UTF-16 units', () => {
    expect(
      passwordPolicyViolations(
        {
          ...strict,
          lowercase: false,
          uppercase: false,
          numbers: false,
          symbols: false,
          minLength: 3,
        },
        '😀😀',
      ),
    ).toEqual(['Password not long enough']);
  });
});
