// Where the twin's email, SMS and push go instead of to people: SES v2 SendEmail (REST-JSON)
// and SNS Publish to a phone number or a mobile endpoint (awsQuery) are accepted as AWS
// would, then appended to an outbox file, one JSON line per message, and logged.
import { createHash, randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AwsServiceError, type EmulatedRequest, type EmulatedResponse, jsonResponse, restJsonErrorResponse } from './aws-wire.ts';

export interface OutboxEmulatorOptions {
  /** The JSON-lines file every message is appended to. */
  readonly outboxFile: string;
  readonly log: (message: string) => void;
}

/** One line of the outbox file. */
export interface OutboxMessage {
  readonly at: string;
  readonly channel: 'email' | 'sms' | 'push';
  /** The recipients' addresses, a phone number, or a platform endpoint ARN. */
  readonly to: string;
  readonly from?: string;
  readonly subject?: string;
  readonly text: string;
  readonly messageId: string;
}

export interface OutboxEmulator {
  /** SES v2 SendEmail: POST /v2/email/outbound-emails. */
  sendEmail(request: EmulatedRequest): Promise<EmulatedResponse>;
  /** SNS, whose every action is a form-encoded POST to /. Publish and CreatePlatformEndpoint are emulated. */
  sns(request: EmulatedRequest): Promise<EmulatedResponse>;
  /** Waits for the messages still being written. */
  stop(): Promise<void>;
}

const SNS_XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
const E164 = /^\+[1-9]\d{1,14}$/;
const PLATFORM_ENDPOINT_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:endpoint\/[^/]+\/[^/]+\/[^/]+$/;

const content = z.object({ Data: z.string() });
const sendEmailBody = z.object({
  FromEmailAddress: z.string().optional(),
  Destination: z.object({
    ToAddresses: z.array(z.string()).optional(),
    CcAddresses: z.array(z.string()).optional(),
    BccAddresses: z.array(z.string()).optional(),
  }),
  Content: z.object({
    // Raw and templated emails are not sent by any function; the outbox records plain ones.
    Simple: z.object({
      Subject: content,
      Body: z.object({ Text: content.optional(), Html: content.optional() }),
    }),
  }),
});

export async function startOutboxEmulator(options: OutboxEmulatorOptions): Promise<OutboxEmulator> {
  await mkdir(dirname(options.outboxFile), { recursive: true });
  let writing = Promise.resolve();

  /** Records a message; resolves once its line is in the file, so a caller that got a MessageId can read it. */
  function record(message: OutboxMessage): Promise<void> {
    const shown = message.subject === undefined ? message.text : `${message.subject} | ${message.text}`;
    // One log line per message, however many lines the email has.
    options.log(`[outbox] ${message.channel} ${message.to}: ${shown.replace(/\s+/g, ' ').trim()}`);
    const line = `${JSON.stringify(message)}\n`;
    // In arrival order, one whole line at a time.
    writing = writing.then(() => appendFile(options.outboxFile, line));
    return writing;
  }

  async function sendEmail(request: EmulatedRequest): Promise<EmulatedResponse> {
    const input = sendEmailBody.safeParse(parseJson(request.body));
    if (!input.success) throw new AwsServiceError('BadRequestException', 400, z.prettifyError(input.error));
    const { Destination, Content, FromEmailAddress } = input.data;
    const recipients = [...(Destination.ToAddresses ?? []), ...(Destination.CcAddresses ?? []), ...(Destination.BccAddresses ?? [])];
    if (recipients.length === 0) throw new AwsServiceError('BadRequestException', 400, 'Missing required field: Destination.');
    const text = Content.Simple.Body.Text?.Data ?? Content.Simple.Body.Html?.Data;
    if (text === undefined) throw new AwsServiceError('BadRequestException', 400, 'Missing required field: Body.');
    const messageId = randomUUID();
    await record({
      at: new Date().toISOString(),
      channel: 'email',
      to: recipients.join(', '),
      ...(FromEmailAddress === undefined ? {} : { from: FromEmailAddress }),
      subject: Content.Simple.Subject.Data,
      text,
      messageId,
    });
    return jsonResponse(200, { MessageId: messageId });
  }

  async function publish(params: URLSearchParams): Promise<string> {
    const phoneNumber = params.get('PhoneNumber') ?? undefined;
    const targetArn = params.get('TargetArn') ?? undefined;
    const topicArn = params.get('TopicArn') ?? undefined;
    const targets = [phoneNumber, targetArn, topicArn].filter((target) => target !== undefined);
    if (targets.length === 0) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    if (targets.length > 1) throw invalidParameter('TopicArn, TargetArn, PhoneNumber Reason: only one of them may be given');
    // Vigil publishes to people, never to topics, so the twin has none.
    if (topicArn !== undefined) throw new AwsServiceError('NotFound', 404, 'Topic does not exist');
    if (phoneNumber !== undefined && !E164.test(phoneNumber)) throw invalidParameter(`PhoneNumber Reason: ${phoneNumber} is not E.164`);
    if (targetArn !== undefined && !PLATFORM_ENDPOINT_ARN.test(targetArn))
      throw invalidParameter(`TargetArn Reason: ${targetArn} is not an endpoint ARN`);
    const text = messageText(params.get('Message') ?? '', params.get('MessageStructure'));
    const subject = params.get('Subject') ?? undefined;
    const messageId = randomUUID();
    await record({
      at: new Date().toISOString(),
      channel: phoneNumber === undefined ? 'push' : 'sms',
      to: phoneNumber ?? targetArn ?? '',
      ...(subject === undefined ? {} : { subject }),
      text,
      messageId,
    });
    return messageId;
  }

  return {
    async sendEmail(request) {
      try {
        return await sendEmail(request);
      } catch (error) {
        if (error instanceof AwsServiceError) return restJsonErrorResponse(error);
        throw error;
      }
    },
    async sns(request) {
      const requestId = randomUUID();
      try {
        const params = new URLSearchParams(request.body);
        const action = params.get('Action');
        if (action === 'CreatePlatformEndpoint') {
          const endpointArn = platformEndpoint(params);
          options.log(`[outbox] push endpoint registered: ${endpointArn}`);
          return queryResponse(
            200,
            `<CreatePlatformEndpointResponse xmlns="${SNS_XML_NAMESPACE}"><CreatePlatformEndpointResult><EndpointArn>${escapeXml(endpointArn)}</EndpointArn></CreatePlatformEndpointResult>` +
              `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></CreatePlatformEndpointResponse>`,
          );
        }
        if (action !== 'Publish')
          throw new AwsServiceError('InvalidAction', 400, `The local SNS does not emulate the action ${action ?? '(none)'}.`);
        const messageId = await publish(params);
        return queryResponse(
          200,
          `<PublishResponse xmlns="${SNS_XML_NAMESPACE}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
            `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
        );
      } catch (error) {
        if (!(error instanceof AwsServiceError)) throw error;
        // The query protocol's error document: the SDK picks the exception by <Code>.
        return queryResponse(
          error.status,
          `<ErrorResponse xmlns="${SNS_XML_NAMESPACE}"><Error><Type>Sender</Type><Code>${escapeXml(error.type)}</Code>` +
            `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
      }
    },
    async stop() {
      await writing;
    },
  };
}

const PLATFORM_APPLICATION_ARN = /^arn:(aws[a-z-]*):sns:([a-z0-9-]+):(\d{12}):app\/([A-Z_]+)\/([A-Za-z0-9_.-]+)$/;

/**
 * The endpoint of a device token in a platform application: the same for the same token, as
 * SNS answers a registration repeated with the same attributes. Any application is taken: the
 * twin stands in for the push services too.
 */
function platformEndpoint(params: URLSearchParams): string {
  const application = params.get('PlatformApplicationArn') ?? '';
  const token = params.get('Token') ?? '';
  const parts = PLATFORM_APPLICATION_ARN.exec(application);
  if (!parts) throw invalidParameter(`PlatformApplicationArn Reason: ${application} is not a platform application ARN`);
  if (token === '') throw invalidParameter('Token Reason: no value for required parameter');
  const [, partition, region, account, platform, name] = parts;
  const id = createHash('sha256').update(`${application}\n${token}`).digest('hex');
  const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  return `arn:${partition}:sns:${region}:${account}:endpoint/${platform}/${name}/${uuid}`;
}

/** What the recipient reads: the message, or with MessageStructure=json its `default` entry, as SNS requires one. */
function messageText(message: string, structure: string | null): string {
  if (message === '') throw invalidParameter('Empty message');
  if (structure !== 'json') return message;
  const parsed = z.object({ default: z.string() }).safeParse(parseJsonOrUndefined(message));
  if (!parsed.success) throw invalidParameter('Message Structure - No default entry in JSON message body');
  return parsed.data.default;
}

const invalidParameter = (detail: string) => new AwsServiceError('InvalidParameter', 400, `Invalid parameter: ${detail}`);

function queryResponse(status: number, xml: string): EmulatedResponse {
  return { status, headers: { 'content-type': 'text/xml' }, body: `<?xml version="1.0"?>\n${xml}` };
}

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');

function parseJson(body: string): unknown {
  const parsed = parseJsonOrUndefined(body);
  if (parsed === undefined) throw new AwsServiceError('BadRequestException', 400, 'The request body is not JSON.');
  return parsed;
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
