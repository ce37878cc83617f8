import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { SpecDatabase } from '@aws-cdk/service-spec-types';
import { API_TEMPLATE, AUTH_TEMPLATE, loadTemplate, type Template } from '../../sam/template';

/**
 * CloudFormation refuses to change an exported value while another stack imports it, so an
 * export must not change when a user changes a parameter of the exporting stack and runs
 * `sam deploy` again: its value may not name a parameter, nor a resource that a parameter can
 * make CloudFormation replace (a new resource has a new ID), nor a resource that a
 * parameter-driven condition can remove.
 */

/** The names a value refers to: Ref, Fn::GetAtt, and ${Name} in Fn::Sub. */
function references(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(references);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => {
    if (key === 'Ref') return [String(item)];
    if (key === 'Fn::GetAtt')
      return [String(Array.isArray(item) ? item[0] : String(item).split('.')[0])];
    if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(item) ? item : [item, {}];
      const named = [...String(text).matchAll(/\$\{([^!}][^}]*)\}/g)].map(
        (match) => String(match[1]).split('.')[0] ?? '',
      );
      const own = Object.keys((variables as object) ?? {});
      return [...named.filter((name) => !own.includes(name)), ...references(variables)];
    }
    return references(item);
  });
}

/** The parameters a condition depends on, through other conditions. */
function conditionParameters(template: Template, name: string): string[] {
  const expression = template.Conditions?.[name];
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === 'Condition' && typeof item === 'string')
          found.push(...conditionParameters(template, item));
        else walk(item);
      }
    }
  };
  walk(expression);
  found.push(...references(expression).filter((ref) => ref in (template.Parameters ?? {})));
  return found;
}

let database: SpecDatabase;
beforeAll(async () => {
  database = await loadAwsServiceSpec();
});

/** How each export depends on a parameter, as "Output: why"; empty when none does. */
function exportProblems(template: Template): string[] {
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const problems: string[] = [];
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (!output.Export) continue;
    for (const ref of references([output.Value, output.Export.Name])) {
      if (parameters.has(ref)) {
        problems.push(`${name}: names the parameter ${ref}`);
        continue;
      }
      const resource = template.Resources[ref];
      if (!resource) continue;
      if (resource.Condition && conditionParameters(template, resource.Condition).length > 0)
        problems.push(`${name}: ${ref} exists only under a condition on parameters`);
      const spec = database
        .lookup('resource', 'cloudFormationType', 'equals', resource.Type)
        .only().properties;
      for (const [property, value] of Object.entries(resource.Properties ?? {})) {
        const fromParameters = references(value).filter((item) => parameters.has(item));
        const replaces = spec[property]?.causesReplacement;
        if (fromParameters.length > 0 && replaces && replaces !== 'no')
          problems.push(
            `${name}: ${ref}.${property} comes from ${fromParameters} and replaces ${ref}`,
          );
      }
    }
  }
  return problems;
}

describe('exports survive a parameter change of their stack', () => {
  it.each([
    ['auth-stack.yaml', AUTH_TEMPLATE],
    ['template.yaml', API_TEMPLATE],
  ])('%s: no export depends on a parameter', (_name, file) => {
    expect(exportProblems(loadTemplate(file))).toEqual([]);
  });

  it("auth-stack.yaml exports only the pool's and the sessions table's ID and ARN", () => {
    const exported = Object.entries(loadTemplate(AUTH_TEMPLATE).Outputs ?? {})
      .filter(([, output]) => output.Export)
      .map(([name]) => name);
    expect(exported).toEqual([
      'UserPoolId',
      'UserPoolArn',
      'SessionsTableName',
      'SessionsTableArn',
    ]);
  });

  it('catches an export of a parameter, and of a resource a parameter replaces', () => {
    const auth = loadTemplate(AUTH_TEMPLATE);
    const planted: Template = {
      ...auth,
      Resources: {
        ...auth.Resources,
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'SesIdentity' } } },
      },
      Outputs: {
        ...auth.Outputs,
        Policy: {
          Value: { 'Fn::Sub': 'minLength=${PasswordMinimumLength}' },
          Export: { Name: { 'Fn::Sub': '${AWS::StackName}-PasswordPolicy' } },
        },
        BucketName: { Value: { Ref: 'Bucket' }, Export: { Name: 'bucket' } },
        Trigger: {
          Value: { 'Fn::GetAtt': ['AutoConfirmFunction', 'Arn'] },
          Export: { Name: 'trigger' },
        },
      },
    };
    expect(exportProblems(planted)).toEqual([
      'Policy: names the parameter PasswordMinimumLength',
      'BucketName: Bucket.BucketName comes from SesIdentity and replaces Bucket',
      'Trigger: AutoConfirmFunction exists only under a condition on parameters',
    ]);
  });
});
