// Pre-request script of POST /me/email. The new address is the test user's with a
// "+email-<random>" tag ("ci-42@example.com" -> "ci-42+email-k3f9a2@example.com"): the code goes
// to a mailbox the tester owns. The change is never verified, so the test user keeps their
// address (runs against a deployed stage leave this request out: it sends an email; its
// variation, which sends nothing, runs this script too).
const [localPart, domain] = String(pm.variables.get('username') || 'contract@example.com').split(
  '@',
);
const tag = Math.random().toString(36).slice(2, 10);
pm.collectionVariables.set('newEmail', `${localPart.split('+')[0]}+email-${tag}@${domain}`);
