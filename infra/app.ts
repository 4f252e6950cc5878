import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { DEFAULT_ALERT_EMAIL_FROM, DEFAULT_ECG_RETENTION_DAYS, DEFAULT_RECORDING_IDLE_SECONDS } from '../shared/config/env.ts';
import { PushApplications } from '../shared/messaging/push-registrar.ts';
import { parseCorsOrigins } from './cors-policy.ts';
import { VigilStack } from './vigil-stack.ts';

const app = new App();
const context = (key: string): unknown => app.node.tryGetContext(key);

// Environment-agnostic: synthesizes offline with no account; `cdk deploy` fills in the
// account and region from the caller's credentials.
new VigilStack(app, 'Vigil', {
  description: 'Vigil remote patient monitoring',
  ecgRetentionDays: Number(context('vigil:ecgRetentionDays') ?? DEFAULT_ECG_RETENTION_DAYS),
  recordingIdleSeconds: Number(context('vigil:recordingIdleSeconds') ?? DEFAULT_RECORDING_IDLE_SECONDS),
  // `-c vigil:corsOrigins=https://app.example.org,https://admin.example.org`, or a list in cdk.json.
  // `-c vigil:alertEmailFrom=alerts@clinic.example`: SES sends it a verification link at deploy.
  alertEmailFrom: String(context('vigil:alertEmailFrom') ?? DEFAULT_ALERT_EMAIL_FROM),
  // `-c 'vigil:pushApplications={"fcm":"arn:aws:sns:…:app/GCM/vigil"}'`: platform applications made in SNS beforehand.
  pushApplications: PushApplications.parse(
    ((value) => (typeof value === 'string' ? JSON.parse(value) : (value ?? {})))(context('vigil:pushApplications')),
  ),
  corsOrigins: ((origins) => (Array.isArray(origins) ? origins.map(String) : parseCorsOrigins(String(origins ?? ''))))(
    context('vigil:corsOrigins'),
  ),
});

// `cdk synth -c nag=true` runs the same packs as test/infra/cdk-nag.test.ts.
if (String(context('nag')) === 'true') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new HIPAASecurityChecks(app, { verbose: true }));
}
