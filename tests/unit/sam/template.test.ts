import { Stack, type Template } from '../../../sam/template';

/** The intrinsic functions and conditions as CloudFormation resolves them, on a small template. */

const TEMPLATE: Template = {
  Parameters: {
    Stage: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'] },
    Origins: { Type: 'CommaDelimitedList', Default: 'https://a.example, https://b.example' },
    Retention: { Type: 'Number', Default: 30 },
  },
  Conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    KeepsLogs: {
      'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': [{ Ref: 'Retention' }, 30] }],
    },
    Both: { 'Fn::And': [{ Condition: 'IsDev' }, { Condition: 'KeepsLogs' }] },
  },
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket' },
    ProdOnly: { Type: 'AWS::S3::Bucket', Condition: 'IsProd' },
    Queue: { Type: 'AWS::SQS::Queue' },
  },
  Outputs: {
    BucketName: {
      Value: { Ref: 'Bucket' },
      Export: { Name: { 'Fn::Sub': '${AWS::StackName}-Bucket' } },
    },
    ProdName: { Condition: 'IsProd', Value: { Ref: 'ProdOnly' }, Export: { Name: 'prod-only' } },
    StageName: { Value: { Ref: 'Stage' } },
  },
};

const stackOf = (parameters: Record<string, string> = {}, imports: Record<string, string> = {}) => {
  const stack = new Stack(TEMPLATE, {
    stackName: 'local-api',
    region: 'eu-west-1',
    accountId: '123456789012',
    parameters,
    imports,
  });
  stack.resources.set('Bucket', {
    ref: 'local-bucket',
    attributes: { Arn: 'arn:aws:s3:::local-bucket' },
  });
  stack.resources.set('ProdOnly', { ref: 'prod-bucket' });
  return stack;
};

describe('Stack (the template reader and intrinsic resolver)', () => {
  it('takes parameters from the values given, else their defaults; lists split on commas', () => {
    const stack = stackOf({ Stage: 'prod' });
    expect(stack.parameter('Stage')).toBe('prod');
    expect(stack.parameter('Retention')).toBe('30');
    expect(stack.parameter('Origins')).toEqual(['https://a.example', 'https://b.example']);
  });

  it('refuses a value outside AllowedValues, and a parameter the template does not declare', () => {
    expect(() => stackOf({ Stage: 'test' })).toThrow(
      'Parameter Stage=test is not one of dev, prod',
    );
    expect(() => stackOf({ Colour: 'blue' })).toThrow('Unknown parameter Colour');
  });

  it('resolves Ref to pseudo parameters, parameters and the resources it has created', () => {
    const stack = stackOf();
    expect(
      stack.resolve({
        region: { Ref: 'AWS::Region' },
        account: { Ref: 'AWS::AccountId' },
        name: { Ref: 'AWS::StackName' },
        partition: { Ref: 'AWS::Partition' },
        suffix: { Ref: 'AWS::URLSuffix' },
        id: { Ref: 'AWS::StackId' },
        stage: { Ref: 'Stage' },
        bucket: { Ref: 'Bucket' },
      }),
    ).toEqual({
      region: 'eu-west-1',
      account: '123456789012',
      name: 'local-api',
      partition: 'aws',
      suffix: 'amazonaws.com',
      id: expect.stringMatching(
        /^arn:aws:cloudformation:eu-west-1:123456789012:stack\/local-api\/[0-9a-f-]{36}$/,
      ),
      stage: 'dev',
      bucket: 'local-bucket',
    });
    expect(() => stack.resolve({ Ref: 'Queue' })).toThrow(
      'Ref Queue: the local stack has not created it',
    );
  });

  it('resolves Fn::GetAtt in both forms, and refuses an attribute it does not know', () => {
    const stack = stackOf();
    expect(stack.resolve({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBe('arn:aws:s3:::local-bucket');
    expect(stack.resolve({ 'Fn::GetAtt': 'Bucket.Arn' })).toBe('arn:aws:s3:::local-bucket');
    expect(() => stack.resolve({ 'Fn::GetAtt': 'Bucket.DomainName' })).toThrow(
      'Fn::GetAtt Bucket.DomainName: not known locally',
    );
  });

  it('substitutes Fn::Sub variables, references, attributes and its own map; ${!x} stays literal', () => {
    const stack = stackOf();
    expect(
      stack.resolve({
        'Fn::Sub': [
          '${AWS::Region}/${Stage}/${Bucket}/${Bucket.Arn}/${Greeting}/${!Literal}',
          { Greeting: { 'Fn::Join': ['-', ['hello', { Ref: 'Stage' }]] } },
        ],
      }),
    ).toBe('eu-west-1/dev/local-bucket/arn:aws:s3:::local-bucket/hello-dev/${Literal}');
    expect(stack.resolve({ 'Fn::Sub': 'logs-${AWS::StackName}' })).toBe('logs-local-api');
  });

  it('resolves Fn::Join, Fn::Split and Fn::Select, and refuses an index out of range', () => {
    const stack = stackOf();
    const id = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
    expect(stack.resolve(id)).toMatch(/^[0-9a-f-]{36}$/);
    expect(stack.resolve({ 'Fn::Select': [1, { Ref: 'Origins' }] })).toBe('https://b.example');
    expect(stack.resolve({ 'Fn::Join': [',', { Ref: 'Origins' }] })).toBe(
      'https://a.example,https://b.example',
    );
    expect(() => stack.resolve({ 'Fn::Select': [5, ['a']] })).toThrow(
      'Fn::Select index 5 out of range',
    );
  });

  it('evaluates conditions (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition) for Fn::If', () => {
    const pick = (stack: Stack) =>
      stack.resolve({
        prod: { 'Fn::If': ['IsProd', 'yes', 'no'] },
        both: { 'Fn::If': ['Both', 'yes', 'no'] },
      });
    expect(pick(stackOf())).toEqual({ prod: 'no', both: 'yes' });
    expect(pick(stackOf({ Stage: 'prod', Retention: '7' }))).toEqual({ prod: 'yes', both: 'no' });
    expect(() => stackOf().condition('Nope')).toThrow('Unknown condition Nope');
  });

  it('drops a key or a list item that resolves to AWS::NoValue', () => {
    expect(
      stackOf().resolve({
        kept: 'a',
        dropped: { 'Fn::If': ['IsProd', 'b', { Ref: 'AWS::NoValue' }] },
        list: ['x', { 'Fn::If': ['IsProd', 'y', { Ref: 'AWS::NoValue' }] }, 'z'],
      }),
    ).toEqual({ kept: 'a', list: ['x', 'z'] });
  });

  it('resolves Fn::ImportValue from the exports it was given, and names a missing one', () => {
    const stack = stackOf({}, { 'local-auth-UserPoolId': 'eu-west-1_Local' });
    expect(stack.resolve({ 'Fn::ImportValue': { 'Fn::Sub': 'local-auth-UserPoolId' } })).toBe(
      'eu-west-1_Local',
    );
    expect(() => stack.resolve({ 'Fn::ImportValue': 'other-Thing' })).toThrow(
      'Fn::ImportValue: no stack exports other-Thing',
    );
  });

  it('refuses an intrinsic function it does not implement, rather than passing it through', () => {
    expect(() => stackOf().resolve({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] })).toThrow(
      'The local stack does not resolve Fn::Cidr',
    );
  });

  it('leaves out resources and outputs whose condition does not hold', () => {
    const dev = stackOf();
    expect(dev.resourcesOfType('AWS::S3::Bucket').map(([id]) => id)).toEqual(['Bucket']);
    expect(dev.single('AWS::S3::Bucket')[0]).toBe('Bucket');
    expect(dev.outputs()).toEqual({ BucketName: 'local-bucket', StageName: 'dev' });
    expect(dev.exports()).toEqual({ 'local-api-Bucket': 'local-bucket' });

    const prod = stackOf({ Stage: 'prod' });
    expect(() => prod.single('AWS::S3::Bucket')).toThrow('Expected one AWS::S3::Bucket, found 2');
    expect(prod.exports()).toEqual({
      'local-api-Bucket': 'local-bucket',
      'prod-only': 'prod-bucket',
    });
  });
});
