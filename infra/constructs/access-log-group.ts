import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * An encrypted log group and JSON line format for an API stage's access log. The fields are
 * context variables only (route keys, not paths), so no patient id or health value from a
 * URL or body reaches the log.
 */
export function accessLogSettings(
  scope: Construct,
  id: string,
  encryptionKey: kms.IKey,
  fields: Record<string, string>,
): apigwv2.IAccessLogSettings {
  const logGroup = new logs.LogGroup(scope, id, {
    // Access logs answer "who called what, when" in an investigation, so they outlive the
    // functions' own debugging logs.
    retention: logs.RetentionDays.ONE_YEAR,
    encryptionKey,
  });
  return {
    destination: new apigwv2.LogGroupLogDestination(logGroup),
    format: apigateway.AccessLogFormat.custom(JSON.stringify(fields)),
  };
}
