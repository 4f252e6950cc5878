// Messages outside the app: email through SES, text messages through SNS. What is said is
// decided by the caller (and names no health data); this only carries it.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ENV, requireEnv } from '../config/env.ts';

export interface OutsideAppSender {
  email(to: string, subject: string, text: string): Promise<void>;
  sms(phoneNumber: string, text: string): Promise<void>;
  /** To a phone's app, through its SNS platform endpoint. */
  push(endpointArn: string, text: string): Promise<void>;
}

export function createOutsideAppSender(ses: SESv2Client, sns: SNSClient, fromAddress: string): OutsideAppSender {
  return {
    async email(to, subject, text) {
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: fromAddress,
          Destination: { ToAddresses: [to] },
          Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: text } } } },
        }),
      );
    },
    async sms(phoneNumber, text) {
      await sns.send(
        new PublishCommand({
          PhoneNumber: phoneNumber,
          Message: text,
          // An alert is urgent: SNS routes transactional messages for delivery over cost.
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }),
      );
    },
    async push(endpointArn, text) {
      await sns.send(new PublishCommand({ TargetArn: endpointArn, Message: text }));
    },
  };
}

let fromEnv: OutsideAppSender | undefined;
export function outsideAppSenderFromEnv(): OutsideAppSender {
  fromEnv ??= createOutsideAppSender(new SESv2Client({}), new SNSClient({}), requireEnv(ENV.alertEmailFrom));
  return fromEnv;
}
