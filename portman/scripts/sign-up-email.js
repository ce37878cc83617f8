// Pre-request script of POST /auth/signup and POST /auth/confirm-signup. The new account's
// address is the test user's with a "+signup-<random>" tag ("ci-42@example.com" ->
// "ci-42+signup-k3f9a2@example.com"): the code goes to a mailbox the tester owns, and a clean-up
// that deletes users whose email starts with the test user's local part also removes the
// accounts this run signed up. Each sign-up makes a fresh address; confirm-signup uses it, or
// makes one when no sign-up ran (runs against a deployed stage leave it out: it sends an email).
const signingUp = pm.request.url.getPath().endsWith('/auth/signup');
if (signingUp || !pm.collectionVariables.get('signUpEmail')) {
  const [localPart, domain] = String(pm.variables.get('username') || 'contract@example.com').split(
    '@',
  );
  const tag = Math.random().toString(36).slice(2, 10);
  pm.collectionVariables.set('signUpEmail', `${localPart.split('+')[0]}+signup-${tag}@${domain}`);
}
