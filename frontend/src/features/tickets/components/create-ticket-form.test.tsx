import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeClassification, makeTicket } from '@/testing/factories';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { NewTicket } from './new-ticket';

const LONG_DESCRIPTION = 'The app crashes with an error every time I log in.';

function setup() {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
  renderWithProviders(<NewTicket />);
  return {
    user,
    title: screen.getByLabelText('Title'),
    description: screen.getByLabelText('Description'),
    category: screen.getByLabelText('Category'),
    priority: screen.getByLabelText('Priority'),
    submit: screen.getByRole('button', { name: 'Submit ticket' }),
  };
}

const classifyCalls = (calls: { url: string }[]) =>
  calls.filter((call) => call.url === '/api/tickets/classify/');

describe('AI suggestion', () => {
  it('is requested once typing pauses for 1.5 s with at least 20 characters', async () => {
    const { calls } = mockFetch({
      'POST /api/tickets/classify/': () => jsonResponse(makeClassification()),
    });
    const { user, title, description, category, priority } = setup();

    await user.type(title, 'Login crash');
    await user.click(description);
    await user.paste(LONG_DESCRIPTION);
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(classifyCalls(calls)).toHaveLength(0);

    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(classifyCalls(calls)).toEqual([
      {
        url: '/api/tickets/classify/',
        method: 'POST',
        body: { title: 'Login crash', description: LONG_DESCRIPTION },
      },
    ]);

    expect(await screen.findByText('AI · 87%')).toBeInTheDocument();
    expect(screen.getByText('AI · 74%')).toBeInTheDocument();
    expect(category).toHaveValue('technical');
    expect(priority).toHaveValue('high');
    expect(category).toHaveAccessibleDescription(/AI-suggested category, 87% confidence/);
    expect(screen.getByRole('status', { name: 'AI suggestion' })).toHaveTextContent(
      /AI suggests Technical/,
    );
  });

  it('waits for blur when the description is short', async () => {
    const { calls } = mockFetch({
      'POST /api/tickets/classify/': () => jsonResponse(makeClassification({ needs_review: true })),
    });
    const { user, description } = setup();

    await user.type(description, 'Printer jam');
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(classifyCalls(calls)).toHaveLength(0);

    await user.tab();
    expect(classifyCalls(calls)).toHaveLength(1);
    expect(await screen.findByText(/AI isn’t sure about this one/)).toBeInTheDocument();
  });

  it('lists the signals it noticed and passes on a warning', async () => {
    mockFetch({
      'POST /api/tickets/classify/': () =>
        jsonResponse(
          makeClassification({
            signals: ['impact: everyone_affected', 'blocked: cannot work'],
            warning: 'the LLM did not answer; this is the local classifier’s suggestion',
          }),
        ),
    });
    const { user, description } = setup();
    await user.type(description, LONG_DESCRIPTION);
    await user.tab();

    const signals = await screen.findByRole('list', { name: 'Signals' });
    expect(within(signals).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'impact: everyone affected',
      'blocked: cannot work',
    ]);
    expect(screen.getByRole('status', { name: 'AI suggestion' })).toHaveTextContent(
      'The LLM did not answer; this is the local classifier’s suggestion',
    );
  });

  it('shows no signal list when there are none', async () => {
    mockFetch({
      'POST /api/tickets/classify/': () => jsonResponse(makeClassification({ signals: [] })),
    });
    const { user, description } = setup();
    await user.type(description, LONG_DESCRIPTION);
    await user.tab();
    await screen.findByText('AI · 87%');
    expect(screen.queryByRole('list', { name: 'Signals' })).not.toBeInTheDocument();
  });

  it('goes when the description is cleared, keeping the labels the user picked', async () => {
    let answerSecond = () => {};
    const { calls } = mockFetch({
      'POST /api/tickets/classify/': () =>
        classifyCalls(calls).length === 1
          ? jsonResponse(makeClassification())
          : new Promise<Response>((resolve) => {
              answerSecond = () =>
                resolve(jsonResponse(makeClassification({ suggested_category: 'billing' })));
            }),
    });
    const { user, description, category, priority } = setup();
    await user.type(description, LONG_DESCRIPTION);
    await user.tab();
    await screen.findByText('AI · 87%');
    await user.selectOptions(priority, 'low');

    await user.clear(description);
    expect(screen.queryByText(/AI · /)).not.toBeInTheDocument();
    expect(category).toHaveValue('');
    expect(category).not.toHaveAccessibleDescription(/AI-suggested/);
    expect(priority).toHaveValue('low');
    expect(screen.queryByText(/It updates when you pause/)).not.toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'AI suggestion' })).toHaveTextContent(
      'Describe the problem and the AI will suggest a category and priority.',
    );

    // A new text: the cleared suggestion doesn't come back while the new one is worked out.
    await user.type(description, 'Please refund my duplicate payment from May.');
    await act(() => vi.advanceTimersByTimeAsync(1500));
    expect(classifyCalls(calls)).toHaveLength(2);
    expect(screen.getByText(/Reading your description/)).toBeInTheDocument();
    expect(category).toHaveValue('');
    answerSecond();
    expect(await screen.findByText('AI · 87%')).toBeInTheDocument();
    expect(category).toHaveValue('billing');
  });

  it('loses its mark on a field the user overrides, and the override is submitted', async () => {
    const { calls } = mockFetch({
      'POST /api/tickets/classify/': () => jsonResponse(makeClassification()),
      'POST /api/tickets/': () => jsonResponse(makeTicket({ id: 42, category: 'billing' }), 201),
    });
    const { user, title, description, category, priority, submit } = setup();

    await user.type(title, 'Charged twice');
    await user.type(description, LONG_DESCRIPTION);
    await user.tab();
    await screen.findByText('AI · 87%');

    await user.selectOptions(category, 'billing');
    expect(screen.queryByText('AI · 87%')).not.toBeInTheDocument();
    expect(category).not.toHaveAccessibleDescription(/AI-suggested/);
    expect(screen.getByText('AI · 74%')).toBeInTheDocument();
    expect(priority).toHaveValue('high');

    await user.click(submit);
    const created = calls.find((call) => call.url === '/api/tickets/');
    expect(created?.body).toEqual({
      title: 'Charged twice',
      description: LONG_DESCRIPTION,
      category: 'billing',
      priority: 'high',
      ai_category: 'technical',
      ai_priority: 'high',
      ai_confidence: 0.74,
      ai_category_confidence: 0.87,
      ai_priority_confidence: 0.74,
      ai_reasoning: 'Mentions an error after login.',
      ai_provider: 'local',
    });
  });

  it('comes back, with its mark, when the user picks "Let AI decide" after an override', async () => {
    const { calls } = mockFetch({
      'POST /api/tickets/classify/': () => jsonResponse(makeClassification()),
      'POST /api/tickets/': () => jsonResponse(makeTicket({ id: 42 }), 201),
    });
    const { user, title, description, category, submit } = setup();
    await user.type(title, 'Charged twice');
    await user.type(description, LONG_DESCRIPTION);
    await user.tab();
    await screen.findByText('AI · 87%');

    await user.selectOptions(category, 'billing');
    await user.selectOptions(category, 'Let AI decide');
    expect(category).toHaveValue('technical');
    expect(screen.getByText('AI · 87%')).toBeInTheDocument();

    await user.click(submit);
    const created = calls.find((call) => call.url === '/api/tickets/');
    expect(created?.body).toMatchObject({ category: 'technical', ai_category: 'technical' });
  });
});

describe('submitting', () => {
  it('does not wait for a suggestion that is still in flight', async () => {
    const { calls } = mockFetch({
      'POST /api/tickets/classify/': () => new Promise<Response>(() => {}),
      'POST /api/tickets/': () => jsonResponse(makeTicket({ id: 7, title: 'VPN down' }), 201),
    });
    const { user, title, description, submit } = setup();

    await user.type(title, 'VPN down');
    await user.type(description, 'Cannot connect to the VPN since this morning.');
    await user.tab();
    expect(await screen.findByText(/Reading your description/)).toBeInTheDocument();

    await user.click(submit);
    const created = calls.find((call) => call.url === '/api/tickets/');
    // No labels: nobody chose any and no suggestion arrived, so the server triages.
    expect(created?.body).toEqual({
      title: 'VPN down',
      description: 'Cannot connect to the VPN since this morning.',
    });

    expect(await screen.findByText('Ticket #7 created')).toBeInTheDocument();
    expect(screen.getByLabelText('Title')).toHaveValue('');
    expect(screen.getByLabelText('Description')).toHaveValue('');
  });

  it('leaves out a suggestion made for an earlier text, and the labels it filled in', async () => {
    const { calls } = mockFetch({
      'POST /api/tickets/classify/': () => jsonResponse(makeClassification()),
      'POST /api/tickets/': () => jsonResponse(makeTicket({ id: 9 }), 201),
    });
    const { user, title, description, priority, submit } = setup();

    await user.type(title, 'Login crash');
    await user.type(description, LONG_DESCRIPTION);
    await user.tab();
    await screen.findByText('AI · 87%');
    await user.selectOptions(priority, 'critical');
    await user.type(description, ' Now the whole site is down for everyone.');
    expect(screen.getByText(/Made for an earlier version of your text/)).toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'AI suggestion' })).not.toHaveTextContent(
      /earlier version/,
    );

    await user.click(submit);
    const created = calls.find((call) => call.url === '/api/tickets/');
    expect(created?.body).toEqual({
      title: 'Login crash',
      description: `${LONG_DESCRIPTION} Now the whole site is down for everyone.`,
      priority: 'critical',
    });
  });

  it('keeps what is typed while it submits: fields are read-only until the answer', async () => {
    let answer = () => {};
    const { calls } = mockFetch({
      'POST /api/tickets/classify/': () => new Promise<Response>(() => {}),
      'POST /api/tickets/': () =>
        new Promise<Response>((resolve) => {
          answer = () => resolve(jsonResponse(makeTicket({ id: 8, title: 'VPN down' }), 201));
        }),
    });
    const { user, title, description, category, submit } = setup();
    await user.type(title, 'VPN down');
    await user.type(description, 'Cannot connect.');

    await user.click(submit);
    expect(submit).toHaveTextContent('Submitting…');
    expect(title).toHaveAttribute('readonly');
    expect(description).toHaveAttribute('readonly');
    await user.type(title, ' again');
    await user.type(description, ' Still.');
    await user.selectOptions(category, 'billing');
    expect(title).toHaveValue('VPN down');
    expect(description).toHaveValue('Cannot connect.');
    expect(category).toHaveValue('');
    // Still focusable, and a second press sends nothing.
    expect(submit).toBeEnabled();
    await user.click(submit);
    expect(calls.filter((call) => call.url === '/api/tickets/')).toHaveLength(1);

    answer();
    expect(await screen.findByText('Ticket #8 created')).toBeInTheDocument();
    expect(screen.getByLabelText('Title')).not.toHaveAttribute('readonly');
  });

  it('shows problem+json field errors next to their fields', async () => {
    mockFetch({
      'POST /api/tickets/classify/': () => jsonResponse(makeClassification()),
      'POST /api/tickets/': () =>
        problemResponse(422, 'Validation failed', {
          errors: { title: ['must not be blank'], description: ['this field is required'] },
        }),
    });
    const { user, title, description, submit } = setup();

    await user.click(submit);

    expect(await screen.findByText('must not be blank')).toBeInTheDocument();
    expect(title).toHaveAttribute('aria-invalid', 'true');
    expect(title).toHaveAccessibleDescription(/must not be blank/);
    expect(description).toHaveAccessibleDescription(/this field is required/);
    expect(screen.getByRole('alert')).toHaveTextContent('Please correct the highlighted fields.');
    expect(title).toHaveFocus();

    await user.type(title, 'Fixed');
    expect(title).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByText('must not be blank')).not.toBeInTheDocument();
    expect(screen.getByText('this field is required')).toBeInTheDocument();
    await user.type(description, 'Now described');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('moves focus to the first field the server refused, in the form’s order', async () => {
    mockFetch({
      'POST /api/tickets/': () =>
        problemResponse(422, 'Validation failed', {
          errors: { priority: ['unknown value'], description: ['at least 10 characters'] },
        }),
    });
    const { user, title, description, submit } = setup();
    await user.type(title, 'Hello');
    await user.type(description, 'Short');

    await user.click(submit);
    expect(await screen.findByText('at least 10 characters')).toBeInTheDocument();
    expect(description).toHaveFocus();
  });

  it('shows errors that belong to no field as an alert', async () => {
    mockFetch({
      'POST /api/tickets/': () =>
        problemResponse(500, 'Internal server error', { detail: 'the error was logged' }),
    });
    const { user, title, description, submit } = setup();
    await user.type(title, 'Hello');
    await user.type(description, 'Short');
    await user.click(submit);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Internal server error')).toBeInTheDocument();
    expect(within(alert).getByText('the error was logged')).toBeInTheDocument();
  });
});

it('lets title and description run right to left when written so', () => {
  mockFetch({});
  const { title, description } = setup();
  expect(title).toHaveAttribute('dir', 'auto');
  expect(description).toHaveAttribute('dir', 'auto');
});

it('counts title characters against the 200 limit', async () => {
  mockFetch({});
  const { user, title } = setup();
  await user.type(title, 'Hello');
  expect(screen.getByText('5/200')).toBeInTheDocument();
});

it('counts description characters once they near the 20,000 limit', async () => {
  mockFetch({});
  const { user, description } = setup();
  await user.click(description);
  await user.paste('x'.repeat(18_000));
  expect(screen.queryByText(/\/20,000/)).not.toBeInTheDocument();

  await user.paste('y'.repeat(2_000));
  const counter = screen.getByText('20,000/20,000');
  expect(counter).toHaveClass('counter--full');
  expect(description).toHaveAccessibleDescription(/20,000\/20,000/);
  expect(description).not.toBeInvalid();
});

it('keeps a paste past the limit whole, says by how much to shorten it, and holds the submit', async () => {
  const { calls } = mockFetch({
    'POST /api/tickets/classify/': () => jsonResponse(makeClassification()),
    'POST /api/tickets/': () => jsonResponse(makeTicket({ id: 42 }), 201),
  });
  const { user, title, description, submit } = setup();
  await user.type(title, 'A long log');
  await user.click(description);
  await user.paste('x'.repeat(25_000));

  expect(description).toHaveValue('x'.repeat(25_000));
  expect(description).toBeInvalid();
  expect(description).toHaveAccessibleDescription(
    /25,000 \/ 20,000 characters – shorten by 5,000/,
  );
  expect(submit).toHaveAttribute('aria-disabled', 'true');
  await user.click(submit);
  expect(calls.filter((call) => call.url === '/api/tickets/')).toHaveLength(0);
  expect(description).toHaveFocus();
  // Nor is it sent for a suggestion the server would refuse ("AI suggestions are unavailable").
  await act(() => vi.advanceTimersByTimeAsync(3000));
  expect(classifyCalls(calls)).toHaveLength(0);
  expect(screen.queryByText(/unavailable/)).not.toBeInTheDocument();

  await user.clear(description);
  await user.paste('x'.repeat(20_000));
  expect(description).not.toBeInvalid();
  expect(submit).not.toHaveAttribute('aria-disabled');
});

it('says the same of a title past its limit', async () => {
  mockFetch({});
  const { user, title, submit } = setup();
  await user.click(title);
  await user.paste('t'.repeat(250));
  expect(title).toHaveValue('t'.repeat(250));
  expect(title).toHaveAccessibleDescription(/250 \/ 200 characters – shorten by 50/);
  expect(submit).toHaveAttribute('aria-disabled', 'true');
});
