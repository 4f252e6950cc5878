// Synthesizes the Vigil stack and offers lookups by catalog name, so tests can say "the
// health function" instead of a logical id. Call it once per test file, in beforeAll.
// Bundling (esbuild, as `cdk synth` does) only changes asset hashes in the template, and it
// takes most of the synthesis time, so only bundling.test.ts asks for it.
import { App, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { VigilStack } from '../../infra/vigil-stack.ts';

export type FunctionName = keyof VigilStack['functions'];

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

type Resource = { Type: string; Properties: Record<string, unknown> };

export interface SynthesizedVigil {
  readonly stack: VigilStack;
  /** The cloud assembly directory, where bundled assets are staged. */
  readonly outdir: string;
  readonly template: Template;
  readonly resources: Record<string, Resource>;
  /** The logical id of an L2 construct's CloudFormation resource. */
  logicalId(construct: IConstruct): string;
  functionLogicalId(name: FunctionName): string;
  functionProperties(name: FunctionName): Record<string, unknown>;
  environmentOf(name: FunctionName): Record<string, unknown>;
  /** Every Allow statement in the policies attached to the function's role. */
  statementsOf(name: FunctionName): PolicyStatement[];
  actionsOf(name: FunctionName): Set<string>;
}

export const ECG_RETENTION_DAYS = 30;
export const RECORDING_IDLE_SECONDS = 5400;
export const CORS_ORIGINS = ['https://app.example.org'];
export const ALERT_EMAIL_FROM = 'alerts@clinic.example.org';
export const PUSH_APPLICATIONS = { fcm: 'arn:aws:sns:eu-central-1:123456789012:app/GCM/vigil' };

export function synthesizeVigil(options: { bundle?: boolean; corsOrigins?: readonly string[] } = {}): SynthesizedVigil {
  const app = new App(options.bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new VigilStack(app, 'Vigil', {
    ecgRetentionDays: ECG_RETENTION_DAYS,
    recordingIdleSeconds: RECORDING_IDLE_SECONDS,
    corsOrigins: options.corsOrigins ?? CORS_ORIGINS,
    alertEmailFrom: ALERT_EMAIL_FROM,
    pushApplications: PUSH_APPLICATIONS,
  });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;

  const logicalId = (construct: IConstruct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
  const functionLogicalId = (name: FunctionName) => logicalId(stack.functions[name].function);
  const functionProperties = (name: FunctionName) => {
    const resource = resources[functionLogicalId(name)];
    if (!resource) throw new Error(`no function resource for ${name}`);
    return resource.Properties;
  };
  const statementsOf = (name: FunctionName) => {
    const roleId = logicalId(stack.functions[name].role);
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .filter((r) => (r.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement)
      .filter((s) => s.Effect === 'Allow');
  };

  return {
    stack,
    outdir: app.outdir,
    template,
    resources,
    logicalId,
    functionLogicalId,
    functionProperties,
    environmentOf: (name) => (functionProperties(name).Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
    statementsOf,
    actionsOf: (name) => new Set(statementsOf(name).flatMap((s) => [s.Action].flat())),
  };
}

/** Logical ids a CloudFormation value refers to through Ref or Fn::GetAtt, anywhere inside it. */
export function referencedIds(value: unknown): string[] {
  const json = JSON.stringify(value);
  return [...json.matchAll(/"Ref":"([^"]+)"|"Fn::GetAtt":\["([^"]+)"/g)].map((m) => (m[1] ?? m[2]) as string);
}
