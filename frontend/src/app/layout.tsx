import { NavLink, Outlet, useNavigation } from 'react-router';
import { paths } from '@/config/paths';
import { useLiveUpdates } from '@/lib/live-updates';

const SECTIONS = [
  { to: paths.newTicket, label: 'New ticket' },
  { to: paths.tickets, label: 'Tickets' },
  { to: paths.analysis, label: 'Analysis' },
  { to: paths.dashboard, label: 'Dashboard' },
];

export function Layout() {
  const navigation = useNavigation();
  useLiveUpdates();
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
              {SECTIONS.map((section) => (
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
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1} aria-busy={navigation.state === 'loading'}>
        <Outlet />
      </main>
    </>
  );
}
