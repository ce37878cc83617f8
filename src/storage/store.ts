import { config } from '../config';
import { s3 } from './s3/s3-client';
import { S3UserStore } from './s3/s3-user-store';
import type { UserStore } from './user-store';

if (!config.userDataBucket || !config.cursorSigningKey) {
  throw new Error('Invalid function environment: check USER_DATA_BUCKET, CURSOR_SIGNING_KEY');
}

/** The user store the storage routes use. */
export const userStore: UserStore = new S3UserStore(
  s3,
  config.userDataBucket,
  config.cursorSigningKey,
);
