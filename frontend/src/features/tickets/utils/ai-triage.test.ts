import { CATEGORY_LABELS, PRIORITY_LABELS } from '@/lib/labels';
import { makeTicket } from '@/testing/factories';
import { describeAiLabels, describeOutcome, labelOutcome, splitProvider } from './ai-triage';

describe('labelOutcome', () => {
  it('is an override when a person set a label other than the AI’s', () => {
    expect(labelOutcome('account', 'user', 'billing')).toEqual({
      kind: 'overridden',
      ai: 'billing',
      chosen: 'account',
    });
  });

  it('is no override when the person picked what the AI said', () => {
    expect(labelOutcome('billing', 'user', 'billing')).toEqual({
      kind: 'confirmed',
      ai: 'billing',
    });
  });

  it('is accepted while the AI’s label stands', () => {
    expect(labelOutcome('high', 'ai', 'high')).toEqual({ kind: 'accepted', ai: 'high' });
  });

  it('is nothing when the AI suggested nothing, whoever set the label', () => {
    expect(labelOutcome('general', 'user', null)).toEqual({ kind: 'none' });
    expect(labelOutcome('general', 'ai', null)).toEqual({ kind: 'none' });
  });
});

describe('describeOutcome', () => {
  it('names both labels of an override', () => {
    expect(
      describeOutcome({ kind: 'overridden', ai: 'billing', chosen: 'account' }, CATEGORY_LABELS),
    ).toBe('Overridden · AI suggested: Billing');
    expect(
      describeOutcome({ kind: 'overridden', ai: 'low', chosen: 'critical' }, PRIORITY_LABELS),
    ).toBe('Overridden · AI suggested: Low');
  });

  it('says when the suggestion was kept', () => {
    expect(describeOutcome({ kind: 'accepted', ai: 'billing' }, CATEGORY_LABELS)).toBe('Accepted');
    expect(describeOutcome({ kind: 'confirmed', ai: 'billing' }, CATEGORY_LABELS)).toBe(
      'Set by hand to the same',
    );
  });
});

it('splitProvider separates the classifier from its model', () => {
  expect(splitProvider('local:base')).toEqual({ name: 'local', model: 'base' });
  expect(splitProvider('openai:gpt-4o-mini')).toEqual({ name: 'openai', model: 'gpt-4o-mini' });
  expect(splitProvider('rules')).toEqual({ name: 'rules', model: null });
});

it('describeAiLabels names the labels that came from the AI, with their confidence', () => {
  const confidences = {
    ai_confidence: 0.48,
    ai_category_confidence: 1,
    ai_priority_confidence: 0.48,
  };
  expect(
    describeAiLabels(makeTicket({ ...confidences, category_source: 'ai', priority_source: 'ai' })),
  ).toEqual({ subject: 'category and priority', confidence: 0.48 });
  expect(describeAiLabels(makeTicket({ ...confidences, category_source: 'ai' }))).toEqual({
    subject: 'category',
    confidence: 1,
  });
  // A ticket from before per-label figures were kept shows the overall one.
  expect(describeAiLabels(makeTicket({ ai_confidence: 0.6, priority_source: 'ai' }))).toEqual({
    subject: 'priority',
    confidence: 0.6,
  });
  expect(describeAiLabels(makeTicket())).toBeNull();
});
