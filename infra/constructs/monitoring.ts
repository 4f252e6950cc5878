import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MonitoringProps {
  readonly encryptionKey: kms.IKey;
  readonly ecgDeadLetterQueue: sqs.IQueue;
  readonly ecgAnalyzer: lambda.IFunction;
}

/** Alarms for what nobody would otherwise notice, published to one topic operators subscribe to. */
export class Monitoring extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly ecgDeadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    // Alarm messages name resources, not patients; the key is for the HIPAA pack's rule that
    // topics use KMS. CloudWatch publishes as itself, so it needs the key too.
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Vigil alarms',
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    props.encryptionKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    const notify = new actions.SnsAction(this.alarmTopic);

    // A chunk in the DLQ is a recording whose analysis stopped: a clinician may be missing an
    // arrhythmia alert, so one message is already worth waking someone.
    this.ecgDeadLetterAlarm = props.ecgDeadLetterQueue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' })
      .createAlarm(this, 'EcgDeadLetters', {
        alarmDescription: 'ECG chunks failed analysis repeatedly and are parked in the dead-letter queue',
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.ecgDeadLetterAlarm.addAlarmAction(notify);

    // Errors are retried by SQS before anything reaches the DLQ; this shows trouble minutes earlier.
    const analyzerErrors = props.ecgAnalyzer
      .metricErrors({ period: Duration.minutes(5), statistic: 'Sum' })
      .createAlarm(this, 'EcgAnalyzerErrors', {
        alarmDescription: 'The ECG analyzer is failing invocations',
        threshold: 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    analyzerErrors.addAlarmAction(notify);
  }
}
