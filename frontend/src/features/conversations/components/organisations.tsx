import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '@/components/error-alert';
import { apiFetch } from '@/lib/api-client';
import type { components } from '@/types/openapi';

type Organisation = components['schemas']['OrganisationOut'];
const ORGANISATIONS_KEY = ['organisations'] as const;

/**
 * Admins: the customers' organisations, and whether an organisation's signed-in customers
 * see each other's tickets.
 */
export function Organisations() {
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ORGANISATIONS_KEY,
    queryFn: ({ signal }) => apiFetch<Organisation[]>('/api/organisations', { signal }),
  });
  const share = useMutation({
    mutationFn: ({ name, on }: { name: string; on: boolean }) =>
      apiFetch<Organisation>(`/api/organisations/${encodeURIComponent(name)}`, {
        method: 'PUT',
        body: { share_tickets: on },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ORGANISATIONS_KEY }),
  });
  return (
    <section className="card panel" aria-labelledby="organisations">
      <h2 id="organisations" className="panel__title">
        Customers’ organisations
      </h2>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.data?.length === 0 && (
        <p className="panel__muted">
          No customer belongs to an organisation yet: set one on a ticket’s Customer panel.
        </p>
      )}
      <ul className="organisations">
        {list.data?.map((organisation) => (
          <li key={organisation.name}>
            <label>
              <input
                type="checkbox"
                checked={organisation.share_tickets}
                disabled={share.isPending}
                onChange={(event) =>
                  share.mutate({ name: organisation.name, on: event.target.checked })
                }
              />{' '}
              <span dir="auto">{organisation.name}</span> ({organisation.contacts}{' '}
              {organisation.contacts === 1 ? 'customer' : 'customers'}): signed-in customers see
              each other’s tickets
            </label>
          </li>
        ))}
      </ul>
      {share.isError && <ErrorAlert error={share.error} />}
    </section>
  );
}
