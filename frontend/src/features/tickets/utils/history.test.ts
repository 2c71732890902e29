import { makeHistoryEntry } from '@/testing/factories';
import { describeHistoryEntry, historyText } from './history';

const BY_HAND = 'by hand';
const names: Record<number, string> = { 1: 'Maya Chen', 2: 'Omar Haddad' };
const nameOf = (id: number) => names[id] ?? `user #${id}`;
const say = (overrides: Parameters<typeof makeHistoryEntry>[0]) =>
  historyText(describeHistoryEntry(makeHistoryEntry(overrides), nameOf));

it('says what the AI chose, with its confidence', () => {
  expect(
    say({
      action: 'ticket.triaged',
      actor_kind: 'ai',
      changes: { category: [null, 'billing'], priority: [null, 'high'] },
      detail: 'confidence 0.91',
    }),
  ).toBe('AI set category billing, priority high (confidence 0.91)');
});

it('names who assigned the ticket to whom, and who took it', () => {
  const maya = { actor_kind: 'user', actor_user_id: 1, actor_name: 'Maya Chen' };
  const assigned = (from: number | null, to: number | null) =>
    say({
      ...maya,
      action: 'ticket.assigned',
      changes: { assignee_id: [from, to] },
      detail: BY_HAND,
    });
  // "by hand" goes without saying.
  expect(assigned(null, 2)).toBe('Maya Chen assigned it to Omar Haddad');
  expect(assigned(2, 1)).toBe('Maya Chen took it');
  expect(assigned(2, null)).toBe('Maya Chen unassigned it');
});

it('says why the system let go of the ticket or gave it to someone', () => {
  expect(
    say({
      action: 'ticket.assigned',
      actor_kind: 'system',
      changes: { assignee_id: [2, null] },
      detail: 'moved to technical_support',
    }),
  ).toBe('System unassigned it: moved to technical_support');
  expect(
    say({
      action: 'ticket.assigned',
      actor_kind: 'system',
      changes: { assignee_id: [null, 2] },
      detail: 'auto-assigned in billing_team',
    }),
  ).toBe('System assigned it to Omar Haddad: auto-assigned in billing_team');
});

it('spells changes as people read them', () => {
  expect(
    say({
      action: 'ticket.updated',
      actor_user_id: 1,
      actor_name: 'Maya Chen',
      changes: { status: ['open', 'in_progress'], priority: ['low', 'high'] },
    }),
  ).toBe('Maya Chen changed status open → in progress, priority low → high');
});

it('tells who filed it, a merge, and an action it does not know', () => {
  expect(
    say({ action: 'ticket.created', actor_kind: 'open', changes: { status: [null, 'open'] } }),
  ).toBe('Someone created the ticket: status open');
  const merged = describeHistoryEntry(
    makeHistoryEntry({
      action: 'ticket.merged',
      actor_name: 'Maya Chen',
      changes: { duplicate_of: [null, 12] },
    }),
    nameOf,
  );
  expect(merged).toContainEqual({ ticket: 12 });
  expect(historyText(merged)).toBe('Maya Chen merged it into #12');
  expect(
    say({ action: 'ticket.reopened_by_customer', actor_kind: 'customer', changes: {} }),
  ).toBe('The customer reopened by customer');
});

it('says who handed out a sign-in link and who shared a draft for review', () => {
  expect(say({ action: 'customer.sign_in_link', actor_name: 'Kim' })).toBe(
    'Kim gave the customer a sign-in link',
  );
  expect(say({ action: 'draft.review_requested', actor_name: 'Kim' })).toBe(
    'Kim marked the reply draft ready for review',
  );
  expect(
    say({ action: 'draft.review_withdrawn', actor_kind: 'system', detail: 'replied' }),
  ).toBe('System ended the draft’s review (replied)');
});

it('says where routing sent it, and why', () => {
  expect(
    say({
      action: 'ticket.routed',
      actor_kind: 'system',
      changes: { team: [null, 'billing_team'] },
      detail: 'category billing',
    }),
  ).toBe('System routed it to billing team (category billing)');
});

it('keeps a name as a name, never as markup', () => {
  const pieces = describeHistoryEntry(
    makeHistoryEntry({
      action: 'ticket.updated',
      actor_name: '<img src=x onerror=alert(1)>',
      changes: { status: ['open', 'resolved'] },
    }),
    nameOf,
  );
  expect(pieces[0]).toEqual({ name: '<img src=x onerror=alert(1)>' });
});

it('tells the conversation in words, leaving what was written to the thread', () => {
  const base = { id: 9, at: '2026-12-04T10:00:00Z', actor_user_id: 2, actor_name: 'Maya Chen' };
  const say = (action: string, actor_kind: string, changes = {}) =>
    historyText(
      describeHistoryEntry(
        { ...base, action, actor_kind, changes, detail: 'message 4' } as never,
        () => 'Maya Chen',
      ),
    );
  expect(say('message.reply', 'user', { waiting: [false, true] })).toBe(
    'Maya Chen replied to the customer',
  );
  expect(say('message.note', 'user')).toBe('Maya Chen added an internal note');
  expect(say('message.customer', 'customer', { follow_up: [null, 12] })).toBe(
    'The customer wrote, which opened #12',
  );
});
