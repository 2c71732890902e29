import { createBrowserRouter } from 'react-router';
import { Loading } from '@/components/loading';
import { paths } from '@/config/paths';
import { AuthLayout } from './auth-layout';
import { Layout } from './layout';
import { RouteError } from './routes/route-error';

export function createAppRouter() {
  return createBrowserRouter([
    {
      element: <AuthLayout />,
      HydrateFallback: PageLoading,
      errorElement: <RouteError />,
      children: [
        { path: paths.signIn, lazy: () => import('./routes/sign-in') },
        { path: paths.welcome, lazy: () => import('./routes/welcome') },
        // Customers': no agent navigation, no session.
        { path: paths.support, lazy: () => import('./routes/support') },
        { path: paths.customer, lazy: () => import('./routes/customer') },
      ],
    },
    {
      element: <Layout />,
      // Shown while the first page's lazily loaded code arrives.
      HydrateFallback: PageLoading,
      children: [
        {
          // Pathless so a failing page keeps the header and navigation around its error.
          errorElement: <RouteError />,
          children: [
            { path: paths.newTicket, lazy: () => import('./routes/new-ticket') },
            { path: paths.tickets, lazy: () => import('./routes/tickets') },
            { path: paths.ticket, lazy: () => import('./routes/ticket') },
            // Split out so the charting library only loads for the dashboard.
            { path: paths.dashboard, lazy: () => import('./routes/dashboard') },
            { path: paths.analysis, lazy: () => import('./routes/analysis') },
            { path: paths.analysisRun, lazy: () => import('./routes/analysis-run') },
            { path: paths.team, lazy: () => import('./routes/team') },
            { path: '*', lazy: () => import('./routes/not-found') },
          ],
        },
      ],
    },
  ]);
}

function PageLoading() {
  return <Loading label="Loading…" />;
}
