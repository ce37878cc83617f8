import {
  describePasswordPolicy,
  passwordPolicyFrom,
  passwordPolicyViolations,
} from '../../../src/auth/password-policy';

describe('passwordPolicyFrom', () => {
  const expected = {
    MinimumLength: 14,
    RequireLowercase: true,
    RequireUppercase: false,
    RequireNumbers: true,
    RequireSymbols: false,
  };

  it("reads DescribeUserPool's policy (numbers and booleans), ignoring the rest", () => {
    expect(passwordPolicyFrom({ ...expected, TemporaryPasswordValidityDays: 7 })).toEqual(expected);
  });

  it('reads the same policy as the template resolves it (CloudFormation parameters are strings)', () => {
    expect(
      passwordPolicyFrom({
        MinimumLength: '14',
        RequireLowercase: 'true',
        RequireUppercase: 'false',
        RequireNumbers: 'true',
        RequireSymbols: 'false',
        TemporaryPasswordValidityDays: '7',
      }),
    ).toEqual(expected);
  });

  it("takes Cognito's defaults for what a pool leaves out", () => {
    expect(passwordPolicyFrom({})).toEqual({
      MinimumLength: 8,
      RequireLowercase: false,
      RequireUppercase: false,
      RequireNumbers: false,
      RequireSymbols: false,
    });
  });

  it.each([
    [{ MinimumLength: 'abc' }, 'MinimumLength'],
    [{ MinimumLength: 3 }, 'MinimumLength'],
    [{ MinimumLength: 12.5 }, 'MinimumLength'],
    [{ RequireSymbols: 'yes' }, 'RequireSymbols'],
  ])('refuses %j, naming %s', (policy, field) => {
    expect(() => passwordPolicyFrom(policy)).toThrow(`Unreadable password policy: check ${field}`);
  });
});

describe('describePasswordPolicy', () => {
  const policy = {
    MinimumLength: 12,
    RequireLowercase: false,
    RequireUppercase: false,
    RequireNumbers: false,
    RequireSymbols: false,
  };
  it('says the length alone when there are no composition rules', () => {
    expect(describePasswordPolicy(policy)).toBe('Use at least 12 characters.');
  });
  it('lists the composition rules', () => {
    expect(describePasswordPolicy({ ...policy, RequireNumbers: true })).toBe(
      'Use at least 12 characters, with a number.',
    );
    expect(
      describePasswordPolicy({
        ...policy,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireSymbols: true,
      }),
    ).toBe(
      'Use at least 12 characters, with a lowercase letter, an uppercase letter and a symbol.',
    );
  });
});

describe('passwordPolicyViolations', () => {
  const strict = {
    MinimumLength: 12,
    RequireLowercase: true,
    RequireUppercase: true,
    RequireNumbers: true,
    RequireSymbols: true,
  };
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
          MinimumLength: 3,
          RequireLowercase: false,
          RequireUppercase: false,
          RequireNumbers: false,
          RequireSymbols: false,
        },
        '😀😀',
      ),
    ).toEqual(['Password not long enough']);
  });
});
