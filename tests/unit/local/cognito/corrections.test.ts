import { lowerCaseUsernames } from '../../../../local/cognito/corrections';

describe('lowerCaseUsernames (correction 6)', () => {
  it('lower-cases the username and email everywhere Cognito reads them', () => {
    expect(
      lowerCaseUsernames({
        Username: 'Ada@Example.COM',
        AuthParameters: { USERNAME: 'Ada@Example.COM', PASSWORD: 'Pass-Phrase-Kept' },
        ChallengeResponses: { USERNAME: 'ADA@EXAMPLE.COM', NEW_PASSWORD: 'New-Phrase-Kept' },
        UserAttributes: [
          { Name: 'email', Value: 'Ada@Example.COM' },
          { Name: 'name', Value: 'Ada Lovelace' },
        ],
      }),
    ).toEqual({
      Username: 'ada@example.com',
      AuthParameters: { USERNAME: 'ada@example.com', PASSWORD: 'Pass-Phrase-Kept' },
      ChallengeResponses: { USERNAME: 'ada@example.com', NEW_PASSWORD: 'New-Phrase-Kept' },
      UserAttributes: [
        { Name: 'email', Value: 'ada@example.com' },
        { Name: 'name', Value: 'Ada Lovelace' },
      ],
    });
  });

  it('leaves the request it was given untouched', () => {
    const request = {
      Username: 'Ada@Example.com',
      AuthParameters: { USERNAME: 'Ada@Example.com' },
    };
    lowerCaseUsernames(request);
    expect(request).toEqual({
      Username: 'Ada@Example.com',
      AuthParameters: { USERNAME: 'Ada@Example.com' },
    });
  });
});
