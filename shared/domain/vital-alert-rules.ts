// Which alerts a batch of one metric's samples raises, with the same rules as ECG findings: a
// breach must last the threshold's minimum duration (judged on measurement times) and clears
// only past the dead-band. Samples newer than any judged before continue the patient's running
// judgement; samples older than that (late data) are judged among themselves, and a breach
// found in them is already over: it is recorded as historical and pages nobody.
import { z } from 'zod';
import { type BreachDirection, type BreachTracker, evaluateBreach, NO_BREACH } from './alert-rules.ts';
import type { ThresholdLimits } from './thresholds.ts';

/** What the judgement of one (patient, metric) remembers between batches. */
export const VitalRuleState = z.object({
  tracker: z.object({ since: z.number().optional(), raised: z.boolean(), direction: z.enum(['high', 'low']).optional() }),
  /** Epoch ms of the newest sample judged so far. */
  judgedUntil: z.number().optional(),
});
export type VitalRuleState = z.infer<typeof VitalRuleState>;

export const INITIAL_VITAL_RULE_STATE: VitalRuleState = { tracker: NO_BREACH };

export interface VitalBreach {
  direction: BreachDirection;
  limit: number;
  /** The value and time of the sample that raised (the newest one in breach). */
  value: number;
  at: number;
  /** Found in data older than the running judgement: over, to be recorded, paging nobody. */
  late: boolean;
}

interface Timed {
  value: number;
  at: number;
}

function judge(limits: ThresholdLimits, samples: readonly Timed[], start: BreachTracker) {
  let tracker = start;
  // High and low are different alerts: the newest raise of each stands for its run.
  const raised = new Map<BreachDirection, Omit<VitalBreach, 'late'>>();
  for (const sample of samples) {
    const result = evaluateBreach(limits, { value: sample.value, from: sample.at, to: sample.at }, tracker);
    tracker = result.tracker;
    if (result.outcome.kind === 'raise') {
      raised.set(result.outcome.direction, {
        direction: result.outcome.direction,
        limit: result.outcome.limit,
        value: sample.value,
        at: sample.at,
      });
    }
  }
  return { tracker, raised: [...raised.values()] };
}

/**
 * Judges new samples of one metric (sorted by time). At most one breach per direction and part
 * (late, current) comes out of a batch: the newest raising sample stands for the run, so a
 * thousand samples in breach update the alert once, not a thousand times.
 */
export function judgeVitalSamples(
  limits: ThresholdLimits | undefined,
  samples: readonly Timed[],
  state: VitalRuleState,
): { state: VitalRuleState; breaches: VitalBreach[] } {
  if (!limits || samples.length === 0) return { state, breaches: [] };
  const cut = state.judgedUntil ?? Number.NEGATIVE_INFINITY;
  const late = samples.filter((sample) => sample.at <= cut);
  const current = samples.filter((sample) => sample.at > cut);
  const breaches: VitalBreach[] = [];
  const lateJudgement = judge(limits, late, NO_BREACH);
  breaches.push(...lateJudgement.raised.map((breach) => ({ ...breach, late: true })));
  const currentJudgement = judge(limits, current, state.tracker);
  breaches.push(...currentJudgement.raised.map((breach) => ({ ...breach, late: false })));
  const newest = current.at(-1);
  return {
    state: newest ? { tracker: currentJudgement.tracker, judgedUntil: newest.at } : state,
    breaches,
  };
}
