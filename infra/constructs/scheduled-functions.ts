import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { SCHEDULED_FUNCTIONS } from '../../shared/api/function-catalog.ts';
import { createFunctions, type FunctionResources, type VigilFunction } from './vigil-function.ts';

export interface ScheduledFunctionsProps {
  readonly resources: FunctionResources;
}

/** The functions that run on a clock (SCHEDULED_FUNCTIONS), each invoked by an EventBridge schedule rule. */
export class ScheduledFunctions extends Construct {
  readonly functions: Record<keyof typeof SCHEDULED_FUNCTIONS, VigilFunction>;

  constructor(scope: Construct, id: string, props: ScheduledFunctionsProps) {
    super(scope, id);
    this.functions = createFunctions(this, SCHEDULED_FUNCTIONS, props.resources);
    for (const [name, definition] of Object.entries(SCHEDULED_FUNCTIONS)) {
      const fn = this.functions[name as keyof typeof SCHEDULED_FUNCTIONS].function;
      // EventBridge invokes asynchronously, and Lambda would retry a failed run twice more.
      fn.configureAsyncInvoke({ retryAttempts: 0 });
      new events.Rule(this, `${name}Schedule`, {
        description: `Runs ${name}: ${definition.description}`,
        schedule: events.Schedule.rate(Duration.minutes(definition.everyMinutes)),
        // A missed run is covered by the next one; retrying a sweep would only repeat it.
        targets: [new targets.LambdaFunction(fn, { retryAttempts: 0 })],
      });
    }
  }
}
