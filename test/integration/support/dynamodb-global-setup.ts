// One DynamoDB Local for the whole integration suite, with the table created from the
// stack's definition. Tests use fresh ids, so files share it safely.
import type { TestProject } from 'vitest/node';
import { startLocalServices, type LocalServices } from '../../support/local-services.ts';

let services: LocalServices | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
    tableName: string;
  }
}

export async function setup(project: TestProject) {
  services = await startLocalServices({ sqs: false, cognito: false });
  project.provide('dynamoDbEndpoint', services.dynamoDb!.endpoint);
  project.provide('tableName', services.dynamoDb!.tableName);
}

export async function teardown() {
  await services?.stop();
}
