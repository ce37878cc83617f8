import { isUnreachable, serviceStatus } from '../../aws-clients';
import { ApiError, internalError, serviceUnavailable } from '../../errors';
import { logger } from '../../logger';

/** A lookup of a key that is not there: 404 NoSuchKey, or 403 when S3 hides absence (below). */
export function isAbsent(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  // Without s3:ListBucket on the bucket, S3 answers 403 instead of 404 for a missing key. The
  // template grants ListBucket only to the list function (and only under users/), so for the
  // others a 403 on a key under the caller's prefix means "not there".
  return (
    name === 'NoSuchKey' || name === 'NotFound' || name === 'AccessDenied' || name === 'Forbidden'
  );
}

/** The one map from S3's failures to the API's answers. */
export function mapS3Error(error: unknown, operation: string): ApiError {
  if (error instanceof ApiError) return error;
  const status = serviceStatus(error);
  const name = (error as Error | undefined)?.name ?? 'Error';
  const log = { operation, s3Error: name, httpStatusCode: status };
  if (isUnreachable(error) || (status !== undefined && status >= 500) || name === 'SlowDown') {
    logger.error('s3 call failed', log);
    return serviceUnavailable('storage');
  }
  logger.error('s3 call rejected', log);
  return internalError();
}
