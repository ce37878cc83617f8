import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * The minimal SDK handler for a function of both clients (the export): one Cognito client and
 * one S3 client with the SDK's defaults, one command each (the export's AdminGetUser and its
 * PutObject), nothing else. The endpoint overrides are what the local stack needs.
 */
const cognito = new CognitoIdentityProviderClient(
  process.env.COGNITO_ENDPOINT ? { endpoint: process.env.COGNITO_ENDPOINT } : {},
);
const s3 = new S3Client(
  process.env.S3_ENDPOINT ? { endpoint: process.env.S3_ENDPOINT, forcePathStyle: true } : {},
);

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const sub = String(event.requestContext.authorizer?.claims?.sub);
  const user = await cognito.send(
    new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: sub }),
  );
  await s3.send(
    new PutObjectCommand({
      Bucket: process.env.USER_DATA_BUCKET,
      Key: `users/${sub}/bench/${event.requestContext.requestId}`,
      Body: JSON.stringify(user.UserAttributes ?? []),
    }),
  );
  return { statusCode: 200, body: '{}' };
};
