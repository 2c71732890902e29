import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { customerSession, signInSecretFromHash } from '../api/customer';
import { CustomerPortal } from './customer-portal';

const SIGN_IN = 'sds_0123456789abcdefghijABCDEFGHIJ';
const TOKEN = 'sdp_session0123456789abcdefghij';
const AT = '2026-12-04T10:00:00Z';
const LIST = {
  name: 'Ann Lee',
  organisation: 'Acme <b>Ltd</b>',
  shared: true,
  tickets: [
    { id: 5, title: 'Charged twice', status: 'open', updated_at: AT, filed_by: 'Ann Lee', waiting_on_you: true },
    { id: 6, title: 'Printer', status: 'resolved', updated_at: AT, filed_by: 'Cy', waiting_on_you: false },
  ],
};

afterEach(() => customerSession.clear());

it('reads a sign-in link’s secret from the fragment only', () => {
  expect(signInSecretFromHash(`#signin=${SIGN_IN}`)).toBe(SIGN_IN);
  expect(signInSecretFromHash(`#${SIGN_IN}`)).toBeNull();
});

it('signs in once, lists the organisation’s tickets and opens one with the session', async () => {
  const { calls } = mockFetch({
    'POST /api/customer/sessions': () =>
      jsonResponse({ token: TOKEN, name: 'Ann Lee', organisation: 'Acme' }, 201),
    'GET /api/customer/tickets/6': () =>
      jsonResponse({ id: 6, title: 'Printer', status: 'resolved', created_at: AT, messages: [] }),
    'GET /api/customer/tickets': () => jsonResponse(LIST),
  });
  const user = userEvent.setup();
  renderWithProviders(<CustomerPortal signInSecret={SIGN_IN} />, { url: `/c#signin=${SIGN_IN}` });

  const list = await screen.findByRole('region', { name: 'Your organisation’s tickets' });
  expect(within(list).getByText(/waiting for your answer/)).toBeInTheDocument();
  expect(within(list).getByText('Cy')).toBeInTheDocument();
  expect(screen.getByText('Acme <b>Ltd</b>')).toBeInTheDocument(); // text, never markup
  expect(customerSession.get()).toBe(TOKEN);
  expect(calls.filter((call) => call.url === '/api/customer/sessions')).toHaveLength(1);

  await user.click(within(list).getByRole('button', { name: '#6 Printer' }));
  expect(await screen.findByRole('heading', { name: 'Printer' })).toBeInTheDocument();
  const opened = calls.find((call) => call.url === '/api/customer/tickets/6');
  expect(opened?.headers['X-Customer-Token']).toBe(TOKEN);

  await user.click(screen.getByRole('button', { name: '← All your tickets' }));
  await user.click(screen.getByRole('button', { name: 'Sign out' }));
  expect(customerSession.get()).toBeNull();
  expect(calls.some((call) => call.method === 'DELETE')).toBe(true);
});

it('says a used or expired sign-in link no longer works', async () => {
  mockFetch({
    'POST /api/customer/sessions': () =>
      problemResponse(401, 'Sign-in required', { detail: 'this sign-in link is not valid' }),
  });
  renderWithProviders(<CustomerPortal signInSecret={SIGN_IN} />);
  expect(await screen.findByRole('alert')).toHaveTextContent(
    'This sign-in link does not work any more',
  );
  expect(customerSession.get()).toBeNull();
});
