import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger per container. Handlers log what happened (route, status, duration,
 * error names), never events, bodies, tokens, passwords or codes.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cognito-password-auth',
});
