import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { linkFromHash } from '../api/links';
import { WelcomeForm } from './welcome-form';

const SECRET = 'sdl_0123456789abcdefghijABCDEFGHIJ';

it('reads the link from the fragment and nothing else', () => {
  expect(linkFromHash(`#setup=${SECRET}`)).toEqual({ purpose: 'setup', secret: SECRET });
  expect(linkFromHash(`#invite=${SECRET}`)?.purpose).toBe('invite');
  expect(linkFromHash('#setup=short')).toBeNull();
  expect(linkFromHash(`#admin=${SECRET}`)).toBeNull();
});

it('sets the first admin’s email, name and password from the setup link', async () => {
  const { calls } = mockFetch({
    [`GET /api/auth/links/${SECRET}`]: () =>
      jsonResponse({ purpose: 'setup', email: 'admin@localhost', name: 'Admin' }),
    [`POST /api/auth/links/${SECRET}`]: () =>
      jsonResponse({ user: null, role: 'admin', open_access: false }),
  });
  const user = userEvent.setup();
  const onSignedIn = vi.fn();
  renderWithProviders(<WelcomeForm secret={SECRET} onSignedIn={onSignedIn} />);
  await user.type(await screen.findByLabelText('Your email'), 'boss@example.com');
  await user.type(screen.getByLabelText('Your name'), 'Boss');
  await user.type(screen.getByLabelText(/^Password/), 'correct horse battery');
  await user.type(screen.getByLabelText('The same password again'), 'correct horse batery');
  await user.click(screen.getByRole('button', { name: 'Save and sign in' }));
  expect(screen.getByText('The two passwords differ.')).toBeInTheDocument();
  expect(calls.filter((call) => call.method === 'POST')).toHaveLength(0);

  await user.clear(screen.getByLabelText('The same password again'));
  await user.type(screen.getByLabelText('The same password again'), 'correct horse battery');
  await user.click(screen.getByRole('button', { name: 'Save and sign in' }));
  await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalled());
  expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
    password: 'correct horse battery',
    email: 'boss@example.com',
    name: 'Boss',
  });
});

it('shows for whom an invitation is, and asks only a password', async () => {
  mockFetch({
    [`GET /api/auth/links/${SECRET}`]: () =>
      jsonResponse({ purpose: 'invite', email: 'kim@example.com', name: 'Kim' }),
  });
  renderWithProviders(<WelcomeForm secret={SECRET} onSignedIn={() => {}} />);
  expect(await screen.findByText('Kim')).toBeInTheDocument();
  expect(screen.queryByLabelText('Your email')).not.toBeInTheDocument();
});

it('says plainly when a link was used or expired', async () => {
  mockFetch({ [`GET /api/auth/links/${SECRET}`]: () => problemResponse(404, 'Not found') });
  renderWithProviders(<WelcomeForm secret={SECRET} onSignedIn={() => {}} />);
  expect(await screen.findByRole('alert')).toHaveTextContent('This link does not work any more');
});
