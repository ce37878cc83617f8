import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { SpecDatabase } from '@aws-cdk/service-spec-types';

/**
 * A property name/type check of SAM resources against the resource spec in
 * @aws-cdk/aws-service-spec, because @aws/cloudformation-validate does not look inside
 * AWS::Serverless::* resources. Values that are intrinsic functions are accepted wherever a
 * scalar is expected (their type is only known at deploy time).
 */

type PropertyType =
  | { type: 'string' | 'number' | 'integer' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { type: 'array' | 'map'; element: PropertyType }
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'union'; types: PropertyType[] };

interface PropertySpec {
  type: PropertyType;
  required?: boolean;
}

let database: Promise<SpecDatabase> | undefined;
const spec = () => {
  database ??= loadAwsServiceSpec();
  return database;
};

const isIntrinsic = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  /^(Ref|Fn::\w+|Condition)$/.test(Object.keys(value)[0] ?? '');

/**
 * SAM properties newer than the spec in @aws-cdk/aws-service-spec, with the type SAM documents
 * for them (and the SAM translator checks: sam/validate.py runs it on the template).
 */
const NEWER_THAN_SPEC: Record<string, Record<string, PropertySpec>> = {
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html#sam-api-mergedefinitions
  'AWS::Serverless::Api': { MergeDefinitions: { type: { type: 'boolean' } } },
};

/** Problems with `properties` of a resource of `type`, as "Path.To.Property: problem". */
export async function samPropertyProblems(
  type: string,
  properties: Record<string, unknown>,
): Promise<string[]> {
  const db = await spec();
  const resource = db.lookup('resource', 'cloudFormationType', 'equals', type).only();
  const specs = {
    ...(resource.properties as Record<string, PropertySpec>),
    ...NEWER_THAN_SPEC[type],
  };
  return checkObject(db, specs, properties, type);
}

function checkObject(
  db: SpecDatabase,
  specs: Record<string, PropertySpec>,
  value: unknown,
  at: string,
): string[] {
  if (isIntrinsic(value)) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${at}: expected an object`];
  const problems: string[] = [];
  for (const [name, item] of Object.entries(value)) {
    const property = specs[name];
    if (!property) problems.push(`${at}.${name}: unknown property`);
    else problems.push(...checkType(db, property.type, item, `${at}.${name}`));
  }
  for (const [name, property] of Object.entries(specs)) {
    if (property.required && !(name in value)) problems.push(`${at}.${name}: required`);
  }
  return problems;
}

function checkType(db: SpecDatabase, type: PropertyType, value: unknown, at: string): string[] {
  if (isIntrinsic(value)) return [];
  switch (type.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: expected a string`];
    case 'number':
    case 'integer':
      return typeof value === 'number' ||
        (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
        ? []
        : [`${at}: expected a number`];
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false'
        ? []
        : [`${at}: expected a boolean`];
    case 'json':
    case 'tag':
    case 'null':
    case 'date-time':
      return [];
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, index) => checkType(db, type.element, item, `${at}[${index}]`))
        : [`${at}: expected an array`];
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.entries(value).flatMap(([key, item]) =>
            checkType(db, type.element, item, `${at}.${key}`),
          )
        : [`${at}: expected a map`];
    case 'ref': {
      const definition = db.get('typeDefinition', type.reference.$ref);
      return checkObject(db, definition.properties as Record<string, PropertySpec>, value, at);
    }
    case 'union': {
      const attempts = type.types.map((option) => checkType(db, option, value, at));
      return attempts.some((problems) => problems.length === 0)
        ? []
        : (attempts.sort((a, b) => a.length - b.length)[0] ?? [`${at}: matches no allowed type`]);
    }
  }
}
