import { CreatePlatformEndpointCommand, InvalidParameterException, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPushRegistrar } from '../../../shared/messaging/push-registrar.ts';

// SNS's refusals are what the mock is for; registering against the twin's SNS is in the e2e suite.
const sns = mockClient(SNSClient);
const applications = { fcm: 'arn:aws:sns:eu-central-1:123456789012:app/GCM/vigil' };
const registrar = () => createPushRegistrar(new SNSClient({ region: 'eu-central-1' }), applications);

describe('push registrar', () => {
  beforeEach(() => sns.reset());

  it("registers a token with the service's application, without attributes (so registering again is harmless)", async () => {
    sns.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: 'arn:aws:sns:eu-central-1:123456789012:endpoint/GCM/vigil/1' });
    expect(await registrar().register('fcm', 'token-1')).toEqual({
      endpointArn: 'arn:aws:sns:eu-central-1:123456789012:endpoint/GCM/vigil/1',
    });
    expect(sns.commandCalls(CreatePlatformEndpointCommand)[0]?.args[0].input).toEqual({
      PlatformApplicationArn: applications.fcm,
      Token: 'token-1',
    });
  });

  it('says when the deployment has no application for the service, or the service refuses the token', async () => {
    expect(await registrar().register('apns', 'token-1')).toEqual({ refused: 'no-application' });
    sns.on(CreatePlatformEndpointCommand).rejects(new InvalidParameterException({ message: 'Invalid parameter: Token', $metadata: {} }));
    expect(await registrar().register('fcm', 'not-a-token')).toEqual({ refused: 'token' });
  });
});
