import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The customer-managed key for everything at rest that holds or points at health data: the
 * table, log groups, the cursor secret and the alarm topic. Chosen over AWS-managed keys
 * because we own its policy (who may decrypt is reviewable in one place), every use is in
 * CloudTrail under our key id, and disabling it makes the data unreadable at once.
 */
export class EncryptionKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Vigil data at rest (table, logs, secrets, alarm topic)',
      enableKeyRotation: true,
      // Deleting the key would destroy the retained table's data with it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CloudWatch Logs encrypts with the key as itself, not as the writer, so the key policy
    // must let the service use it, and only for this account's log groups in this region.
    const stack = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
