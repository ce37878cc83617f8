import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { handler as signUp } from '../../../src/handlers/auth/sign-up';

/**
 * The real sign-up handler with one bug planted, to show that the corpus catches a handler
 * that throws on a field: it reads `name` before the body is validated.
 */
export const handler = async (event: APIGatewayProxyEvent, context: Context) => {
  const body = JSON.parse(event.body ?? '{}') as { name?: string };
  if (body.name !== undefined) body.name.trim();
  return signUp(event, context);
};
