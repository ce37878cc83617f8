import { config } from '../config';
import { s3 } from './s3/s3-client';
import { S3UserExports } from './s3/s3-user-exports';
import type { UserExports } from './user-store';

/** Where POST /me/export writes its document and signs its link. */
export const userExports: UserExports = new S3UserExports(s3, config.userDataBucket);
