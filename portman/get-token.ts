import { cognitoSignIn } from '../client/cognito';
import { SIGN_IN_ENV, signInSettingsFromEnv } from './sign-in-settings';

/**
 * `npx tsx portman/get-token.ts`: signs in through Cognito `InitiateAuth` (raw HTTP, as Postman
 * does) and prints the ID token alone on stdout, for `Authorization` in curl or Postman:
 *
 *   ID_TOKEN=$(npx tsx portman/get-token.ts)
 *   curl -H "Authorization: Bearer $ID_TOKEN" "$API_URL/me"
 *
 * Reads CONTRACT_COGNITO_ENDPOINT, CONTRACT_USER_POOL_CLIENT_ID, CONTRACT_USERNAME and
 * CONTRACT_PASSWORD. Never prints the password; a failed sign-in exits 1 with Cognito's reason.
 */
async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(
      `Usage: npx tsx portman/get-token.ts\nEnvironment: ${Object.values(SIGN_IN_ENV).join(', ')}`,
    );
    return;
  }
  const tokens = await cognitoSignIn(signInSettingsFromEnv());
  process.stdout.write(`${tokens.idToken}\n`);
}

main().catch((error: unknown) => {
  console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
