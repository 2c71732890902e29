import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import type { ProviderStatus, TriageStatus } from '@/features/stats/api/get-triage-status';
import { renderWithProviders } from '@/testing/render';
import type { StoredDraft, TicketWorkflow } from '../api/get-ticket-workflow';
import { DraftPanel } from './draft-panel';

const DRAFT: StoredDraft = {
  content: 'Hello,\n\nThanks for writing in.',
  tone: 'friendly',
  suggested_actions: [],
  source: 'template',
  edited: false,
  updated_at: '2026-11-21T12:00:00Z',
  review_reason: null,
  review_requested_by: null,
  review_requested_at: null,
};
const WRITTEN: StoredDraft = {
  ...DRAFT,
  content: 'Hi Sam, we are looking into it.',
  source: 'llm',
  updated_at: '2026-11-21T12:10:00Z',
};

const encoder = new TextEncoder();
const event = (payload: unknown) => encoder.encode(`data: ${JSON.stringify(payload)}\n\n`);

/** A streamed response the test feeds piece by piece. */
function controlledStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const response = new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
  return { response, push: (bytes: Uint8Array) => controller.enqueue(bytes), end: () => controller.close() };
}

// The status with an LLM configured; without one, `provider` is null.
const counts = { local_answers: 0, llm_calls: 0, calls_saved: 0, fallbacks: 0 };
const circuit = {
  provider: 'openai',
  model: 'gpt',
  circuit: 'closed',
  consecutive_failures: 0,
} as const;
const LLM: ProviderStatus = {
  threshold: 0.75,
  ...counts,
  llm: { ...circuit, last_outcome: null, last_error: null, last_latency_ms: null },
  drafts: circuit,
  all_processes: { ...counts, since: null },
};

function serve(
  provider: ProviderStatus | null,
  generate?: () => Response,
  stored: StoredDraft = WRITTEN,
  initial: StoredDraft = DRAFT,
) {
  let draft = initial;
  const workflow = (): TicketWorkflow => ({ ticket_id: 7, facts: null, routing: null, draft });
  const mock = mockFetch({
    'GET /api/triage/status': () =>
      jsonResponse({
        classifier: 'rules',
        model_version: null,
        problem: null,
        provider,
      } satisfies TriageStatus),
    'GET /api/tickets/7/workflow': () => jsonResponse(workflow()),
    'POST /api/tickets/7/draft/generate': () => {
      draft = stored;
      return generate ? generate() : problemResponse(409, 'Conflict');
    },
  });
  return mock;
}

test('streams the AI draft into the editor, then shows the stored draft', async () => {
  const stream = controlledStream();
  const { calls } = serve(LLM, () => stream.response);
  const user = userEvent.setup();
  renderWithProviders(<DraftPanel ticketId={7} />);
  const reply = await screen.findByLabelText('Reply');
  await user.click(await screen.findByRole('button', { name: 'Generate with AI' }));

  stream.push(event({ delta: 'Hi Sam, ' }));
  await waitFor(() => expect(reply).toHaveValue('Hi Sam, '));
  const generating = screen.getByRole('button', { name: 'Generating…' });
  expect(generating).toHaveAttribute('aria-disabled', 'true');
  // Still focusable, so the keyboard user's place is kept while the AI writes.
  expect(generating).toHaveFocus();
  // A message may arrive split across reads.
  const rest = event({ delta: 'we are looking into it.' });
  stream.push(rest.slice(0, 10));
  stream.push(rest.slice(10));
  await waitFor(() => expect(reply).toHaveValue('Hi Sam, we are looking into it.'));

  stream.push(event({ done: true, draft: WRITTEN }));
  stream.end();
  expect(await screen.findByText('New draft written by the AI.')).toBeInTheDocument();
  expect(reply).toHaveValue(WRITTEN.content);
  expect(screen.getByText('Written by the AI')).toBeInTheDocument();
  const sent = calls.find((c) => c.url.endsWith('/draft/generate'));
  expect(sent?.body).toEqual({ tone: 'friendly' });
  // The workflow query is read again after the stream.
  await waitFor(() =>
    expect(calls.filter((c) => c.url === '/api/tickets/7/workflow').length).toBeGreaterThan(1),
  );
});

test('has the AI rewrite its own draft in a newly chosen tone', async () => {
  const formal = { ...WRITTEN, tone: 'formal' as const, content: 'Dear Sam, we are investigating.' };
  const { calls } = serve(
    LLM,
    () => {
      const stream = controlledStream();
      stream.push(event({ delta: formal.content }));
      stream.push(event({ done: true, draft: formal }));
      stream.end();
      return stream.response;
    },
    formal,
    WRITTEN,
  );
  const user = userEvent.setup();
  renderWithProviders(<DraftPanel ticketId={7} />);
  const reply = await screen.findByLabelText('Reply');
  await screen.findByRole('button', { name: 'Generate with AI' });

  await user.selectOptions(screen.getByLabelText('Tone'), 'formal');

  expect(await screen.findByText('New draft written by the AI.')).toBeInTheDocument();
  expect(reply).toHaveValue(formal.content);
  const sent = calls.filter((c) => c.url.endsWith('/draft/generate'));
  expect(sent.map((c) => c.body)).toEqual([{ tone: 'formal' }]);
  expect(calls.some((c) => c.method === 'PUT')).toBe(false);
});

test('shows the warning when the template wrote the draft instead', async () => {
  const fallback = { ...WRITTEN, source: 'template' as const, content: 'Template text' };
  serve(LLM, () => {
    const stream = controlledStream();
    stream.push(event({ done: true, draft: fallback, warning: 'LLM openai failed (timeout)' }));
    stream.end();
    return stream.response;
  }, fallback);
  const user = userEvent.setup();
  renderWithProviders(<DraftPanel ticketId={7} />);
  await user.click(await screen.findByRole('button', { name: 'Generate with AI' }));
  expect(await screen.findByText('LLM openai failed (timeout)')).toBeInTheDocument();
  expect(screen.getByLabelText('Reply')).toHaveValue('Template text');
});

test('no button without an LLM provider', async () => {
  const { calls } = serve(null);
  renderWithProviders(<DraftPanel ticketId={7} />);
  await screen.findByLabelText('Reply');
  await waitFor(() => expect(calls.some((c) => c.url === '/api/triage/status')).toBe(true));
  expect(screen.queryByRole('button', { name: 'Generate with AI' })).not.toBeInTheDocument();
});

test('an AI draft that promises money says it needs review', async () => {
  const reason = 'The LLM draft names an amount ($5,000): check it before sending';
  const promising = { ...WRITTEN, content: 'We will refund $5,000.', review_reason: reason };
  serve(LLM, () => {
    const stream = controlledStream();
    stream.push(event({ done: true, draft: promising }));
    stream.end();
    return stream.response;
  }, promising);
  const user = userEvent.setup();
  renderWithProviders(<DraftPanel ticketId={7} />);
  await screen.findByLabelText('Reply');
  expect(screen.queryByRole('note')).not.toBeInTheDocument();
  await user.click(await screen.findByRole('button', { name: 'Generate with AI' }));
  const note = await screen.findByRole('note');
  expect(note).toHaveTextContent(`Needs review ${reason}`);
});
