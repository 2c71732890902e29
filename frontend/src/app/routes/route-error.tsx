import { useRouteError } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';

/** Catches render errors and failed page loads (e.g. a stale chunk after a deploy). */
export function RouteError() {
  const error = useRouteError();
  return (
    <>
      <div className="page-header">
        <h1>Something went wrong</h1>
      </div>
      <ErrorAlert error={error} onRetry={() => window.location.reload()} />
    </>
  );
}
