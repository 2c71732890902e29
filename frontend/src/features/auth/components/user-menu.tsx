import { useNavigate } from 'react-router';
import { paths } from '@/config/paths';
import { useMe } from '@/lib/current-user';
import { useSignOut, useUpdateMe } from '../api/me';

const ROLE_NAMES = { admin: 'Admin', agent: 'Agent', viewer: 'Viewer' } as const;

/** Who is signed in, their availability, and the way out. */
export function UserMenu() {
  const me = useMe();
  const signOut = useSignOut();
  const updateMe = useUpdateMe();
  const navigate = useNavigate();
  if (!me.data) return null;
  const { user, role, open_access: openAccess } = me.data;
  if (openAccess || !user) {
    return <p className="user-menu user-menu--open">Open access (no sign-in)</p>;
  }
  const away = user.status === 'away';
  return (
    <div className="user-menu" aria-label="Signed in">
      <span className="user-menu__who">
        <span dir="auto" className="user-menu__name">
          {user.name}
        </span>
        <span className="user-menu__role">
          {ROLE_NAMES[role]}
          {away ? ' · away' : ''}
        </span>
      </span>
      <button
        type="button"
        className="button button--link"
        disabled={updateMe.isPending}
        onClick={() => updateMe.mutate({ status: away ? 'active' : 'away' })}
      >
        {away ? 'Set available' : 'Set away'}
      </button>
      <details className="user-menu__notifications">
        <summary>Email me</summary>
        <label>
          <input
            type="checkbox"
            checked={user.notify_assigned}
            disabled={updateMe.isPending}
            onChange={(event) => updateMe.mutate({ notify_assigned: event.target.checked })}
          />{' '}
          when someone gives me a ticket
        </label>
        <label>
          <input
            type="checkbox"
            checked={user.notify_customer_replied}
            disabled={updateMe.isPending}
            onChange={(event) =>
              updateMe.mutate({ notify_customer_replied: event.target.checked })
            }
          />{' '}
          when a customer answers on my ticket
        </label>
      </details>
      <button
        type="button"
        className="button button--link"
        disabled={signOut.isPending}
        onClick={() =>
          signOut.mutate(undefined, {
            onSettled: () => void navigate(paths.signIn, { replace: true }),
          })
        }
      >
        Sign out
      </button>
    </div>
  );
}
