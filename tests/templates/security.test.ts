import {
  API_TEMPLATE,
  AUTH_TEMPLATE,
  loadTemplate,
  type Resource,
  Stack,
} from '../../sam/template';
import { BASE_HEADERS } from '../../src/http/response';

const auth = loadTemplate(AUTH_TEMPLATE);
const api = loadTemplate(API_TEMPLATE);
const props = (resource: Resource | undefined) => resource?.Properties ?? {};
const ofType = (template: typeof api, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

describe('auth stack: the user pool', () => {
  const pool = auth.Resources.UserPool as Resource & {
    DeletionPolicy?: string;
    UpdateReplacePolicy?: string;
  };
  const p = props(pool);

  it('is retained and deletion-protected: deleting or replacing the stack never deletes users', () => {
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.UpdateReplacePolicy).toBe('Retain');
    expect(p.DeletionProtection).toEqual({ Ref: 'DeletionProtection' });
    expect(auth.Parameters?.DeletionProtection?.Default).toBe('ACTIVE');
  });

  it('uses the email as a case-insensitive username, verified with a code', () => {
    expect(p.UsernameAttributes).toEqual(['email']);
    expect(p.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(p.AutoVerifiedAttributes).toEqual(['email']);
    expect(p.VerificationMessageTemplate).toMatchObject({
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
    });
    expect(p.AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }],
    });
  });

  it('takes its password policy from parameters, 12 characters by default', () => {
    const stack = new Stack(auth, {
      stackName: 'auth',
      region: 'us-east-1',
      accountId: '123456789012',
    });
    expect(stack.resolve((p.Policies as { PasswordPolicy: unknown }).PasswordPolicy)).toEqual({
      MinimumLength: '12',
      RequireLowercase: 'false',
      RequireUppercase: 'false',
      RequireNumbers: 'false',
      RequireSymbols: 'false',
      TemporaryPasswordValidityDays: '7',
    });
  });

  it('offers TOTP MFA only (no SMS), OPTIONAL by default, with a factor exactly when MFA is not OFF', () => {
    expect(auth.Parameters?.MfaConfiguration).toMatchObject({
      Default: 'OPTIONAL',
      AllowedValues: ['OFF', 'OPTIONAL', 'ON'],
    });
    expect(p.MfaConfiguration).toEqual({ Ref: 'MfaConfiguration' });
    expect(p.EnabledMfas).toEqual({
      'Fn::If': ['MfaOff', { Ref: 'AWS::NoValue' }, ['SOFTWARE_TOKEN_MFA']],
    });
    expect(p.SmsConfiguration).toBeUndefined();
    for (const setting of ['OFF', 'OPTIONAL', 'ON']) {
      const stack = new Stack(auth, {
        stackName: 'auth',
        region: 'us-east-1',
        accountId: '123456789012',
        parameters: { MfaConfiguration: setting },
      });
      const pool = stack.resolve(p) as Record<string, unknown>;
      expect({ setting, enabled: pool.EnabledMfas }).toEqual({
        setting,
        enabled: setting === 'OFF' ? undefined : ['SOFTWARE_TOKEN_MFA'],
      });
    }
  });

  it('sets the feature plan explicitly', () => {
    expect(p.UserPoolTier).toEqual({ Ref: 'FeaturePlan' });
    expect(auth.Parameters?.FeaturePlan?.AllowedValues).toEqual(['LITE', 'ESSENTIALS', 'PLUS']);
  });

  it('adds the auto-confirm trigger only when asked, and it is off by default', () => {
    expect(auth.Parameters?.AutoConfirmSignUps?.Default).toBe('false');
    const off = new Stack(auth, {
      stackName: 'auth',
      region: 'us-east-1',
      accountId: '123456789012',
    });
    expect(off.resourcesOfType('AWS::Lambda::Function')).toEqual([]);
    expect(off.resolve(p.LambdaConfig)).toBeUndefined();
    const on = new Stack(auth, {
      stackName: 'auth',
      region: 'us-east-1',
      accountId: '123456789012',
      parameters: { AutoConfirmSignUps: 'true' },
    });
    expect(on.resourcesOfType('AWS::Lambda::Function').map(([id]) => id)).toEqual([
      'AutoConfirmFunction',
    ]);
  });

  it("exports the pool's ID and ARN under the stack's name", () => {
    expect(auth.Outputs?.UserPoolId?.Export?.Name).toEqual({
      'Fn::Sub': '${AWS::StackName}-UserPoolId',
    });
    expect(auth.Outputs?.UserPoolArn?.Export?.Name).toEqual({
      'Fn::Sub': '${AWS::StackName}-UserPoolArn',
    });
  });
});

describe('auth stack: the table of ended sessions', () => {
  const [[, table] = ['', undefined]] = ofType(auth, 'AWS::DynamoDB::Table');
  const t = props(table);

  it('is billed per request, keyed by sub, encrypted with KMS, and lets items expire', () => {
    expect(t).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'sub', KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it("exports its name and ARN under the stack's name, for every API stack", () => {
    expect(auth.Outputs?.SessionsTableName?.Export?.Name).toEqual({
      'Fn::Sub': '${AWS::StackName}-SessionsTableName',
    });
    expect(auth.Outputs?.SessionsTableArn?.Export?.Name).toEqual({
      'Fn::Sub': '${AWS::StackName}-SessionsTableArn',
    });
  });
});

describe('API stack: the user-pool client', () => {
  const [[, client] = ['', undefined]] = ofType(api, 'AWS::Cognito::UserPoolClient');
  const p = props(client);

  it('allows exactly user-password and refresh-token auth, with no secret', () => {
    expect(p.ExplicitAuthFlows).toEqual(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(p.GenerateSecret).toBe(false);
  });

  it('prevents user-existence errors and enables token revocation', () => {
    expect(p.PreventUserExistenceErrors).toBe('ENABLED');
    expect(p.EnableTokenRevocation).toBe(true);
  });

  it('takes token lifetimes from parameters with explicit units', () => {
    expect(p.IdTokenValidity).toEqual({ Ref: 'IdTokenValidityMinutes' });
    expect(p.AccessTokenValidity).toEqual({ Ref: 'AccessTokenValidityMinutes' });
    expect(p.RefreshTokenValidity).toEqual({ Ref: 'RefreshTokenValidityDays' });
    expect(p.TokenValidityUnits).toEqual({
      IdToken: 'minutes',
      AccessToken: 'minutes',
      RefreshToken: 'days',
    });
  });

  it('belongs to the imported pool', () => {
    expect(p.UserPoolId).toEqual({
      'Fn::ImportValue': { 'Fn::Sub': '${AuthStackName}-UserPoolId' },
    });
  });
});

describe('API stack: the REST API', () => {
  const [[, restApi] = ['', undefined]] = ofType(api, 'AWS::Serverless::Api');
  const p = props(restApi) as unknown as {
    Auth: { DefaultAuthorizer: string; Authorizers: Record<string, unknown> };
    GatewayResponses: Record<
      string,
      {
        StatusCode?: number;
        ResponseTemplates: Record<string, string>;
        ResponseParameters: { Headers: Record<string, unknown> };
      }
    >;
    MethodSettings: Record<string, unknown>[];
  };

  it('puts every route behind a Cognito authorizer on the imported pool', () => {
    expect(p.Auth.DefaultAuthorizer).toBe('CognitoAuthorizer');
    // SAM reads the token from the Authorization header unless Identity says otherwise.
    expect(p.Auth.Authorizers.CognitoAuthorizer).toEqual({
      UserPoolArn: { 'Fn::ImportValue': { 'Fn::Sub': '${AuthStackName}-UserPoolArn' } },
    });
  });

  it('answers its own errors in the {"error", "message"} shape with CORS headers', () => {
    const expected: Record<string, number | undefined> = {
      UNAUTHORIZED: 401,
      ACCESS_DENIED: 403,
      MISSING_AUTHENTICATION_TOKEN: 404,
      INVALID_SIGNATURE: 404,
      REQUEST_TOO_LARGE: 413,
      THROTTLED: 429,
      INVALID_API_KEY: 403,
      QUOTA_EXCEEDED: 429,
      DEFAULT_4XX: undefined,
      DEFAULT_5XX: undefined,
    };
    expect(Object.keys(p.GatewayResponses).sort()).toEqual(Object.keys(expected).sort());
    for (const [type, statusCode] of Object.entries(expected)) {
      const response = p.GatewayResponses[type];
      if (!response) throw new Error(`missing ${type}`);
      expect(response.StatusCode).toBe(statusCode);
      const body = JSON.parse(response.ResponseTemplates['application/json'] ?? '');
      expect(body).toEqual(
        expect.objectContaining({ error: expect.any(String), message: expect.any(String) }),
      );
      expect(Object.keys(response.ResponseParameters.Headers)).toEqual(
        expect.arrayContaining([
          'Access-Control-Allow-Origin',
          'Access-Control-Allow-Credentials',
          'Vary',
        ]),
      );
      // The functions' own headers, as API Gateway's mapping wants them (quoted literals).
      for (const [name, value] of Object.entries(BASE_HEADERS))
        expect(response.ResponseParameters.Headers[name]).toBe(`'${value}'`);
    }
  });

  it('throttles the stage, and the sign-in and code routes harder', () => {
    const settings = p.MethodSettings;
    expect(settings).toContainEqual(
      expect.objectContaining({
        ResourcePath: '/*',
        HttpMethod: '*',
        ThrottlingRateLimit: { Ref: 'ThrottlingRateLimit' },
        ThrottlingBurstLimit: { Ref: 'ThrottlingBurstLimit' },
      }),
    );
    for (const path of [
      '/~1auth~1signin',
      '/~1auth~1signup',
      '/~1auth~1resend-code',
      '/~1auth~1forgot-password',
    ]) {
      expect(settings).toContainEqual(
        expect.objectContaining({
          ResourcePath: path,
          ThrottlingRateLimit: { Ref: 'AuthThrottlingRateLimit' },
        }),
      );
    }
  });
});

describe('API stack: the functions', () => {
  const functions = ofType(api, 'AWS::Serverless::Function');

  it('run Node.js 22 on arm64', () => {
    expect(api.Globals?.Function).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
    });
    for (const [, fn] of functions) {
      expect(props(fn).Runtime ?? 'nodejs22.x').toBe('nodejs22.x');
    }
  });

  it.each(functions)('%s has a log group with retention', (id) => {
    const logGroups = ofType(api, 'AWS::Logs::LogGroup').filter(([, group]) =>
      JSON.stringify(props(group).LogGroupName).includes(`\${${id}}`),
    );
    expect(logGroups).toHaveLength(1);
    expect(props(logGroups[0]?.[1]).RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
  });

  const pool = { 'Fn::ImportValue': { 'Fn::Sub': '${AuthStackName}-UserPoolArn' } };
  const sessions = { 'Fn::ImportValue': { 'Fn::Sub': '${AuthStackName}-SessionsTableArn' } };
  const readSessions = [{ actions: ['dynamodb:GetItem'], resource: sessions }];
  const writeSessions = [{ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resource: sessions }];
  const describePool = [{ actions: ['cognito-idp:DescribeUserPool'], resource: pool }];
  const bucket = (actions: string[]) => [
    { actions, resource: { 'Fn::Sub': '${UserDataBucket.Arn}/users/*' } },
  ];

  // Every permission of every function, and nothing more: public Cognito APIs need none; the
  // four that set a password may describe the pool (to say what its policy wants); the session
  // record is read by every protected function and written only where sessions end.
  const PERMISSIONS: Record<string, { actions: string[]; resource: unknown }[]> = {
    SignUpFunction: describePool,
    ConfirmSignUpFunction: [],
    ResendCodeFunction: [],
    SignInFunction: [],
    RespondToChallengeFunction: describePool,
    RefreshTokensFunction: readSessions,
    ForgotPasswordFunction: [],
    ConfirmForgotPasswordFunction: [
      ...describePool,
      {
        actions: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminUserGlobalSignOut'],
        resource: pool,
      },
      ...writeSessions,
    ],
    SignOutFunction: writeSessions,
    SignOutAllFunction: writeSessions,
    ChangePasswordFunction: [...describePool, ...writeSessions],
    GetMeFunction: readSessions,
    GetPublicFunction: [],
    GetProtectedFunction: readSessions,
    GetProfileFunction: [...bucket(['s3:GetObject']), ...readSessions],
    PutProfileFunction: [...bucket(['s3:PutObject']), ...readSessions],
    CreateLogFunction: [...bucket(['s3:PutObject', 's3:DeleteObject']), ...readSessions],
    ListLogsFunction: [
      {
        actions: ['s3:ListBucket'],
        resource: { 'Fn::GetAtt': ['UserDataBucket', 'Arn'] },
      },
      ...readSessions,
    ],
    GetLogFunction: [...bucket(['s3:GetObject']), ...readSessions],
    DeleteLogFunction: [...bucket(['s3:GetObject', 's3:DeleteObject']), ...readSessions],
    EnrolTotpFunction: readSessions,
    VerifyTotpFunction: readSessions,
    // Turning MFA off is refused where the pool requires MFA; re-authentication ends the
    // session its own sign-in opened (src/auth/reauthentication.ts).
    DisableMfaFunction: [
      { actions: ['cognito-idp:GetUserPoolMfaConfig'], resource: pool },
      ...writeSessions,
    ],
    ChangeEmailFunction: writeSessions,
    VerifyEmailFunction: readSessions,
    ExportDataFunction: [
      { actions: ['cognito-idp:AdminGetUser'], resource: pool },
      { actions: ['s3:ListBucket'], resource: { 'Fn::GetAtt': ['UserDataBucket', 'Arn'] } },
      ...bucket(['s3:GetObject']),
      {
        actions: ['s3:PutObject'],
        resource: { 'Fn::Sub': '${UserDataBucket.Arn}/users/*/exports/*' },
      },
      ...readSessions,
    ],
    // DELETE /me: whether the user is still there, and deleting it last; every version under
    // users/ (the code names the caller's prefix; IAM cannot); the account marked deleted.
    DeleteAccountFunction: [
      { actions: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminDeleteUser'], resource: pool },
      {
        actions: ['s3:ListBucketVersions'],
        resource: { 'Fn::GetAtt': ['UserDataBucket', 'Arn'] },
      },
      ...bucket(['s3:DeleteObject', 's3:DeleteObjectVersion']),
      ...writeSessions,
    ],
    CorsPreflightFunction: [],
  };

  it('has a permission list for every function', () => {
    expect(functions.map(([id]) => id).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  it.each(functions)('%s may do exactly what it needs, on exactly its resources', (id, fn) => {
    const statements = ((props(fn).Policies ?? []) as { Statement: object[] }[]).flatMap(
      (policy) => policy.Statement,
    ) as { Effect: string; Action: string | string[]; Resource: unknown }[];
    expect(
      statements.map((statement) => ({
        effect: statement.Effect,
        actions: [statement.Action].flat().sort(),
        resource: statement.Resource,
      })),
    ).toEqual(
      (PERMISSIONS[id] ?? []).map((grant) => ({
        effect: 'Allow',
        actions: [...grant.actions].sort(),
        resource: grant.resource,
      })),
    );
  });
});

describe('API stack: the user-data bucket', () => {
  const bucket = api.Resources.UserDataBucket as Resource & {
    DeletionPolicy?: string;
    UpdateReplacePolicy?: string;
  };
  const p = props(bucket);

  it('is never public and its objects belong to the bucket owner', () => {
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(p.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('encrypts every object', () => {
    expect(p.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true },
      ],
    });
  });

  it('refuses every request without TLS', () => {
    const [[, policy] = ['', undefined]] = ofType(api, 'AWS::S3::BucketPolicy');
    expect(props(policy).Bucket).toEqual({ Ref: 'UserDataBucket' });
    expect((props(policy).PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [
        { 'Fn::GetAtt': ['UserDataBucket', 'Arn'] },
        { 'Fn::Sub': '${UserDataBucket.Arn}/*' },
      ],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('keeps versions for a while, then expires them; the bucket outlives the stack', () => {
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect((p.LifecycleConfiguration as { Rules: unknown[] }).Rules).toContainEqual(
      expect.objectContaining({
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: { Ref: 'NoncurrentVersionRetentionDays' } },
      }),
    );
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
  });

  const OBJECTS = { 'Fn::Sub': '${UserDataBucket.Arn}/users/*' };
  it.each([
    ['GetProfileFunction', ['s3:GetObject']],
    ['PutProfileFunction', ['s3:PutObject']],
    ['CreateLogFunction', ['s3:DeleteObject', 's3:PutObject']],
    ['GetLogFunction', ['s3:GetObject']],
    ['DeleteLogFunction', ['s3:DeleteObject', 's3:GetObject']],
  ])('gives %s only %j, only on users/ keys', (id, actions) => {
    const statements = (
      props(api.Resources[id]).Policies as { Statement: Record<string, unknown>[] }[]
    )
      .flatMap((policy) => policy.Statement)
      .filter((statement) => String(statement.Action).startsWith('s3:'));
    expect(statements).toHaveLength(1);
    expect([statements[0]?.Action].flat().sort()).toEqual(actions);
    expect(statements[0]?.Resource).toEqual(OBJECTS);
  });

  const LIST_USERS = {
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: { 'Fn::GetAtt': ['UserDataBucket', 'Arn'] },
    Condition: { StringLike: { 's3:prefix': 'users/*' } },
  };
  /** A function's statements but those on the session record (PERMISSIONS above has them all). */
  const statementsOf = (id: string) =>
    ((props(api.Resources[id]).Policies ?? []) as { Statement: { Action: unknown }[] }[])
      .flatMap((policy) => policy.Statement)
      .filter((statement) => !String(statement.Action).startsWith('dynamodb:'));

  it('lets only the list and export functions list the bucket, and only under users/', () => {
    expect(statementsOf('ListLogsFunction')).toEqual([LIST_USERS]);
    const listers = ofType(api, 'AWS::Serverless::Function')
      .filter(([id]) => JSON.stringify(statementsOf(id)).includes('"s3:ListBucket"'))
      .map(([id]) => id);
    expect(listers.sort()).toEqual(['ExportDataFunction', 'ListLogsFunction']);
  });

  it('lets only the account deletion list versions, and only under users/', () => {
    const versionListers = ofType(api, 'AWS::Serverless::Function')
      .filter(([id]) => JSON.stringify(statementsOf(id)).includes('s3:ListBucketVersions'))
      .map(([id]) => id);
    expect(versionListers).toEqual(['DeleteAccountFunction']);
    expect(statementsOf('DeleteAccountFunction')).toContainEqual({
      ...LIST_USERS,
      Action: 's3:ListBucketVersions',
    });
  });

  it('gives the export function its reads, its list, AdminGetUser on the pool, and writes only under exports/', () => {
    expect(statementsOf('ExportDataFunction')).toEqual([
      {
        Effect: 'Allow',
        Action: 'cognito-idp:AdminGetUser',
        Resource: { 'Fn::ImportValue': { 'Fn::Sub': '${AuthStackName}-UserPoolArn' } },
      },
      LIST_USERS,
      { Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS },
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Sub': '${UserDataBucket.Arn}/users/*/exports/*' },
      },
    ]);
  });
});

describe('log retention everywhere', () => {
  it.each([
    ['auth-stack.yaml', auth],
    ['template.yaml', api],
  ])('%s: every log group expires its logs, and every function has one', (_name, template) => {
    const groups = ofType(template, 'AWS::Logs::LogGroup');
    for (const [, group] of groups)
      expect(props(group).RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
    const functions = [
      ...ofType(template, 'AWS::Lambda::Function'),
      ...ofType(template, 'AWS::Serverless::Function'),
    ];
    for (const [id, fn] of functions) {
      const named = groups.filter(([groupId, group]) => {
        const name = JSON.stringify(props(group).LogGroupName);
        return (
          name.includes(`\${${id}}`) ||
          JSON.stringify(props(fn).LoggingConfig ?? {}).includes(groupId)
        );
      });
      expect({ id, logGroups: named.length }).toEqual({ id, logGroups: 1 });
    }
  });
});

describe('no IAM wildcard anywhere', () => {
  /** Every IAM statement in a template: roles, inline policies, SAM policy documents. */
  function statements(value: unknown): Record<string, unknown>[] {
    if (Array.isArray(value)) return value.flatMap(statements);
    if (value === null || typeof value !== 'object') return [];
    const found = Object.entries(value).flatMap(([key, item]) =>
      key === 'Statement' ? (Array.isArray(item) ? item : [item]) : statements(item),
    );
    return found as Record<string, unknown>[];
  }
  const wildcard = (value: unknown) =>
    [value]
      .flat()
      .some((item) => item === '*' || (typeof item === 'string' && /^\w+:\*$/.test(item)));

  it.each([
    ['auth-stack.yaml', auth],
    ['template.yaml', api],
  ])('%s grants no "*" action or resource', (_name, template) => {
    const all = statements(template.Resources);
    for (const statement of all) {
      if (statement.Effect === 'Deny') continue;
      expect(wildcard(statement.Action)).toBe(false);
      expect(wildcard(statement.Resource)).toBe(false);
    }
  });
});

describe('outputs', () => {
  it('give CI everything it needs without secrets', () => {
    expect(Object.keys(api.Outputs ?? {})).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'UserPoolClientId',
        'UserDataBucketName',
        'CognitoEndpoint',
      ]),
    );
    // The pool's ID is the auth stack's output: re-exporting an import is cfn-lint's W6001.
    expect(Object.keys(auth.Outputs ?? {})).toContain('UserPoolId');
  });
});
