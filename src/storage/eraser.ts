import { config } from '../config';
import { s3 } from './s3/s3-client';
import { S3UserDataEraser } from './s3/s3-user-data-eraser';
import type { UserDataEraser } from './user-store';

/** What DELETE /me deletes a user's data with. */
export const userDataEraser: UserDataEraser = new S3UserDataEraser(
  s3,
  config.userDataBucket,
  // The deployed bucket keeps versions; the local stack's s3rver (S3_ENDPOINT) keeps none.
  !config.s3Endpoint,
);
