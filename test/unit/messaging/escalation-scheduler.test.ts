import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { atExpression, createEscalationScheduler } from '../../../shared/messaging/escalation-scheduler.ts';

// The error path (a schedule already there) is what the mock is for; creating and firing
// schedules is proven against the twin's Scheduler in the e2e suite.
const scheduler = mockClient(SchedulerClient);
const target = { groupName: 'escalations', functionArn: 'arn:aws:lambda:us-east-1:1:function:esc', roleArn: 'arn:aws:iam::1:role/r' };

describe('escalation scheduler', () => {
  beforeEach(() => scheduler.reset());

  it('rounds up to the next whole second, so an escalation is never early', () => {
    expect(atExpression('2026-12-02T10:00:30.000Z')).toBe('at(2026-12-02T10:00:30)');
    expect(atExpression('2026-12-02T10:00:30.001Z')).toBe('at(2026-12-02T10:00:31)');
  });

  it('creates one self-deleting schedule per alert that invokes the escalator with its id', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const alertId = '6b3867bb-2be9-469b-9839-ef97a42670fb';
    await createEscalationScheduler(new SchedulerClient({ region: 'us-east-1' }), target).schedule(alertId, '2026-12-02T10:10:00.000Z');
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toMatchObject({
      Name: `escalate-${alertId}`,
      GroupName: 'escalations',
      ScheduleExpression: 'at(2026-12-02T10:10:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: target.functionArn, RoleArn: target.roleArn, Input: JSON.stringify({ alertId }) },
    });
  });

  it('takes a schedule that already exists (a retried raise) as done', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    await expect(
      createEscalationScheduler(new SchedulerClient({ region: 'us-east-1' }), target).schedule('a', '2026-12-02T10:10:00.000Z'),
    ).resolves.toBeUndefined();
  });
});
