import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../config';

/**
 * The one Cognito client per container. Deadlines fit inside the function's 10 s timeout:
 * at most 2 attempts of ≤ 3 s each (1 s to connect), so a slow or unreachable Cognito ends
 * in a clear 503 from the handler, not in a Lambda timeout.
 */
export const cognito = new CognitoIdentityProviderClient({
  region: config.region,
  ...(config.cognitoEndpoint ? { endpoint: config.cognitoEndpoint } : {}),
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
});
