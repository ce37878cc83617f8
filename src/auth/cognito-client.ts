import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CLIENT_OPTIONS } from '../aws-clients';
import { config } from '../config';

/** The one Cognito client per container (deadlines: see ../aws-clients.ts). */
export const cognito = new CognitoIdentityProviderClient({
  region: config.region,
  ...(config.cognitoEndpoint ? { endpoint: config.cognitoEndpoint } : {}),
  ...CLIENT_OPTIONS,
});
