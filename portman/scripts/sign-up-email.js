// Pre-request script of POST /auth/signup. The new account's address is the test user's with a
// "+signup-<random>" tag ("ci-42@example.com" -> "ci-42+signup-k3f9a2@example.com"): the code
// goes to a mailbox the tester owns, and a clean-up that deletes users whose email starts with
// the test user's local part also removes the accounts this run signed up.
const [localPart, domain] = String(pm.variables.get('username') || 'contract@example.com').split(
  '@',
);
const tag = Math.random().toString(36).slice(2, 10);
pm.collectionVariables.set('signUpEmail', `${localPart.split('+')[0]}+signup-${tag}@${domain}`);
