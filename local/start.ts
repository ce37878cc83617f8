import path from 'node:path';
import { PROJECT_ROOT } from '../sam/template';
import { writeJsonFile } from './json-file';
import { parseStartArguments, UsageError } from './parameter-overrides';
import { DEFAULT_PORTS, portFromEnv } from './ports';
import { defaultDataDir, type LocalOutputs, outputsFile, startLocalStack } from './stack';

/**
 * `npm start`: the whole API on this machine. Builds the bundles, starts the emulators and the
 * gateway, prints the outputs and a sequence to paste, and stops everything on Ctrl-C.
 *
 * Environment: API_PORT, COGNITO_PORT, S3_PORT, DYNAMODB_PORT, WEB_PORT (DEFAULT_PORTS unless
 * set; 0 picks a free port); LOCAL_ALLOWED_ORIGINS (more CORS origins, comma-separated); LOCAL_DATA_DIR
 * (.local); LOCAL_SKIP_BUILD=1 reuses the bundles in LOCAL_BUILD_DIR (.build, npm run build).
 *
 * Arguments: `--parameter-overrides Key=Value …` sets template.yaml's parameters as `sam deploy`
 * does (for example ApiKeyRequired=true), `--auth-parameter-overrides Key=Value …` those of
 * auth-stack.yaml (for example MfaConfiguration=ON); see parameter-overrides.ts.
 */

const color = process.stdout.isTTY
  ? (code: number, text: string) => `\x1b[${code}m${text}\x1b[0m`
  : (_: number, text: string) => text;
const dim = (text: string) => color(2, text);
const bold = (text: string) => color(1, text);

/** A word bash reads back as exactly `text` (a template may set a key's Value to anything). */
function shellQuoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function tryItCommands(outputs: LocalOutputs): string {
  const api = outputs.ApiUrl;
  // With ApiKeyRequired=true every route of the API wants the key (the mailbox is no route).
  const key = outputs.ApiKeyValue ? ` -H "x-api-key: $API_KEY"` : '';
  const json = `-H 'Content-Type: application/json'${key}`;
  return [
    `EMAIL=you+$RANDOM@example.com PASSWORD='correct horse, battery staple'${outputs.ApiKeyValue ? ` API_KEY=${shellQuoted(outputs.ApiKeyValue)}` : ''}`,
    `curl -s -X POST ${api}/auth/signup ${json} -d "{\\"email\\":\\"$EMAIL\\",\\"password\\":\\"$PASSWORD\\"}"; echo`,
    `CODE=$(curl -s ${api}/_local/mailbox/$EMAIL | node -pe 'JSON.parse(require("fs").readFileSync(0)).messages.at(-1).code')`,
    `curl -s -X POST ${api}/auth/confirm-signup ${json} -d "{\\"email\\":\\"$EMAIL\\",\\"code\\":\\"$CODE\\"}"; echo`,
    `ID_TOKEN=$(curl -s -X POST ${api}/auth/signin ${json} -d "{\\"email\\":\\"$EMAIL\\",\\"password\\":\\"$PASSWORD\\"}" | node -pe 'JSON.parse(require("fs").readFileSync(0)).idToken')`,
    `curl -s ${api}/me -H "Authorization: Bearer $ID_TOKEN"${key}; echo`,
    `aws cognito-idp initiate-auth --no-sign-request --endpoint-url ${outputs.CognitoEndpoint} --region ${outputs.Region} --client-id ${outputs.UserPoolClientId} --auth-flow USER_PASSWORD_AUTH --auth-parameters "$(node -pe 'JSON.stringify({ USERNAME: process.argv[1], PASSWORD: process.argv[2] })' "$EMAIL" "$PASSWORD")" --query AuthenticationResult.ExpiresIn`,
  ]
    .map((line) => `  ${line}`)
    .join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const overrides = parseStartArguments(process.argv.slice(2));
  const dataDir = process.env.LOCAL_DATA_DIR
    ? path.resolve(process.env.LOCAL_DATA_DIR)
    : defaultDataDir();
  const stack = await startLocalStack({
    dataDir,
    apiPort: portFromEnv('API_PORT', DEFAULT_PORTS.API_PORT),
    cognitoPort: portFromEnv('COGNITO_PORT', DEFAULT_PORTS.COGNITO_PORT),
    s3Port: portFromEnv('S3_PORT', DEFAULT_PORTS.S3_PORT),
    dynamoDbPort: portFromEnv('DYNAMODB_PORT', DEFAULT_PORTS.DYNAMODB_PORT),
    webPort: portFromEnv('WEB_PORT', DEFAULT_PORTS.WEB_PORT),
    allowedOrigins: (process.env.LOCAL_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    parameterOverrides: overrides.api,
    authParameterOverrides: overrides.auth,
    build: process.env.LOCAL_SKIP_BUILD !== '1',
    ...(process.env.LOCAL_BUILD_DIR ? { buildDir: path.resolve(process.env.LOCAL_BUILD_DIR) } : {}),
    onProgress: (step) => console.log(dim(`› ${step}…`)),
    onRequest: (r) =>
      console.log(
        `${dim(new Date().toISOString().slice(11, 19))} ${r.method} ${r.path} ${r.status} ${dim(`${Math.round(r.durationMs)} ms${r.function ? ` ${r.function}` : ''}`)}`,
      ),
    onMail: (email, message) =>
      console.log(`📬 ${bold(message.kind)} code for ${email}: ${bold(message.code)}`),
    onWarning: (message) => console.warn(`⚠ ${message}`),
  });

  const { outputs } = stack;
  const width = Math.max(...Object.keys(outputs).map((key) => key.length));
  console.log(
    `\n${bold('Local stack ready')} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const [key, value] of Object.entries(outputs))
    console.log(`  ${key.padEnd(width)}  ${value}`);
  console.log(
    dim(
      `  (also in ${path.relative(PROJECT_ROOT, outputsFile(dataDir))}; data and logs in ${path.relative(PROJECT_ROOT, dataDir)}/)`,
    ),
  );
  console.log(
    `\n${bold('Open')} ${outputs.WebUrl} for the demo page (cookie-mode sessions in a browser).`,
  );
  console.log(`\n${bold('Try it')} (paste into another terminal):\n${tryItCommands(outputs)}\n`);
  console.log(
    dim(
      'Requests are logged below; confirmation and reset codes too (📬). Ctrl-C stops everything.\n',
    ),
  );
  // The readiness signal for tools (the integration tests wait for it): written last, once all
  // of the above is printed, and atomically, so whoever sees the file can read it whole.
  writeJsonFile(outputsFile(dataDir), outputs);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(dim(`\n${signal}: stopping the local stack…`));
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`✗ ${error.message}`);
    process.exit(2);
  }
  console.error(
    `✗ The local stack did not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
