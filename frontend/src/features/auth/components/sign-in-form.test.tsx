import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { safeNext } from '@/app/routes/sign-in';
import { SignInForm } from './sign-in-form';

const ME = {
  user: {
    id: 1,
    email: 'kim@example.com',
    name: 'Kim',
    role: 'agent',
    status: 'active',
    teams: [],
    created_at: '2026-12-04T10:00:00Z',
  },
  role: 'agent',
  open_access: false,
  csrf_token: 'csrf_x',
};

async function signIn(password = 'a long enough password') {
  const user = userEvent.setup();
  const onSignedIn = vi.fn();
  renderWithProviders(<SignInForm onSignedIn={onSignedIn} />);
  await user.type(screen.getByLabelText('Email'), 'kim@example.com');
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  return onSignedIn;
}

it('signs in with email and password', async () => {
  const { calls } = mockFetch({ 'POST /api/auth/sign-in': () => jsonResponse(ME) });
  const onSignedIn = await signIn();
  await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalled());
  expect(calls[0]?.body).toEqual({ email: 'kim@example.com', password: 'a long enough password' });
});

it('says the email or the password is wrong, without saying which', async () => {
  mockFetch({ 'POST /api/auth/sign-in': () => problemResponse(401, 'Sign-in required') });
  const onSignedIn = await signIn('wrong password');
  expect(await screen.findByRole('alert')).toHaveTextContent('The email or the password is wrong.');
  expect(onSignedIn).not.toHaveBeenCalled();
});

it('says when to try again after too many tries', async () => {
  mockFetch({
    'POST /api/auth/sign-in': () =>
      new Response(JSON.stringify({ title: 'Too many requests', status: 429 }), {
        status: 429,
        headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '540' },
      }),
  });
  await signIn();
  expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 9 minutes.');
});

it('returns only to a page of this app after signing in', () => {
  expect(safeNext('/tickets?status=open')).toBe('/tickets?status=open');
  expect(safeNext('//evil.example/x')).toBe('/tickets');
  expect(safeNext('https://evil.example')).toBe('/tickets');
  expect(safeNext(null)).toBe('/tickets');
});
