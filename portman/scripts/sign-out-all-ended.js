// Test script of POST /auth/signout-all: every session of the user has ended, the one this
// collection signed in with included. Its ID token is refused at once; then the tokens are
// forgotten so that the next request signs in afresh, straight to Cognito and at once (the
// API answered only once the second after the cut had begun, so that sign-in is after it).
const ended = pm.collectionVariables.get('idToken');
pm.sendRequest(
  {
    url: `${pm.variables.get('baseUrl')}/me`,
    method: 'GET',
    header: { Authorization: `Bearer ${ended}` },
  },
  (error, response) => {
    pm.test('After sign-out everywhere, the ID token is refused: 401, "session has ended"', () => {
      pm.expect(error).to.equal(null);
      pm.expect(response.code).to.equal(401);
      pm.expect(response.json().message).to.include('session has ended');
    });
    pm.collectionVariables.unset('idToken');
    pm.collectionVariables.unset('tokensExpireAt');
  },
);
