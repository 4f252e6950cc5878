import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { DEFAULT_ECG_RETENTION_DAYS } from '../shared/config/env.ts';
import { VigilStack } from './vigil-stack.ts';

const app = new App();

// Environment-agnostic: synthesizes offline with no account; `cdk deploy` fills in the
// account and region from the caller's credentials.
new VigilStack(app, 'Vigil', {
  description: 'Vigil remote patient monitoring',
  ecgRetentionDays: Number(app.node.tryGetContext('vigil:ecgRetentionDays') ?? DEFAULT_ECG_RETENTION_DAYS),
});

// `cdk synth -c nag=true` runs the same packs as test/infra/cdk-nag.test.ts.
if (String(app.node.tryGetContext('nag')) === 'true') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new HIPAASecurityChecks(app, { verbose: true }));
}
