// Mobile push devices: a device token from the app becomes an SNS platform endpoint of the
// deployment's platform application for its service (APNs or FCM), which pushes then target.
import { CreatePlatformEndpointCommand, InvalidParameterException, SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { ENV, optionalEnv } from '../config/env.ts';
import { type PushPlatform, PushPlatform as PushPlatformName } from '../domain/user.ts';

/** Which SNS platform application serves each push service; a deployment may have neither. */
export const PushApplications = z.partialRecord(PushPlatformName, z.string().startsWith('arn:'));
export type PushApplications = z.infer<typeof PushApplications>;

/** A registered device, or why there is none: no application for the service, or a token it refused. */
export type PushRegistration = { endpointArn: string } | { refused: 'no-application' | 'token' };

export interface PushRegistrar {
  register(platform: PushPlatform, token: string): Promise<PushRegistration>;
}

export function createPushRegistrar(sns: SNSClient, applications: PushApplications): PushRegistrar {
  return {
    async register(platform, token) {
      const application = applications[platform];
      if (application === undefined) return { refused: 'no-application' };
      try {
        // No attributes: SNS answers the same endpoint for a token registered again, also when two
        // accounts share one phone (each then hears of their own alerts on it).
        const { EndpointArn } = await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: application, Token: token }));
        if (!EndpointArn) throw new Error('SNS created a platform endpoint without an ARN');
        return { endpointArn: EndpointArn };
      } catch (error) {
        if (error instanceof InvalidParameterException) return { refused: 'token' };
        throw error;
      }
    },
  };
}

let fromEnv: PushRegistrar | undefined;
export function pushRegistrarFromEnv(): PushRegistrar {
  fromEnv ??= createPushRegistrar(new SNSClient({}), PushApplications.parse(JSON.parse(optionalEnv(ENV.pushApplications) ?? '{}')));
  return fromEnv;
}
