import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';

/**
 * A relying party that finds the pool's keys by OpenID Connect discovery, as most OIDC
 * libraries do: openid-client discovers the metadata, then jose verifies an ID token with the
 * keys at its `jwks_uri` and requires its `issuer`. Both are ES modules only, so the
 * integration tests run this in its own process (`tsx`), never through Jest.
 *
 * Environment: CLIENT_ID, ID_TOKEN, and either DISCOVERY_URL (the document's own URL, at the
 * local Cognito endpoint) or ISSUER (discovery from the issuer identifier, as code written for
 * AWS does) with ISSUER_REACHED_AT, the local endpoint that requests to the issuer's origin go
 * to instead. Prints `{ issuer, jwksUri, claims }`; on any failure, the library's own error
 * and exit code 1.
 */
const { CLIENT_ID = '', ID_TOKEN = '', DISCOVERY_URL, ISSUER, ISSUER_REACHED_AT } = process.env;

async function discover(): Promise<oidc.Configuration> {
  if (DISCOVERY_URL) {
    return oidc.discovery(new URL(DISCOVERY_URL), CLIENT_ID, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
  }
  if (!ISSUER || !ISSUER_REACHED_AT)
    throw new Error('Set DISCOVERY_URL, or ISSUER and ISSUER_REACHED_AT');
  const issuerOrigin = new URL(ISSUER).origin;
  return oidc.discovery(new URL(ISSUER), CLIENT_ID, undefined, oidc.None(), {
    [oidc.customFetch]: (url, options) =>
      fetch(url.replace(issuerOrigin, ISSUER_REACHED_AT), options),
  });
}

const metadata = (await discover()).serverMetadata();
if (!metadata.jwks_uri) throw new Error('The discovery document names no jwks_uri');
const keys = createRemoteJWKSet(new URL(metadata.jwks_uri));
const { payload } = await jwtVerify(ID_TOKEN, keys, {
  issuer: metadata.issuer,
  audience: CLIENT_ID,
});
console.log(
  JSON.stringify({ issuer: metadata.issuer, jwksUri: metadata.jwks_uri, claims: payload }),
);
