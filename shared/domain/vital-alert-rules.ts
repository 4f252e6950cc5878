// Which alerts a batch of one metric's samples raises, with the same rules as ECG findings: a
// breach must last the threshold's minimum duration (judged on measurement times) and clears
// only past the dead-band. Samples newer than any judged before continue the patient's running
// judgement; samples older than that (late data) are judged together with the samples stored
// around them, and a breach whose run holds a late sample is already over: it is recorded as
// historical and pages nobody.
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

/**
 * Runs the samples through the breach rule. With `counted`, only a raise whose run holds one of
 * those times counts (late data judged among stored neighbours: what the stored data raised on
 * its own was raised when it arrived).
 */
function judge(limits: ThresholdLimits, samples: readonly Timed[], start: BreachTracker, counted?: ReadonlySet<number>) {
  let tracker = start;
  let runHasCounted = false;
  // High and low are different alerts: the newest raise of each stands for its run.
  const raised = new Map<BreachDirection, Omit<VitalBreach, 'late'>>();
  for (const sample of samples) {
    const result = evaluateBreach(limits, { value: sample.value, from: sample.at, to: sample.at }, tracker);
    if (result.tracker.since !== tracker.since) runHasCounted = false;
    tracker = result.tracker;
    if (counted?.has(sample.at) && (result.outcome.kind === 'pending' || result.outcome.kind === 'raise')) runHasCounted = true;
    if (result.outcome.kind === 'raise' && (counted === undefined || runHasCounted)) {
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

/** How far around late samples their stored neighbours matter: a run needs at most the minimum duration either side. */
export function lateNeighbourhood(limits: ThresholdLimits, late: readonly Timed[]): { from: number; to: number } | undefined {
  const first = late[0];
  const last = late.at(-1);
  if (!first || !last) return undefined;
  const span = limits.minDurationSeconds * 1000 + 1000;
  return { from: first.at - span, to: last.at + span };
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
  /** Samples stored around the late ones (within `lateNeighbourhood`), the late ones included or not. */
  storedAround: readonly Timed[] = [],
): { state: VitalRuleState; breaches: VitalBreach[] } {
  if (!limits || samples.length === 0) return { state, breaches: [] };
  const cut = state.judgedUntil ?? Number.NEGATIVE_INFINITY;
  const late = samples.filter((sample) => sample.at <= cut);
  const current = samples.filter((sample) => sample.at > cut);
  const breaches: VitalBreach[] = [];
  const window = new Map<number, Timed>();
  for (const sample of [...storedAround, ...late]) window.set(sample.at, sample);
  const lateJudgement = judge(
    limits,
    [...window.values()].sort((a, b) => a.at - b.at),
    NO_BREACH,
    new Set(late.map((sample) => sample.at)),
  );
  breaches.push(...lateJudgement.raised.map((breach) => ({ ...breach, late: true })));
  const currentJudgement = judge(limits, current, state.tracker);
  breaches.push(...currentJudgement.raised.map((breach) => ({ ...breach, late: false })));
  const newest = current.at(-1);
  return {
    state: newest ? { tracker: currentJudgement.tracker, judgedUntil: newest.at } : state,
    breaches,
  };
}
