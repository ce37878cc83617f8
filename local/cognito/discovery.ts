/**
 * Where tokens say they come from: Cognito's issuer for the pool. cognito-local is configured
 * with this domain (emulator.ts), so local tokens carry exactly the `iss` of deployed ones and
 * production verification code runs unchanged.
 */
export const issuerDomain = (region: string) => `https://cognito-idp.${region}.amazonaws.com`;

/**
 * Correction 15: the OpenID Connect discovery document. cognito-local's names its own address
 * as `issuer` (not the tokens' `iss`) and port 9229 in `jwks_uri` whatever port it listens on,
 * so every client that discovers keys by OIDC fails. The local one is served at the local
 * endpoint, `<CognitoEndpoint>/<UserPoolId>/.well-known/openid-configuration`, and says what
 * the tokens say: `issuer` is the tokens' `iss` (a Cognito URL, which no client can fetch
 * locally), and `jwks_uri` is where the local stack really serves the keys, just as AWS's
 * document names its own `jwks_uri`. There are no OAuth endpoints: the local stack has no
 * hosted UI.
 */
export function discoveryDocument(options: {
  region: string;
  userPoolId: string;
  endpoint: string;
}): Record<string, unknown> {
  return {
    issuer: `${issuerDomain(options.region)}/${options.userPoolId}`,
    jwks_uri: `${options.endpoint}/${options.userPoolId}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
  };
}
