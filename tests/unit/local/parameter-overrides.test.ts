import {
  parseOverrides,
  parseStartArguments,
  UsageError,
} from '../../../local/parameter-overrides';

const api = (overrides: Record<string, string>) => ({ api: overrides, auth: {} });

describe('parseStartArguments (npm start -- --parameter-overrides …)', () => {
  it('takes nothing when given nothing', () => {
    expect(parseStartArguments([])).toEqual({ api: {}, auth: {} });
  });

  it('takes Key=Value pairs as separate arguments, or in one, as sam deploy does', () => {
    const expected = { ApiKeyRequired: 'true', UsagePlanRateLimit: '5' };
    expect(
      parseStartArguments(['--parameter-overrides', 'ApiKeyRequired=true', 'UsagePlanRateLimit=5']),
    ).toEqual(api(expected));
    expect(
      parseStartArguments(['--parameter-overrides', 'ApiKeyRequired=true UsagePlanRateLimit=5']),
    ).toEqual(api(expected));
    expect(parseStartArguments(['--parameter-overrides=ApiKeyRequired=true'])).toEqual(
      api({ ApiKeyRequired: 'true' }),
    );
  });

  it('lets a later pair win, also across repeated options', () => {
    expect(
      parseStartArguments([
        '--parameter-overrides',
        'StageName=a StageName=b',
        '--parameter-overrides',
        'StageName=c',
      ]),
    ).toEqual(api({ StageName: 'c' }));
  });

  it("keeps auth-stack.yaml's overrides apart from template.yaml's, in either order", () => {
    expect(
      parseStartArguments([
        '--auth-parameter-overrides',
        'MfaConfiguration=ON',
        '--parameter-overrides=ApiKeyRequired=true',
        '--auth-parameter-overrides=PasswordMinimumLength=16',
      ]),
    ).toEqual({
      api: { ApiKeyRequired: 'true' },
      auth: { MfaConfiguration: 'ON', PasswordMinimumLength: '16' },
    });
  });

  it('refuses any other argument, and the option without a pair', () => {
    expect(() => parseStartArguments(['--verbose'])).toThrow(UsageError);
    expect(() => parseStartArguments(['ApiKeyRequired=true'])).toThrow(/Unknown argument/);
    expect(() => parseStartArguments(['--parameter-overrides'])).toThrow(/at least one Key=Value/);
    expect(() => parseStartArguments(['--parameter-overrides', ' '])).toThrow(UsageError);
    expect(() => parseStartArguments(['--auth-parameter-overrides'])).toThrow(
      /--auth-parameter-overrides needs at least one Key=Value/,
    );
    expect(() => parseStartArguments(['--auth-parameter-overrides-x=A=b'])).toThrow(
      /Unknown argument/,
    );
  });
});

describe('parseOverrides', () => {
  it('reads the ParameterKey=…,ParameterValue=… form', () => {
    expect(
      parseOverrides(
        'ParameterKey=StageName,ParameterValue=prod ParameterKey=LogLevel,ParameterValue=DEBUG',
      ),
    ).toEqual({ StageName: 'prod', LogLevel: 'DEBUG' });
  });

  it('reads quoted values with spaces, escapes and an empty quoted value', () => {
    expect(parseOverrides(`A="x y" B='p "q"' C="say \\"hi\\"" D=a\\ b E=""`)).toEqual({
      A: 'x y',
      B: 'p "q"',
      C: 'say "hi"',
      D: 'a b',
      E: '',
    });
  });

  it('keeps = and , inside a value', () => {
    expect(parseOverrides('AllowedOrigins=https://a.example,https://b.example X=a=b')).toEqual({
      AllowedOrigins: 'https://a.example,https://b.example',
      X: 'a=b',
    });
  });

  it.each([
    ['a pair without a value', 'ApiKeyRequired='],
    ['a word without =', 'ApiKeyRequired'],
    ['a key that is not a parameter name', 'Api-Key=true'],
    ['an unclosed quote', 'A="x y'],
    ['text glued to a closing quote', 'A="x"y'],
  ])('refuses %s', (_what, text) => {
    expect(() => parseOverrides(text)).toThrow(/is not a valid format/);
  });
});
