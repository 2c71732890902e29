import { useState, type FormEvent } from 'react';
import { ProblemError } from '@/lib/api-client';
import { useSignIn } from '../api/me';

type SignInFormProps = { onSignedIn: () => void };

export function SignInForm({ onSignedIn }: SignInFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useSignIn();

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: onSignedIn });
  }

  return (
    <form className="card form auth-form" onSubmit={submit} aria-label="Sign in">
      <div className="field">
        <label htmlFor="sign-in-email">Email</label>
        <input
          id="sign-in-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="sign-in-password">Password</label>
        <input
          id="sign-in-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </div>
      {signIn.isError && (
        <p role="alert" className="alert alert--error">
          {signInError(signIn.error)}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}

function signInError(error: unknown): string {
  if (error instanceof ProblemError && error.status === 429) {
    const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
    return `Too many tries. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  }
  if (error instanceof ProblemError && error.status === 401) {
    return 'The email or the password is wrong.';
  }
  return 'Could not sign in. Check your connection and try again.';
}
