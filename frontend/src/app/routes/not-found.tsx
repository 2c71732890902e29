import { Link } from 'react-router';
import { EmptyState } from '@/components/empty-state';
import { paths } from '@/config/paths';

export function Component() {
  return (
    <>
      <title>Not found · Supportdesk</title>
      <div className="page-header">
        <h1>Page not found</h1>
      </div>
      <EmptyState title="There’s nothing at this address.">
        <Link to={paths.tickets}>Go to the tickets</Link>
      </EmptyState>
    </>
  );
}
