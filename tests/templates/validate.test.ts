import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Engine, RegoEngine, TemplateFile } from '@aws/cloudformation-validate';
import { API_TEMPLATE, AUTH_TEMPLATE, loadTemplate } from '../../sam/template';
import { samPropertyProblems } from './sam-spec';

describe('@aws/cloudformation-validate', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new RegoEngine();
  });
  afterAll(() => engine.free());

  // `!Ref <Api>.Stage` names the stage SAM generates for an AWS::Serverless::Api (SAM resolves
  // it: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-api.html);
  // this validator does not run SAM, so it takes the name for an unknown resource.
  const samApis = Object.entries(loadTemplate(API_TEMPLATE).Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Serverless::Api')
    .map(([logicalId]) => logicalId);
  const samReference = (message: string) =>
    samApis.some((api) => message.startsWith(`'${api}.Stage' is not one of [`));

  it.each([AUTH_TEMPLATE, API_TEMPLATE])('finds no error or warning in %s', (file) => {
    const report = engine.validateStandard(new TemplateFile(file));
    const findings = report.diagnostics
      .filter((d) => d.severity !== 'INFO')
      .filter((d) => !(d.ruleId === 'F1020' && samReference(d.message)))
      .map((d) => `${d.severity} ${d.ruleId} line ${d.startLine}: ${d.message}`);
    expect(findings).toEqual([]);
  });

  it('still reports a reference to a resource that does not exist', () => {
    const broken = path.join(mkdtempSync(path.join(tmpdir(), 'cfn-')), 'stage.yaml');
    writeFileSync(
      broken,
      'Resources:\n  Plan:\n    Type: AWS::ApiGateway::UsagePlan\n    Properties:\n      ApiStages:\n        - ApiId: !Ref Nothing\n          Stage: !Ref Nothing.Stage\n',
    );
    const report = engine.validateStandard(new TemplateFile(broken));
    expect(report.diagnostics.filter((d) => d.ruleId === 'F1020').length).toBeGreaterThan(0);
    expect(report.diagnostics.some((d) => samReference(d.message))).toBe(false);
  });

  it('reports real mistakes (the check is live)', () => {
    const broken = path.join(mkdtempSync(path.join(tmpdir(), 'cfn-')), 'broken.yaml');
    writeFileSync(
      broken,
      'Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      UsernameAtributes: [email]\n',
    );
    const report = engine.validateStandard(new TemplateFile(broken));
    expect(report.diagnostics.some((d) => d.severity === 'FATAL' || d.severity === 'ERROR')).toBe(
      true,
    );
  });
});

describe('SAM resources match the SAM resource spec', () => {
  const template = loadTemplate(API_TEMPLATE);
  const serverless = Object.entries(template.Resources).filter(([, r]) =>
    r.Type.startsWith('AWS::Serverless::'),
  );

  it.each(serverless)('%s has only known properties of the right types', async (_id, resource) => {
    expect(await samPropertyProblems(resource.Type, resource.Properties ?? {})).toEqual([]);
  });

  it('Globals.Function has only known properties', async () => {
    expect(
      await samPropertyProblems('AWS::Serverless::Function', template.Globals?.Function ?? {}),
    ).toEqual([]);
  });

  it('catches an unknown or mistyped SAM property', async () => {
    expect(
      await samPropertyProblems('AWS::Serverless::Function', { Handlr: 'x', Timeout: 'ten' }),
    ).toEqual([
      'AWS::Serverless::Function.Handlr: unknown property',
      'AWS::Serverless::Function.Timeout: expected a number',
    ]);
  });
});
