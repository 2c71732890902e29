import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import {
  getTicketWorkflowQueryKey,
  PROCESSING_POLL_LIMIT,
  useTicketWorkflow,
  type TicketWorkflow,
} from '../api/get-ticket-workflow';

type Part = 'facts' | 'routing' | 'draft';

type WorkflowPanelProps<P extends Part> = WorkflowPartProps<P> & {
  /** The panel's heading, e.g. "Routing"; it also names the panel's region. */
  title: string;
};

/** A card with one part of the ticket's workflow. */
export function WorkflowPanel<P extends Part>({ title, ...part }: WorkflowPanelProps<P>) {
  const titleId = `${part.part}-title`;
  return (
    <section className="card panel" aria-labelledby={titleId}>
      <h2 id={titleId} className="panel__title">
        {title}
      </h2>
      <WorkflowPart {...part} />
    </section>
  );
}

type WorkflowPartProps<P extends Part> = {
  ticketId: number;
  part: P;
  /** Said while the background workflow has not produced this part yet, e.g. "Routing…". */
  processing: string;
  children: (part: NonNullable<TicketWorkflow[P]>) => ReactNode;
};

/**
 * One part of a ticket's workflow, or why it isn't there: loading, failed, or still being
 * worked out in the background (the query looks again until it is).
 */
export function WorkflowPart<P extends Part>({
  ticketId,
  part,
  processing,
  children,
}: WorkflowPartProps<P>) {
  const workflow = useTicketWorkflow(ticketId);
  const queryClient = useQueryClient();
  if (workflow.isPending) return <Loading label="Loading…" />;
  if (!workflow.data) {
    return <ErrorAlert error={workflow.error} onRetry={() => void workflow.refetch()} />;
  }
  const value = workflow.data[part];
  if (value) return <>{children(value as NonNullable<TicketWorkflow[P]>)}</>;

  const answers = queryClient.getQueryState(getTicketWorkflowQueryKey(ticketId))?.dataUpdateCount;
  const gaveUp = !workflow.isFetching && (answers ?? 0) >= PROCESSING_POLL_LIMIT;
  if (!gaveUp) return <Loading label={processing} />;
  return (
    <div className="panel__muted">
      <p>Not worked out yet. The workflow runs when a ticket is filed or changed.</p>
      <button type="button" className="button button--link" onClick={() => void workflow.refetch()}>
        Check again
      </button>
    </div>
  );
}
