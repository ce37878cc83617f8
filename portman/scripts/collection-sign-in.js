// Collection pre-request script (Postman and newman). Before a request that carries the ID token
// (bearer auth), it signs in to Cognito the way an app does: InitiateAuth with
// USER_PASSWORD_AUTH over raw HTTP (the client has no secret, so no AWS credentials either), and
// keeps the tokens in collection variables: {{idToken}} for Authorization, {{accessToken}} for
// /auth/change-password. One sign-in serves the whole run: the tokens are reused until a minute
// before they expire, or until the endpoint, client or user changes.
//
// It reads cognitoEndpoint, userPoolClientId, username and password from any scope (keep the
// password in a Postman environment, as a secret variable). Nothing here logs any of them.
// Failures are reported as a failed test: errors thrown inside a sendRequest callback would
// otherwise vanish and every protected request would simply get a 401.
//
// The call is written out here on purpose: Postman runs this script in its sandbox, which can
// import nothing from the repository. The repository's own tools sign in with the same call
// from client/cognito.ts (cognitoSignIn).
const needsToken = Boolean(pm.request.auth && pm.request.auth.type === 'bearer');
const settings = {
  cognitoEndpoint: pm.variables.get('cognitoEndpoint'),
  userPoolClientId: pm.variables.get('userPoolClientId'),
  username: pm.variables.get('username'),
  password: pm.variables.get('password'),
};
const signedInAs = [settings.cognitoEndpoint, settings.userPoolClientId, settings.username].join(
  ' ',
);
const tokensAreFresh =
  Boolean(pm.collectionVariables.get('idToken')) &&
  pm.collectionVariables.get('tokensFor') === signedInAs &&
  Date.now() < Number(pm.collectionVariables.get('tokensExpireAt') || 0) - 60000;
const unset = Object.keys(settings).filter((name) => !settings[name]);

if (needsToken && unset.length > 0) {
  pm.test(
    'Cognito sign-in: cognitoEndpoint, userPoolClientId, username and password are set',
    () => {
      pm.expect(unset, 'variables without a value').to.be.empty;
    },
  );
} else if (needsToken && !tokensAreFresh) {
  pm.sendRequest(
    {
      url: settings.cognitoEndpoint,
      method: 'POST',
      header: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: {
        mode: 'raw',
        raw: JSON.stringify({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: settings.userPoolClientId,
          AuthParameters: { USERNAME: settings.username, PASSWORD: settings.password },
        }),
      },
    },
    (error, response) => {
      pm.test('Cognito sign-in (InitiateAuth, USER_PASSWORD_AUTH) gives an ID token', () => {
        pm.expect(error, `Cognito is not reachable at ${settings.cognitoEndpoint}`).to.equal(null);
        let body;
        try {
          body = response.json();
        } catch (_) {
          pm.expect.fail(
            `Cognito answered ${response.code} without JSON: is ${settings.cognitoEndpoint} a Cognito endpoint?`,
          );
        }
        // Cognito's error messages never contain the password.
        pm.expect(response.code, `${body.__type}: ${body.message}`).to.equal(200);
        pm.expect(
          body.ChallengeName,
          'Cognito asks a challenge instead: give the user a permanent password (admin-set-user-password --permanent)',
        ).to.equal(undefined);
        const result = body.AuthenticationResult;
        pm.collectionVariables.set('idToken', result.IdToken);
        pm.collectionVariables.set('accessToken', result.AccessToken);
        pm.collectionVariables.set('tokensFor', signedInAs);
        pm.collectionVariables.set('tokensExpireAt', String(Date.now() + result.ExpiresIn * 1000));
      });
    },
  );
}
