import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { SCHEDULE_TARGET_FUNCTIONS } from '../../shared/api/function-catalog.ts';
import type { PushApplications } from '../../shared/messaging/push-registrar.ts';
import { type FunctionResources, VigilFunction } from './vigil-function.ts';

export interface AlertDeliveryProps {
  /** What the escalator is bound to (the table, the WebSocket API). */
  readonly resources: FunctionResources;
  /** The address alert emails come from; SES sends it a verification link at deploy. */
  readonly alertEmailFrom: string;
  /**
   * The SNS platform applications (made outside CloudFormation, which has no resource for them:
   * they hold the APNs or FCM credentials) that phones' push tokens are registered with.
   */
  readonly pushApplications: PushApplications;
}

/** Registering phones for push. */
export interface PushDevices {
  readonly applications: PushApplications;
  grantRegister(grantee: iam.IGrantable): void;
}

/** Where functions that raise alerts create escalation schedules. */
export interface EscalationSchedules {
  readonly groupName: string;
  readonly escalatorArn: string;
  readonly roleArn: string;
  grantSchedule(grantee: iam.IGrantable): void;
}

/** Email and text messages outside the app. */
export interface OutsideAppChannels {
  readonly fromAddress: string;
  grantSend(grantee: iam.IGrantable): void;
}

/**
 * Alerts that reach a person: the escalator, invoked by one-time EventBridge Scheduler
 * schedules (one per high-priority alert, in a group of their own, deleted after they run), and
 * the SES identity and SNS permission for messages outside the app.
 */
export class AlertDelivery extends Construct {
  readonly escalator: VigilFunction;
  readonly escalations: EscalationSchedules;
  readonly outsideApp: OutsideAppChannels;
  readonly pushDevices: PushDevices;

  constructor(scope: Construct, id: string, props: AlertDeliveryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const outsideApp = this.outsideAppChannels(props.alertEmailFrom);
    this.outsideApp = outsideApp;
    const applications = Object.values(props.pushApplications);
    this.pushDevices = {
      applications: props.pushApplications,
      grantRegister: (grantee) => {
        if (applications.length === 0) return;
        iam.Grant.addToPrincipal({ grantee, actions: ['sns:CreatePlatformEndpoint'], resourceArns: applications });
      },
    };
    this.escalator = new VigilFunction(this, 'alertEscalator', {
      definition: SCHEDULE_TARGET_FUNCTIONS.alertEscalator,
      resources: { ...props.resources, outsideApp },
    });

    const group = new scheduler.CfnScheduleGroup(this, 'EscalationGroup', {});
    const invoker = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'EventBridge Scheduler invokes the alert escalator',
    });
    this.escalator.function.grantInvoke(invoker);
    const escalatorId = stack.getLogicalId(this.escalator.function.node.defaultChild as CfnElement);
    Validations.of(invoker).acknowledge(
      {
        id: 'HIPAA.Security-IAMNoInlinePolicy',
        reason: "The role's only policy is invoking the escalator, created with it and never shared.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${escalatorId}.Arn>:*]`,
        reason: "CDK's grantInvoke also names the escalator's versions and aliases (ARN:*); it is still this one function.",
      },
    );
    const groupName = group.ref;
    this.escalations = {
      groupName,
      escalatorArn: this.escalator.function.functionArn,
      roleArn: invoker.roleArn,
      grantSchedule: (grantee) => {
        iam.Grant.addToPrincipal({
          grantee,
          actions: ['scheduler:CreateSchedule'],
          resourceArns: [stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${groupName}/*` })],
        });
        invoker.grantPassRole(grantee.grantPrincipal);
        if (Construct.isConstruct(grantee)) {
          const groupId = stack.getLogicalId(group);
          Validations.of(grantee).acknowledge({
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<${groupId}>/*]`,
            reason:
              'Schedules are named after alerts that do not exist yet; the grant is limited to creating them in the escalation group.',
          });
        }
      },
    };
  }

  private outsideAppChannels(fromAddress: string): OutsideAppChannels {
    const identity = new ses.EmailIdentity(this, 'AlertSender', { identity: ses.Identity.email(fromAddress) });
    const stack = Stack.of(this);
    return {
      fromAddress,
      grantSend: (grantee) => {
        iam.Grant.addToPrincipal({
          grantee,
          actions: ['ses:SendEmail'],
          resourceArns: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity.emailIdentityName })],
        });
        // SMS to a phone number has no resource ARN to name; the grant cannot be narrower than this.
        iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: ['*'] });
        if (Construct.isConstruct(grantee)) {
          Validations.of(grantee).acknowledge({
            id: 'AwsSolutions-IAM5[Resource::*]',
            reason:
              'sns:Publish to a phone number (SMS) has no resource to name; topics are not used by these functions, and the message text names no health data.',
          });
        }
      },
    };
  }
}
