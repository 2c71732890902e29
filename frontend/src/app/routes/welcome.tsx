import { useLocation, useNavigate } from 'react-router';
import { linkFromHash } from '@/features/auth/api/links';
import { WelcomeForm } from '@/features/auth/components/welcome-form';
import { paths } from '@/config/paths';

export function Component() {
  const navigate = useNavigate();
  const link = linkFromHash(useLocation().hash);
  return (
    <>
      <title>Welcome · Supportdesk</title>
      <h1>Welcome</h1>
      {link ? (
        <WelcomeForm
          secret={link.secret}
          onSignedIn={() => void navigate(paths.tickets, { replace: true })}
        />
      ) : (
        <p role="alert" className="alert alert--error">
          This page needs the whole link you were given, including the part after “#”.
        </p>
      )}
    </>
  );
}
