// Test script of POST /auth/signout: the ID token of the signed-out session (the one the
// signIn request opened, sent in Authorization) is refused by a protected route at once.
const signedOut = pm.collectionVariables.get('signInIdToken');
pm.sendRequest(
  {
    url: `${pm.variables.get('baseUrl')}/me`,
    method: 'GET',
    header: { Authorization: `Bearer ${signedOut}` },
  },
  (error, response) => {
    pm.test('After sign-out, the session\'s ID token is refused: 401, "session has ended"', () => {
      pm.expect(error).to.equal(null);
      pm.expect(response.code).to.equal(401);
      pm.expect(response.json().message).to.include('session has ended');
    });
  },
);
