// API Gateway waits a fixed time for an integration; the Lambda function it invoked runs on to
// its own timeout regardless, so the gateway's wait and the function's run are raced, not merged.
import type { InvocationOutcome } from './lambda-runtime.ts';

export type GatewayOutcome = InvocationOutcome | { readonly kind: 'integration-timeout' };

/** The invocation's outcome, unless API Gateway's wait for it ends first. */
export async function withinIntegrationTimeout(invocation: Promise<InvocationOutcome>, timeoutMs: number): Promise<GatewayOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<{ readonly kind: 'integration-timeout' }>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'integration-timeout' }), timeoutMs);
  });
  try {
    return await Promise.race([invocation, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}
