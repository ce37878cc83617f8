import { parameterOverrides } from '../../../local/parameter-overrides';

describe('parameterOverrides (LOCAL_AUTH_PARAMETERS)', () => {
  it('reads Key=Value pairs as sam deploy --parameter-overrides writes them', () => {
    expect(parameterOverrides('')).toEqual({});
    expect(parameterOverrides(' MfaConfiguration=ON  PasswordMinimumLength=16 ')).toEqual({
      MfaConfiguration: 'ON',
      PasswordMinimumLength: '16',
    });
    expect(parameterOverrides('SesFromAddress=a=b')).toEqual({ SesFromAddress: 'a=b' });
  });

  it('refuses a pair without a key or an equals sign', () => {
    expect(() => parameterOverrides('MfaConfiguration')).toThrow(
      '"MfaConfiguration" is not Key=Value',
    );
    expect(() => parameterOverrides('=ON')).toThrow('is not Key=Value');
  });
});
