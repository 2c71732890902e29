import { useNavigate, useSearchParams } from 'react-router';
import { SignInForm } from '@/features/auth/components/sign-in-form';
import { paths } from '@/config/paths';

/** Only a path of this app: `next` must not send anyone to another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : paths.tickets;
}

export function Component() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (
    <>
      <title>Sign in · Supportdesk</title>
      <h1>Sign in</h1>
      <SignInForm
        onSignedIn={() => void navigate(safeNext(params.get('next')), { replace: true })}
      />
      <p className="auth-layout__note">
        No account yet? An admin invites you with a one-time link. Forgot your password? An
        admin can send you a reset link.
      </p>
    </>
  );
}
