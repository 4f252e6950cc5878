import { describe, expect, it } from 'vitest';
import { evaluateBreach, isHistorical, NO_BREACH, thresholdMessage } from '../../../shared/domain/alert-rules.ts';
import type { ThresholdLimits } from '../../../shared/domain/thresholds.ts';

const limits = (overrides: Partial<ThresholdLimits> = {}): ThresholdLimits => ({
  max: 100,
  min: 50,
  minDurationSeconds: 0,
  deadBand: 5,
  priority: 'high',
  ...overrides,
});
const at = (value: number, fromSeconds: number, toSeconds = fromSeconds) => ({ value, from: fromSeconds * 1000, to: toSeconds * 1000 });

describe('evaluateBreach', () => {
  it('raises at once for a breach when no minimum duration is set', () => {
    const { outcome, tracker } = evaluateBreach(limits(), at(120, 0, 10), NO_BREACH);
    expect(outcome).toEqual({ kind: 'raise', direction: 'high', limit: 100 });
    expect(tracker.raised).toBe(true);
  });

  it('treats a value on the limit as inside it', () => {
    expect(evaluateBreach(limits(), at(100, 0), NO_BREACH).outcome).toEqual({ kind: 'none' });
    expect(evaluateBreach(limits(), at(50, 0), NO_BREACH).outcome).toEqual({ kind: 'none' });
  });

  it('reports low breaches against the minimum', () => {
    expect(evaluateBreach(limits(), at(42, 0, 10), NO_BREACH).outcome).toEqual({ kind: 'raise', direction: 'low', limit: 50 });
  });

  it('waits for the minimum duration before raising', () => {
    const rule = limits({ minDurationSeconds: 30 });
    const first = evaluateBreach(rule, at(120, 0, 10), NO_BREACH);
    expect(first.outcome.kind).toBe('pending');
    const second = evaluateBreach(rule, at(120, 10, 20), first.tracker);
    expect(second.outcome.kind).toBe('pending');
    const third = evaluateBreach(rule, at(120, 20, 30), second.tracker);
    expect(third.outcome).toEqual({ kind: 'raise', direction: 'high', limit: 100 });
  });

  it('forgets a pending breach that does not last', () => {
    const rule = limits({ minDurationSeconds: 30 });
    const first = evaluateBreach(rule, at(120, 0, 10), NO_BREACH);
    const back = evaluateBreach(rule, at(80, 10, 20), first.tracker);
    expect(back.tracker).toEqual(NO_BREACH);
    expect(evaluateBreach(rule, at(120, 20, 40), back.tracker).outcome.kind).toBe('pending');
  });

  it('keeps a raised breach until the value is back inside by the dead-band', () => {
    const raised = evaluateBreach(limits(), at(120, 0, 10), NO_BREACH).tracker;
    const hovering = evaluateBreach(limits(), at(98, 10, 20), raised);
    expect(hovering.outcome).toEqual({ kind: 'none' });
    expect(hovering.tracker.raised).toBe(true);
    const cleared = evaluateBreach(limits(), at(95, 20, 30), hovering.tracker);
    expect(cleared.outcome).toEqual({ kind: 'clear' });
    expect(cleared.tracker).toEqual(NO_BREACH);
  });

  it('repeats the raise while the breach goes on', () => {
    const raised = evaluateBreach(limits(), at(120, 0, 10), NO_BREACH).tracker;
    expect(evaluateBreach(limits(), at(125, 10, 20), raised).outcome.kind).toBe('raise');
  });
});

describe('thresholdMessage', () => {
  it('names the metric, value, unit and limit', () => {
    expect(thresholdMessage('heart_rate', 'high', 142.04, 100)).toBe('Heart rate 142 /min above the limit of 100 /min');
  });
});

describe('isHistorical', () => {
  const now = new Date('2026-11-22T12:00:00.000Z');
  it('treats data measured more than 15 minutes ago as historical', () => {
    expect(isHistorical('2026-11-22T11:44:59.000Z', now)).toBe(true);
    expect(isHistorical('2026-11-22T11:45:01.000Z', now)).toBe(false);
    expect(isHistorical('2026-11-22T12:00:30.000Z', now)).toBe(false);
  });
});
