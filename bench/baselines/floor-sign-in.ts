import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * The floor: the same Cognito sign-in call as POST /auth/signin (InitiateAuth,
 * USER_PASSWORD_AUTH) with bare `fetch` and no SDK, no validation, no logger. Nothing that
 * calls Cognito can start faster; the bench compares the real sign-in handler against it.
 * Bare on purpose, and so not client/cognito.ts: whatever a shared client adds (checks,
 * error messages, valibot) is what the floor must leave out.
 */
const endpoint =
  process.env.COGNITO_ENDPOINT ?? `https://cognito-idp.${process.env.AWS_REGION}.amazonaws.com/`;

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const { email, password } = JSON.parse(event.body ?? '{}') as Record<string, string>;
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      ClientId: process.env.USER_POOL_CLIENT_ID,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  });
  const output = (await response.json()) as { AuthenticationResult?: Record<string, unknown> };
  return { statusCode: response.status, body: JSON.stringify(output.AuthenticationResult ?? {}) };
};
