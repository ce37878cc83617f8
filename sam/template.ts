import { readFileSync } from 'node:fs';
import path from 'node:path';
import { yamlParse } from 'yaml-cfn';

/**
 * Reads the deployable templates so that the build and the local stack take every fact from
 * them (one source): the pool, the client, the functions, their routes and environment.
 * `Stack` resolves the intrinsic functions these templates use; anything else is an error
 * that names the function, so a template change can never be silently misread.
 */

export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const AUTH_TEMPLATE = path.join(PROJECT_ROOT, 'auth-stack.yaml');
export const API_TEMPLATE = path.join(PROJECT_ROOT, 'template.yaml');

export interface Resource {
  Type: string;
  Condition?: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export interface ParameterSpec {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  MinValue?: number;
  MaxValue?: number;
  MinLength?: number;
  MaxLength?: number;
}

export interface Template {
  Parameters?: Record<string, ParameterSpec>;
  Conditions?: Record<string, unknown>;
  Globals?: { Function?: Record<string, unknown>; Api?: Record<string, unknown> };
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown }; Condition?: string }>;
}

export function loadTemplate(file: string): Template {
  return yamlParse(readFileSync(file, 'utf8')) as Template;
}

/** What `Ref` and `Fn::GetAtt` give for a resource the local stack has created. */
export interface PhysicalResource {
  ref: string;
  attributes?: Record<string, string>;
}

export interface StackOptions {
  stackName: string;
  region: string;
  accountId: string;
  parameters?: Record<string, string>;
  /** Exports of stacks deployed before this one (Fn::ImportValue). */
  imports?: Record<string, string>;
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Why CloudFormation would refuse `value` for a parameter of this spec (the constraints it
 * checks before creating anything), or undefined if it would take it.
 */
function parameterProblem(spec: ParameterSpec, value: string): string | undefined {
  if (spec.AllowedValues && !spec.AllowedValues.map(String).includes(value)) {
    return `is not one of ${spec.AllowedValues.map(String).join(', ')}`;
  }
  if (spec.Type === 'Number') {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) return 'is not a number';
    if (spec.MinValue !== undefined && number < spec.MinValue) {
      return `is less than its MinValue ${spec.MinValue}`;
    }
    if (spec.MaxValue !== undefined && number > spec.MaxValue) {
      return `is more than its MaxValue ${spec.MaxValue}`;
    }
  }
  if (spec.Type === 'String') {
    if (spec.MinLength !== undefined && value.length < spec.MinLength) {
      return `is shorter than its MinLength ${spec.MinLength}`;
    }
    if (spec.MaxLength !== undefined && value.length > spec.MaxLength) {
      return `is longer than its MaxLength ${spec.MaxLength}`;
    }
    // CloudFormation matches the whole value against AllowedPattern.
    if (
      spec.AllowedPattern !== undefined &&
      !new RegExp(`^(?:${spec.AllowedPattern})$`).test(value)
    ) {
      return `does not match its AllowedPattern ${spec.AllowedPattern}`;
    }
  }
  return undefined;
}

export class Stack {
  readonly resources = new Map<string, PhysicalResource>();
  private readonly parameters = new Map<string, string | string[]>();

  constructor(
    readonly template: Template,
    readonly options: StackOptions,
  ) {
    for (const [name, spec] of Object.entries(template.Parameters ?? {})) {
      const raw = options.parameters?.[name] ?? spec.Default;
      if (raw === undefined) throw new Error(`Parameter ${name} has no default and no value`);
      const text = String(raw);
      const problem = parameterProblem(spec, text);
      if (problem) throw new Error(`Parameter ${name}=${text} ${problem}`);
      this.parameters.set(
        name,
        spec.Type === 'CommaDelimitedList' ? text.split(',').map((item) => item.trim()) : text,
      );
    }
    for (const name of Object.keys(options.parameters ?? {})) {
      if (!this.parameters.has(name)) throw new Error(`Unknown parameter ${name}`);
    }
  }

  parameter(name: string): string | string[] {
    const value = this.parameters.get(name);
    if (value === undefined) throw new Error(`Unknown parameter ${name}`);
    return value;
  }

  condition(name: string): boolean {
    const expression = this.template.Conditions?.[name];
    if (expression === undefined) throw new Error(`Unknown condition ${name}`);
    return this.truth(expression);
  }

  /** Resources of a type whose Condition (if any) holds. */
  resourcesOfType(type: string): [string, Resource][] {
    return Object.entries(this.template.Resources).filter(
      ([, resource]) =>
        resource.Type === type && (!resource.Condition || this.condition(resource.Condition)),
    );
  }

  /** The single resource of a type, or an error naming how many there were. */
  single(type: string): [string, Resource] {
    const found = this.resourcesOfType(type);
    const [first] = found;
    if (found.length !== 1 || !first)
      throw new Error(`Expected one ${type}, found ${found.length}`);
    return first;
  }

  /** Resolved Outputs (those whose condition holds). */
  outputs(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [name, output] of Object.entries(this.template.Outputs ?? {})) {
      if (output.Condition && !this.condition(output.Condition)) continue;
      result[name] = String(this.resolve(output.Value));
    }
    return result;
  }

  /** Resolved export names and values, as Fn::ImportValue sees them from other stacks. */
  exports(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const output of Object.values(this.template.Outputs ?? {})) {
      if (!output.Export || (output.Condition && !this.condition(output.Condition))) continue;
      result[String(this.resolve(output.Export.Name))] = String(this.resolve(output.Value));
    }
    return result;
  }

  /** Resolves every intrinsic function in `value`; `AWS::NoValue` removes the key or item. */
  resolve(value: unknown): unknown {
    const resolved = this.walk(value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  private walk(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.walk(item)).filter((item) => item !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [first] = entries;
    if (
      entries.length === 1 &&
      first &&
      (first[0] === 'Ref' || first[0].startsWith('Fn::') || first[0] === 'Condition')
    ) {
      return this.intrinsic(first[0], first[1]);
    }
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const resolved = this.walk(item);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  private intrinsic(name: string, argument: unknown): unknown {
    const args = Array.isArray(argument) ? argument : [argument];
    switch (name) {
      case 'Ref':
        return this.ref(String(argument));
      case 'Fn::GetAtt': {
        const [logicalId, attribute] =
          typeof argument === 'string' ? argument.split('.') : (args as string[]);
        return this.getAtt(String(logicalId), String(attribute));
      }
      case 'Fn::Sub':
        return this.sub(args[0] as string, (args[1] as Record<string, unknown> | undefined) ?? {});
      case 'Fn::Join': {
        const [separator, items] = args as [string, unknown];
        return (this.walk(items) as unknown[]).map(String).join(separator);
      }
      case 'Fn::Select': {
        const [index, items] = args as [unknown, unknown];
        const list = this.walk(items) as unknown[];
        const item = list[Number(this.walk(index))];
        if (item === undefined) throw new Error(`Fn::Select index ${String(index)} out of range`);
        return item;
      }
      case 'Fn::Split': {
        const [separator, source] = args as [string, unknown];
        return String(this.walk(source)).split(separator);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = args as [string, unknown, unknown];
        return this.walk(this.condition(condition) ? whenTrue : whenFalse);
      }
      case 'Fn::ImportValue': {
        const exportName = String(this.walk(argument));
        const value = this.options.imports?.[exportName];
        if (value === undefined) throw new Error(`Fn::ImportValue: no stack exports ${exportName}`);
        return value;
      }
      case 'Fn::Equals':
      case 'Fn::Not':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Condition':
        return this.truth({ [name]: argument });
      default:
        throw new Error(`The local stack does not resolve ${name}`);
    }
  }

  private truth(expression: unknown): boolean {
    if (typeof expression === 'boolean') return expression;
    const [[name, argument] = ['', undefined]] = Object.entries(
      expression as Record<string, unknown>,
    );
    const args = argument as unknown[];
    switch (name) {
      case 'Condition':
        return this.condition(String(argument));
      case 'Fn::Equals':
        return String(this.walk(args[0])) === String(this.walk(args[1]));
      case 'Fn::Not':
        return !this.truth(args[0]);
      case 'Fn::And':
        return args.every((item) => this.truth(item));
      case 'Fn::Or':
        return args.some((item) => this.truth(item));
      default:
        throw new Error(`Not a condition: ${name}`);
    }
  }

  private ref(name: string): unknown {
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::StackName':
        return this.options.stackName;
      case 'AWS::Region':
        return this.options.region;
      case 'AWS::AccountId':
        return this.options.accountId;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.options.region}:${this.options.accountId}:stack/${this.options.stackName}/00000000-0000-4000-8000-000000000000`;
    }
    if (this.parameters.has(name)) return this.parameters.get(name);
    const resource = this.resources.get(name);
    if (!resource) throw new Error(`Ref ${name}: the local stack has not created it`);
    return resource.ref;
  }

  private getAtt(logicalId: string, attribute: string): string {
    const value = this.resources.get(logicalId)?.attributes?.[attribute];
    if (value === undefined)
      throw new Error(`Fn::GetAtt ${logicalId}.${attribute}: not known locally`);
    return value;
  }

  private sub(text: string, variables: Record<string, unknown>): string {
    return text.replace(/\$\{([^}]+)\}/g, (_match, expression: string) => {
      if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
      if (expression in variables) return String(this.walk(variables[expression]));
      if (expression.includes('.') && !expression.startsWith('AWS::')) {
        const [logicalId = '', attribute = ''] = expression.split('.');
        return this.getAtt(logicalId, attribute);
      }
      return String(this.ref(expression));
    });
  }
}

/** An API event of a SAM function: one route. */
export interface ApiRoute {
  eventName: string;
  path: string;
  method: string;
  /** `NONE` for public routes, else the name of the authorizer (the API's default). */
  authorizer: string;
  /**
   * The method's security in the API's DefinitionBody, unresolved (intrinsics included): what
   * SAM merges the event into. Empty when the definition does not list the route.
   */
  security: unknown[];
}

/** A SAM function as the build and the local gateway need it (Globals merged in). */
export interface SamFunction {
  logicalId: string;
  handler: string;
  codeUri: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, unknown>;
  buildProperties: Record<string, unknown>;
  routes: ApiRoute[];
}

export function samFunctions(template: Template): SamFunction[] {
  const globals = template.Globals?.Function ?? {};
  const [, api] =
    Object.entries(template.Resources).find(
      ([, resource]) => resource.Type === 'AWS::Serverless::Api',
    ) ?? [];
  const defaultAuthorizer = String(
    (api?.Properties?.Auth as { DefaultAuthorizer?: string } | undefined)?.DefaultAuthorizer ??
      'NONE',
  );
  const definedPaths = ((api?.Properties?.DefinitionBody as { paths?: object } | undefined)
    ?.paths ?? {}) as Record<
    string,
    Record<string, { security?: unknown[] } | undefined> | undefined
  >;
  const securityOf = (routePath: string, method: string): unknown[] =>
    definedPaths[routePath]?.[method.toLowerCase()]?.security ?? [];
  // SAM's marker for "not the default authorizer", in an event's Auth or in the definition.
  const isPublicMarker = (entry: unknown) =>
    typeof entry === 'object' && entry !== null && Object.keys(entry).includes('NONE');
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Serverless::Function')
    .map(([logicalId, resource]) => {
      const props = { ...globals, ...resource.Properties } as Record<string, unknown>;
      const environment = {
        ...((globals.Environment as { Variables?: object } | undefined)?.Variables ?? {}),
        ...((resource.Properties?.Environment as { Variables?: object } | undefined)?.Variables ??
          {}),
      };
      const events = (resource.Properties?.Events ?? {}) as Record<
        string,
        {
          Type: string;
          Properties: { Path: string; Method: string; Auth?: { Authorizer?: string } };
        }
      >;
      const routes = Object.entries(events)
        .filter(([, event]) => event.Type === 'Api')
        .map(([eventName, event]) => {
          const security = securityOf(event.Properties.Path, event.Properties.Method);
          return {
            eventName,
            path: event.Properties.Path,
            method: event.Properties.Method.toUpperCase(),
            authorizer:
              event.Properties.Auth?.Authorizer ??
              (security.some(isPublicMarker) ? 'NONE' : defaultAuthorizer),
            security,
          };
        });
      const metadata = resource.Metadata as
        | { BuildMethod?: string; BuildProperties?: object }
        | undefined;
      if (metadata?.BuildMethod !== 'esbuild' || !metadata.BuildProperties) {
        throw new Error(`${logicalId}: expected Metadata.BuildMethod esbuild with BuildProperties`);
      }
      return {
        logicalId,
        handler: String(props.Handler),
        codeUri: String(props.CodeUri ?? '.'),
        runtime: String(props.Runtime),
        timeoutSeconds: Number(props.Timeout ?? 3),
        memoryMb: Number(props.MemorySize ?? 128),
        environment,
        buildProperties: metadata.BuildProperties as Record<string, unknown>,
        routes,
      };
    });
}
