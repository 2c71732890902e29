import type { HistoryEntry } from '../api/get-ticket-history';

/**
 * A history entry in words, as pieces: plain text, a person's name (shown with dir="auto",
 * since names come from people) and a ticket to link to. Nothing in it is markup.
 */
export type Piece = { text: string } | { name: string } | { ticket: number };

type NameOf = (userId: number) => string;

const FIELD_WORDS: Record<string, string> = {
  status: 'status',
  category: 'category',
  priority: 'priority',
  team: 'team',
  assignee_id: 'assignee',
  duplicate_of: 'merged into',
};

/** A value as people read it: "in_progress" → "in progress"; nothing → "none". */
export function valueWords(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'none';
  if (typeof value === 'string') return value.replaceAll('_', ' ');
  return String(value);
}

function fieldWords(field: string): string {
  return FIELD_WORDS[field] ?? field.replaceAll('_', ' ');
}

function actor(entry: HistoryEntry): Piece {
  switch (entry.actor_kind) {
    case 'ai':
      return { text: 'AI' };
    case 'system':
      return { text: 'System' };
    case 'customer':
      return { text: 'The customer' };
    case 'user':
      return entry.actor_name ? { name: entry.actor_name } : { text: 'Someone' };
    default:
      // Open access: a request nobody signed in for.
      return { text: 'Someone' };
  }
}

function pairs(entry: HistoryEntry): [string, unknown, unknown][] {
  return Object.entries(entry.changes).map(([field, values]) => [field, values[0], values[1]]);
}

/** "status open → in progress, priority low → high" */
function changeList(entry: HistoryEntry): string {
  return pairs(entry)
    .map(
      ([field, before, after]) =>
        `${fieldWords(field)} ${valueWords(before)} → ${valueWords(after)}`,
    )
    .join(', ');
}

/** "category billing, priority high": what was set, without what it was before. */
function setList(entry: HistoryEntry): string {
  return pairs(entry)
    .map(([field, , after]) => `${fieldWords(field)} ${valueWords(after)}`)
    .join(', ');
}

function withDetail(pieces: Piece[], detail: string, why: 'colon' | 'brackets'): Piece[] {
  if (!detail || detail === 'by hand') return pieces;
  return [...pieces, { text: why === 'colon' ? `: ${detail}` : ` (${detail})` }];
}

function assigned(entry: HistoryEntry, who: Piece, nameOf: NameOf): Piece[] {
  const after = entry.changes.assignee_id?.[1];
  let pieces: Piece[];
  if (typeof after !== 'number') {
    pieces = [who, { text: ' unassigned it' }];
  } else if (entry.actor_kind === 'user' && entry.actor_user_id === after) {
    pieces = [who, { text: ' took it' }];
  } else {
    pieces = [who, { text: ' assigned it to ' }, { name: nameOf(after) }];
  }
  // "System unassigned it: moved to technical_support"; by hand goes without saying.
  return withDetail(pieces, entry.detail, 'colon');
}

function followUp(entry: HistoryEntry): Piece[] {
  const ticket = entry.changes.follow_up?.[1];
  return typeof ticket === 'number' ? [{ text: ', which opened ' }, { ticket }] : [];
}

/** The entry as a sentence, e.g. "AI set category billing, priority high (confidence 0.91)". */
export function describeHistoryEntry(entry: HistoryEntry, nameOf: NameOf): Piece[] {
  const who = actor(entry);
  switch (entry.action) {
    case 'ticket.created': {
      const labels = setList(entry);
      const pieces: Piece[] = [who, { text: ' created the ticket' }];
      const said: Piece[] = labels ? [...pieces, { text: `: ${labels}` }] : pieces;
      return withDetail(said, entry.detail, 'brackets');
    }
    case 'ticket.triaged':
      return withDetail([who, { text: ` set ${setList(entry)}` }], entry.detail, 'brackets');
    case 'ticket.updated':
      return withDetail([who, { text: ` changed ${changeList(entry)}` }], entry.detail, 'brackets');
    case 'ticket.assigned':
      return assigned(entry, who, nameOf);
    case 'ticket.merged': {
      const into = entry.changes.duplicate_of?.[1];
      return typeof into === 'number'
        ? [who, { text: ' merged it into ' }, { ticket: into }]
        : [who, { text: ' merged it' }];
    }
    case 'ticket.routed': {
      const team = entry.changes.team?.[1];
      const to = typeof team === 'string' ? ` routed it to ${valueWords(team)}` : ' routed it';
      return withDetail([who, { text: to }], entry.detail, 'brackets');
    }
    // The conversation: what was written is in the thread; the timeline says who and when.
    case 'message.reply':
      return [who, { text: ' replied to the customer' }];
    case 'message.note':
      return [who, { text: ' added an internal note' }];
    case 'message.customer':
      return [who, { text: ' wrote' }, ...followUp(entry)];
    case 'customer_link.issued':
      return [who, { text: ' got a private link to the ticket' }];
    case 'customer.sign_in_link':
      return [who, { text: ' gave the customer a sign-in link' }];
    case 'draft.review_requested':
      return [who, { text: ' marked the reply draft ready for review' }];
    case 'draft.review_withdrawn':
      return withDetail([who, { text: ' ended the draft’s review' }], entry.detail, 'brackets');
    default: {
      // An action this page does not know yet still reads as something.
      const what = entry.action.split('.').pop()?.replaceAll('_', ' ') ?? entry.action;
      const changes = changeList(entry);
      return withDetail(
        [who, { text: ` ${what}` }, ...(changes ? [{ text: `: ${changes}` }] : [])],
        entry.detail,
        'brackets',
      );
    }
  }
}

/** The sentence as plain text, for tests and for an accessible name. */
export function historyText(pieces: Piece[]): string {
  return pieces
    .map((piece) =>
      'text' in piece ? piece.text : 'name' in piece ? piece.name : `#${piece.ticket}`,
    )
    .join('');
}
