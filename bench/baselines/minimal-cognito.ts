import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * The minimal SDK handler for Cognito: one client with the SDK's defaults and one command
 * (the sign-in call), nothing else. The endpoint override is what the local stack needs and
 * what every function here gets locally; on AWS COGNITO_ENDPOINT is unset.
 */
const client = new CognitoIdentityProviderClient(
  process.env.COGNITO_ENDPOINT ? { endpoint: process.env.COGNITO_ENDPOINT } : {},
);

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const { email, password } = JSON.parse(event.body ?? '{}') as Record<string, string>;
  const output = await client.send(
    new InitiateAuthCommand({
      ClientId: process.env.USER_POOL_CLIENT_ID,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email ?? '', PASSWORD: password ?? '' },
    }),
  );
  return { statusCode: 200, body: JSON.stringify(output.AuthenticationResult ?? {}) };
};
