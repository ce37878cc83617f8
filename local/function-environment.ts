import path from 'node:path';
import { API_STACK_NAME, type LocalFunction } from './plan';
import { DEFAULT_PORTS } from './ports';
import { S3RVER_CREDENTIALS } from './s3/emulator';

/** Where the functions reach the local Cognito, S3 and DynamoDB. */
export interface LocalEndpoints {
  cognito: string;
  s3: string;
  dynamoDb: string;
}

/** The endpoints of `npm start` on its default ports. */
export const DEFAULT_ENDPOINTS: LocalEndpoints = {
  cognito: `http://127.0.0.1:${DEFAULT_PORTS.COGNITO_PORT}`,
  s3: `http://127.0.0.1:${DEFAULT_PORTS.S3_PORT}`,
  dynamoDb: `http://127.0.0.1:${DEFAULT_PORTS.DYNAMODB_PORT}`,
};

/**
 * The variables a function declares in the template, with the values the local stack gives
 * them: the template's own values resolved (imports included), and the emulators' endpoints
 * for the functions that declare COGNITO_ENDPOINT or S3_ENDPOINT (empty on AWS). This is what
 * `sam local invoke --env-vars events/env.json` must set, since it overrides only declared
 * variables and leaves an unresolvable import empty.
 */
export function declaredEnvironment(
  fn: LocalFunction,
  endpoints: LocalEndpoints,
  userPoolId: string,
): Record<string, string> {
  const declared = { ...fn.resolvedEnvironment };
  if ('COGNITO_ENDPOINT' in declared) declared.COGNITO_ENDPOINT = endpoints.cognito;
  if ('S3_ENDPOINT' in declared) declared.S3_ENDPOINT = endpoints.s3;
  if ('DYNAMODB_ENDPOINT' in declared) declared.DYNAMODB_ENDPOINT = endpoints.dynamoDb;
  // The local Cognito serves the pool's keys where Cognito would, under its own endpoint.
  if ('COGNITO_JWKS_URI' in declared)
    declared.COGNITO_JWKS_URI = `${endpoints.cognito}/${userPoolId}/.well-known/jwks.json`;
  return declared;
}

/**
 * The whole environment of a function locally: its declared variables, s3rver's credentials
 * (on AWS, the function role's), and what Lambda itself sets in an execution environment.
 */
export function functionEnvironment(
  fn: LocalFunction,
  local: { region: string; bundle: string; endpoints: LocalEndpoints; userPoolId: string },
): Record<string, string> {
  return {
    ...declaredEnvironment(fn, local.endpoints, local.userPoolId),
    AWS_REGION: local.region,
    AWS_DEFAULT_REGION: local.region,
    // s3rver takes only its own credentials; dynalite takes any.
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_LAMBDA_FUNCTION_NAME: `${API_STACK_NAME}-${fn.logicalId}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: path.dirname(local.bundle),
    _HANDLER: fn.handler,
    TZ: 'UTC',
  };
}
