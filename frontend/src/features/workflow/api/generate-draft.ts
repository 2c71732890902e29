import { ProblemError } from '@/lib/api-client';
import type { Tone } from '@/types/api';
import type { StoredDraft } from './get-ticket-workflow';

/** The last event of a generation: the stored draft, and why the AI did not write it. */
export type GeneratedDraft = { draft: StoredDraft | null; warning?: string };

// The stream's events (the schema says only "text/event-stream"; the route's description
// gives them): `{delta}` while the LLM writes, then `{done: true, draft, warning?}`, or
// `{done: true, draft: null, error}` when the ticket went away meanwhile.
type DraftEvent =
  | { delta: string; done?: undefined }
  | { done: true; draft: StoredDraft | null; warning?: string; error?: string };

async function problemOf(response: Response): Promise<ProblemError> {
  const fallback = response.statusText || `Request failed (${response.status})`;
  try {
    const problem = (await response.json()) as { title?: string; detail?: string };
    return new ProblemError(response.status, problem.title ?? fallback, problem.detail);
  } catch {
    return new ProblemError(response.status, fallback);
  }
}

/**
 * Asks the configured LLM for a new draft and reads the server-sent events as they arrive:
 * `onDelta` gets each piece of text; the promise resolves with the draft the server stored.
 */
export async function generateDraft(
  ticketId: number,
  tone: Tone,
  onDelta: (text: string) => void,
  signal?: AbortSignal,
): Promise<GeneratedDraft> {
  const response = await fetch(`/api/tickets/${ticketId}/draft/generate`, {
    method: 'POST',
    headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
    body: JSON.stringify({ tone }),
    signal,
  });
  if (!response.ok) throw await problemOf(response);
  if (!response.body) throw new ProblemError(response.status, 'The response had no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
    const messages = buffer.split('\n\n');
    buffer = done ? '' : (messages.pop() ?? '');
    for (const message of messages) {
      const data = message
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (!data) continue;
      const event = JSON.parse(data) as DraftEvent;
      if (!event.done) {
        onDelta(event.delta);
        continue;
      }
      if (event.error) throw new ProblemError(409, 'The draft was not stored', event.error);
      return { draft: event.draft, warning: event.warning };
    }
    if (done) throw new ProblemError(502, 'The draft stream ended early');
  }
}
