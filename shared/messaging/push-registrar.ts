// Mobile push devices: a device token from the app becomes an SNS platform endpoint of the
// deployment's platform application for its service (APNs or FCM), which pushes then target.
import { CreatePlatformEndpointCommand, SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { ENV, optionalEnv } from '../config/env.ts';
import { type PushPlatform, PushPlatform as PushPlatformName } from '../domain/user.ts';

/** Which SNS platform application serves each push service; a deployment may have neither. */
export const PushApplications = z.partialRecord(PushPlatformName, z.string().startsWith('arn:'));
export type PushApplications = z.infer<typeof PushApplications>;

export interface PushRegistrar {
  /** The endpoint ARN for the token, or undefined when the deployment has no application for `platform`. */
  register(platform: PushPlatform, token: string, userId: string): Promise<string | undefined>;
}

export function createPushRegistrar(sns: SNSClient, applications: PushApplications): PushRegistrar {
  return {
    async register(platform, token, userId) {
      const application = applications[platform];
      if (application === undefined) return undefined;
      // SNS answers the same endpoint for a token registered again, so re-registering is harmless.
      const { EndpointArn } = await sns.send(
        new CreatePlatformEndpointCommand({ PlatformApplicationArn: application, Token: token, CustomUserData: userId }),
      );
      if (!EndpointArn) throw new Error('SNS created a platform endpoint without an ARN');
      return EndpointArn;
    },
  };
}

let fromEnv: PushRegistrar | undefined;
export function pushRegistrarFromEnv(): PushRegistrar {
  fromEnv ??= createPushRegistrar(new SNSClient({}), PushApplications.parse(JSON.parse(optionalEnv(ENV.pushApplications) ?? '{}')));
  return fromEnv;
}
