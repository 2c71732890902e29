import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { MacroPicker } from './macro-picker';

function macro(id: number, name: string) {
  return {
    id,
    name,
    body: 'Hello {{ customer.first_name }}',
    team: null,
    category: null,
    actions: {},
    updated_at: '2026-12-04T10:00:00Z',
  };
}

function Composer() {
  const [text, setText] = useState('');
  return (
    <>
      <MacroPicker ticketId={7} onInsert={setText} />
      <textarea aria-label="Reply" value={text} readOnly />
    </>
  );
}

it('offers the suggested macros first and puts the applied one in the composer', async () => {
  const mock = mockFetch({
    'GET /api/macros': () => jsonResponse([macro(1, 'Password reset'), macro(2, 'Refund sent')]),
    'GET /api/tickets/7/macros/suggested': () =>
      jsonResponse([{ macro: macro(2, 'Refund sent'), score: 0.9, why: 'made for billing tickets' }]),
    'POST /api/tickets/7/macros/2': () =>
      jsonResponse({ body: 'Hello Ann, the refund is on its way.', done: ['status set to resolved'] }),
  });
  renderWithProviders(<Composer />);
  const picker = await screen.findByLabelText('Macro');
  const groups = picker.querySelectorAll('optgroup');
  expect([...groups].map((group) => group.label)).toEqual(['Suggested for this ticket', 'All macros']);
  expect(groups[0]).toHaveTextContent('Refund sent');
  expect(groups[1]).toHaveTextContent('Password reset');
  expect(groups[1]).not.toHaveTextContent('Refund sent');

  await userEvent.selectOptions(picker, '2');
  await userEvent.click(screen.getByRole('button', { name: 'Apply macro' }));
  expect(await screen.findByText(/Macro applied/)).toHaveTextContent(
    'Macro applied: status set to resolved.',
  );
  expect(screen.getByLabelText('Reply')).toHaveValue('Hello Ann, the refund is on its way.');
  expect(mock.calls.filter((call) => call.method === 'POST')).toEqual([
    { url: '/api/tickets/7/macros/2', method: 'POST', body: undefined },
  ]);
});

it('shows nothing while there are no macros', async () => {
  mockFetch({
    'GET /api/macros': () => jsonResponse([]),
    'GET /api/tickets/7/macros/suggested': () => jsonResponse([]),
  });
  const { container } = renderWithProviders(<Composer />);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(container.querySelector('select')).toBeNull();
});
