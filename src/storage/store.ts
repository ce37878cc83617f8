import { config } from '../config';
import { s3 } from './s3/s3-client';
import { S3UserStore } from './s3/s3-user-store';
import type { UserStore } from './user-store';

/**
 * The user store the storage routes use. Built at import, so a missing or malformed
 * USER_DATA_BUCKET or CURSOR_SIGNING_KEY fails the function's init, naming it (src/config.ts).
 */
export const userStore: UserStore = new S3UserStore(
  s3,
  config.userDataBucket,
  config.cursorSigningKey,
);
