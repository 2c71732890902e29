import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import { FieldError } from '@/components/field-error';
import { Loading } from '@/components/loading';
import { ProblemError } from '@/lib/api-client';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/types/api-limits';
import { useLinkInfo, useUseLink, type LinkUse } from '../api/links';

type WelcomeFormProps = { secret: string; onSignedIn: () => void };

const HEADINGS = {
  setup: 'Become the admin',
  invite: 'Join the team',
  reset: 'Choose a new password',
} as const;

/** Where a setup, invitation or reset link leads: choose a password, then signed in. */
export function WelcomeForm({ secret, onSignedIn }: WelcomeFormProps) {
  const link = useLinkInfo(secret);
  const useLink = useUseLink(secret);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [mismatch, setMismatch] = useState(false);

  if (link.isPending) return <Loading label="Checking the link…" />;
  if (link.isError) {
    const gone = link.error instanceof ProblemError && link.error.status === 404;
    return gone ? (
      <div role="alert" className="alert alert--error">
        <p className="alert__title">This link does not work any more</p>
        <p>
          It was used already, it expired, or a newer one replaced it. Ask an admin for a new
          link.
        </p>
      </div>
    ) : (
      <ErrorAlert error={link.error} onRetry={() => void link.refetch()} />
    );
  }
  const { purpose } = link.data;
  const setup = purpose === 'setup';
  const fieldErrors = useLink.error instanceof ProblemError ? useLink.error.fieldErrors : {};

  function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== repeated) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const body: LinkUse = { password };
    if (setup) {
      body.email = email || null;
      body.name = name || null;
    }
    useLink.mutate(body, { onSuccess: onSignedIn });
  }

  return (
    <form className="card form auth-form" onSubmit={submit} aria-label={HEADINGS[purpose]}>
      <h2>{HEADINGS[purpose]}</h2>
      {!setup && (
        <p>
          For <strong dir="auto">{link.data.name}</strong> ({link.data.email})
        </p>
      )}
      {setup && (
        <>
          <div className="field">
            <label htmlFor="welcome-email">Your email</label>
            <input
              id="welcome-email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
            <FieldError id="welcome-email-error" messages={fieldErrors.email} />
          </div>
          <div className="field">
            <label htmlFor="welcome-name">Your name</label>
            <input
              id="welcome-name"
              dir="auto"
              autoComplete="name"
              required
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
            <FieldError id="welcome-name-error" messages={fieldErrors.name} />
          </div>
        </>
      )}
      <div className="field">
        <label htmlFor="welcome-password">
          Password (at least {PASSWORD_MIN_LENGTH} characters)
        </label>
        <input
          id="welcome-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          maxLength={PASSWORD_MAX_LENGTH}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <FieldError id="welcome-password-error" messages={fieldErrors.password} />
      </div>
      <div className="field">
        <label htmlFor="welcome-repeat">The same password again</label>
        <input
          id="welcome-repeat"
          type="password"
          autoComplete="new-password"
          required
          value={repeated}
          onChange={(event) => setRepeated(event.target.value)}
        />
        <FieldError
          id="welcome-repeat-error"
          messages={mismatch ? ['The two passwords differ.'] : undefined}
        />
      </div>
      {useLink.isError && Object.keys(fieldErrors).length === 0 && (
        <ErrorAlert error={useLink.error} />
      )}
      <div className="form__actions">
        <button type="submit" className="button" disabled={useLink.isPending}>
          {useLink.isPending ? 'Saving…' : 'Save and sign in'}
        </button>
      </div>
    </form>
  );
}
