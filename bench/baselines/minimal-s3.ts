import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * The minimal SDK handler for S3: one client with the SDK's defaults and one command (the
 * PutObject that POST /me/logs makes), nothing else. The endpoint override is what the local
 * stack needs (s3rver, addressed by path); on AWS S3_ENDPOINT is unset.
 */
const client = new S3Client(
  process.env.S3_ENDPOINT ? { endpoint: process.env.S3_ENDPOINT, forcePathStyle: true } : {},
);

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const sub = String(event.requestContext.authorizer?.claims?.sub);
  await client.send(
    new PutObjectCommand({
      Bucket: process.env.USER_DATA_BUCKET,
      Key: `users/${sub}/bench/${event.requestContext.requestId}`,
      Body: event.body ?? '',
    }),
  );
  return { statusCode: 201, body: '{}' };
};
