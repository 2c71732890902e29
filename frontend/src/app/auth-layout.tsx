import { Outlet } from 'react-router';

/** Sign-in and link pages: no navigation, nothing that needs a session. */
export function AuthLayout() {
  return (
    <main id="main" className="main auth-layout">
      <p className="brand">
        <span className="brand__logo" aria-hidden="true">
          ◆
        </span>
        Supportdesk
      </p>
      <Outlet />
    </main>
  );
}
