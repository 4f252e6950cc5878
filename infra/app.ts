import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { VigilStack } from './vigil-stack.ts';

const app = new App();

// Environment-agnostic: synthesizes offline with no account; `cdk deploy` fills in the
// account and region from the caller's credentials.
new VigilStack(app, 'Vigil', {
  description: 'Vigil remote patient monitoring',
  ecgRetentionDays: Number(app.node.tryGetContext('vigil:ecgRetentionDays') ?? 30),
});

// `cdk synth -c nag=true` runs the same packs as test/infra/cdk-nag.test.ts.
if (String(app.node.tryGetContext('nag')) === 'true') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new HIPAASecurityChecks(app, { verbose: true }));
}
