import { API_TEMPLATE, loadTemplate, samFunctions } from '../../sam/template';
import { LONGEST_TOKEN_SECONDS } from '../../src/sessions/session-record';

/**
 * Every protected function consults the session record: the table's name from the auth stack
 * (its IAM permission is in security.test.ts; that its handler is built with the check, in
 * tests/unit/handlers/protected-routes.test.ts).
 */
const template = loadTemplate(API_TEMPLATE);
const protectedFunctions = samFunctions(template).filter((fn) =>
  fn.routes.some((route) => route.authorizer !== 'NONE'),
);

describe('the session check in template.yaml', () => {
  it('covers at least every route that serves user data', () => {
    expect(protectedFunctions.length).toBeGreaterThanOrEqual(10);
  });

  it.each(protectedFunctions.map((fn) => [fn.logicalId, fn] as const))(
    '%s is given the sessions table of the auth stack',
    (_id, fn) => {
      expect(fn.environment.SESSIONS_TABLE).toEqual({
        'Fn::ImportValue': { 'Fn::Sub': '${AuthStackName}-SessionsTableName' },
      });
      expect(fn.environment.DYNAMODB_ENDPOINT).toBe('');
    },
  );

  it('remembers an ended session at least as long as any token can live', () => {
    const longest = Math.max(
      ...['IdTokenValidityMinutes', 'AccessTokenValidityMinutes'].map((name) =>
        Number((template.Parameters?.[name] as { MaxValue?: number } | undefined)?.MaxValue),
      ),
    );
    expect(LONGEST_TOKEN_SECONDS).toBe(longest * 60);
  });
});
