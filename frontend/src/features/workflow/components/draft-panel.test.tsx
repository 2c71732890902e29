import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import type { StoredDraft, TicketWorkflow } from '../api/get-ticket-workflow';
import { DraftPanel } from './draft-panel';

const DRAFT: StoredDraft = {
  content: 'Hello,\n\nThanks for writing in about ORD-1.',
  tone: 'friendly',
  suggested_actions: ['Look up order ORD-1 in the billing system', 'Check the refund policy'],
  source: 'template',
  edited: false,
  updated_at: '2026-11-21T12:00:00Z',
  review_reason: null,
  review_requested_by: null,
  review_requested_at: null,
};

/**
 * A server that keeps one draft and answers PUT and regenerate the way the backend does;
 * `holdSave` keeps the PUT's answer until the test calls it.
 */
function serve(options: { failSave?: boolean; holdSave?: (answer: () => void) => void } = {}) {
  let draft = DRAFT;
  const workflow = (): TicketWorkflow => ({
    ticket_id: 7,
    facts: { fields: [], extracted_at: DRAFT.updated_at },
    routing: null,
    draft,
  });
  return mockFetch({
    'GET /api/tickets/7/workflow': () => jsonResponse(workflow()),
    'PUT /api/tickets/7/draft': ({ body }) => {
      if (options.failSave) {
        return problemResponse(422, 'Validation failed', {
          errors: { content: ['at most 8000 characters'] },
        });
      }
      const { content, tone } = body as StoredDraft;
      draft = { ...draft, content, tone, edited: true, updated_at: '2026-11-21T12:05:00Z' };
      const { holdSave } = options;
      if (!holdSave) return jsonResponse(draft);
      return new Promise<Response>((resolve) => holdSave(() => resolve(jsonResponse(draft))));
    },
    'POST /api/tickets/7/draft/regenerate': ({ body }) => {
      const { tone } = body as { tone: StoredDraft['tone'] };
      draft = {
        ...DRAFT,
        tone,
        content: `Dear customer (${tone}),\n\nWe are looking into ORD-1.`,
        updated_at: '2026-11-21T12:10:00Z',
      };
      return jsonResponse(draft);
    },
  });
}

async function setup() {
  const user = userEvent.setup();
  renderWithProviders(<DraftPanel ticketId={7} />);
  const reply = await screen.findByLabelText('Reply');
  return {
    user,
    reply,
    tone: screen.getByLabelText('Tone'),
    save: screen.getByRole('button', { name: 'Save' }),
  };
}

it('shows the draft, its tone and the suggested next steps', async () => {
  serve();
  const { reply, tone, save } = await setup();
  expect(reply).toHaveValue(DRAFT.content);
  expect(tone).toHaveValue('friendly');
  expect(save).toHaveAttribute('aria-disabled', 'true');
  expect(screen.getByText('From a template')).toBeInTheDocument();
  const steps = screen.getByRole('list', { name: 'Suggested next steps' });
  expect(within(steps).getAllByRole('listitem').map((item) => item.textContent)).toEqual(
    DRAFT.suggested_actions,
  );
});

it('lets the reply run right to left when written so', async () => {
  serve();
  const { reply } = await setup();
  expect(reply).toHaveAttribute('dir', 'auto');
});

it('saves an edited draft with its tone', async () => {
  const { calls } = serve();
  const { user, reply, tone, save } = await setup();

  await user.type(reply, ' We refunded you.');
  await user.selectOptions(tone, 'formal');
  expect(
    screen.getByText('Your text is kept: regenerate to rewrite it in the formal tone.'),
  ).toHaveRole('status');
  await user.click(save);

  expect(calls.find((call) => call.method === 'PUT')?.body).toEqual({
    content: `${DRAFT.content} We refunded you.`,
    tone: 'formal',
  });
  expect(await screen.findByText('Draft saved.')).toBeInTheDocument();
  expect(screen.getByText('Edited by an agent')).toBeInTheDocument();
  expect(save).toHaveAttribute('aria-disabled', 'true');
});

it('keeps focus on Save while it saves and after, refusing a second save', async () => {
  let answer = () => {};
  const { calls } = serve({ holdSave: (answerSave) => (answer = answerSave) });
  const { user, reply, save } = await setup();
  await user.type(reply, ' Done.');

  await user.click(save);
  expect(save).toHaveTextContent('Saving…');
  expect(save).toHaveFocus();
  // Not disabled: a disabled button loses focus (to <body> in browsers).
  expect(save).toBeEnabled();
  await user.click(save);
  expect(calls.filter((call) => call.method === 'PUT')).toHaveLength(1);

  answer();
  expect(await screen.findByText('Draft saved.')).toBeInTheDocument();
  expect(save).toHaveFocus();
});

it('keeps a saved edit when the tone changes, and saves no tone without new text', async () => {
  const { calls } = serve();
  const { user, reply, tone, save } = await setup();
  await user.type(reply, ' Done.');
  await user.click(save);
  await screen.findByText('Draft saved.');

  await user.selectOptions(tone, 'formal');
  expect(
    screen.getByText('Your text is kept: regenerate to rewrite it in the formal tone.'),
  ).toHaveRole('status');
  expect(reply).toHaveValue(`${DRAFT.content} Done.`);
  expect(save).toHaveAttribute('aria-disabled', 'true');
  expect(calls.some((call) => call.method === 'POST')).toBe(false);
});

it('rewrites the draft as soon as another tone is chosen', async () => {
  const { calls } = serve();
  const { user, reply, tone, save } = await setup();

  await user.selectOptions(tone, 'empathetic');

  expect(await screen.findByText('New empathetic draft written.')).toBeInTheDocument();
  expect(calls.filter((call) => call.method === 'POST').map((call) => call.body)).toEqual([
    { tone: 'empathetic' },
  ]);
  expect(calls.some((call) => call.method === 'PUT')).toBe(false);
  expect(reply).toHaveValue('Dear customer (empathetic),\n\nWe are looking into ORD-1.');
  expect(tone).toHaveValue('empathetic');
  expect(screen.getByText('From a template')).toBeInTheDocument();
  expect(save).toHaveAttribute('aria-disabled', 'true');
});

it('asks before regenerating over unsaved edits, and keeps them on "Keep editing"', async () => {
  const { calls } = serve();
  const { user, reply } = await setup();
  await user.type(reply, ' My own words.');

  await user.click(screen.getByRole('button', { name: 'Regenerate' }));
  const question = screen.getByRole('group', { name: /Throw away your unsaved edits/ });
  await user.click(within(question).getByRole('button', { name: 'Keep editing' }));
  expect(calls.some((call) => call.method === 'POST')).toBe(false);
  expect(reply).toHaveValue(`${DRAFT.content} My own words.`);
  expect(screen.getByRole('button', { name: 'Regenerate' })).toHaveFocus();

  await user.click(screen.getByRole('button', { name: 'Regenerate' }));
  await user.click(screen.getByRole('button', { name: 'Discard and regenerate' }));
  // The question is gone with the button that had focus: focus is back where it started.
  expect(screen.getByRole('button', { name: /Regenerat/ })).toHaveFocus();
  expect(await screen.findByText('New friendly draft written.')).toBeInTheDocument();
  expect(reply).toHaveValue('Dear customer (friendly),\n\nWe are looking into ORD-1.');
  expect(screen.getByRole('button', { name: 'Regenerate' })).toHaveFocus();
});

it('shows the server’s objection to a draft next to the text', async () => {
  serve({ failSave: true });
  const { user, reply, save } = await setup();
  await user.type(reply, '!');
  await user.click(save);
  expect(await screen.findByText('at most 8000 characters')).toBeInTheDocument();
  expect(reply).toHaveAttribute('aria-invalid', 'true');
  // The edit is still there to fix.
  expect(reply).toHaveValue(`${DRAFT.content}!`);
});

it('asks before leaving the ticket with unsaved changes, and stays if told to', async () => {
  serve();
  const user = userEvent.setup();
  const { router } = renderWithProviders(<DraftPanel ticketId={7} />, { url: '/tickets/7' });
  const reply = await screen.findByLabelText('Reply');
  const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);

  await router.navigate('/tickets');
  expect(confirm).not.toHaveBeenCalled(); // nothing unsaved yet
  await router.navigate('/tickets/7');
  await user.type(reply, ' More.');

  await act(() => router.navigate('/tickets'));
  await vi.waitFor(() =>
    expect(confirm).toHaveBeenCalledWith(expect.stringMatching(/unsaved changes to the reply/)),
  );
  expect(screen.getByTestId('location')).toHaveTextContent('/tickets/7');
  expect(reply).toHaveValue(`${DRAFT.content} More.`);

  confirm.mockReturnValue(true);
  await act(() => router.navigate('/tickets'));
  await vi.waitFor(() =>
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/tickets$/),
  );
});
