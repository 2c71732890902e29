import { NavLink, Outlet, useNavigation } from 'react-router';
import { paths } from '@/config/paths';
import { useMe } from '@/lib/current-user';
import { UserMenu } from '@/features/auth/components/user-menu';
import { useLiveUpdates } from '@/lib/live-updates';

const SECTIONS = [
  { to: paths.newTicket, label: 'New ticket', adminOnly: false },
  { to: paths.tickets, label: 'Tickets', adminOnly: false },
  // Batch analysis reads every team's tickets: the API serves it to admins only.
  { to: paths.analysis, label: 'Analysis', adminOnly: true },
  { to: paths.dashboard, label: 'Dashboard', adminOnly: false },
  { to: paths.team, label: 'Team', adminOnly: true },
];

export function Layout() {
  const navigation = useNavigation();
  // Asked first: without a session the API answers 401 and the app goes to sign in.
  const me = useMe();
  useLiveUpdates();
  const admin = me.data?.role === 'admin';
  const sections = SECTIONS.filter((section) => admin || !section.adminOnly);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <div className="header__inner">
          <NavLink to={paths.newTicket} className="brand">
            <span className="brand__logo" aria-hidden="true">
              ◆
            </span>
            Supportdesk
          </NavLink>
          <nav aria-label="Sections">
            <ul className="nav">
              {sections.map((section) => (
                <li key={section.to}>
                  {/* "Tickets" stays current on a ticket's page; "/" must match exactly. */}
                  <NavLink
                    to={section.to}
                    end={section.to === paths.newTicket}
                    className="nav__link"
                  >
                    {section.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <UserMenu />
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1} aria-busy={navigation.state === 'loading'}>
        <Outlet />
      </main>
    </>
  );
}
