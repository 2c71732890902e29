import { Badge } from '@/components/badge';
import { DueCountdown } from '@/components/due-countdown';
import { FactRow } from '@/components/fact-row';
import { Loading } from '@/components/loading';
import { formatExactTime } from '@/lib/relative-time';
import { useTicketSla, type SlaTarget } from '../api/ticket-sla';

const TARGET_LABELS: Record<SlaTarget['target'], string> = {
  first_response: 'First response',
  next_response: 'Next response',
  resolution: 'Resolution',
};

/** Each SLA target of the ticket: met, running (with its countdown), paused or breached. */
export function SlaPanel({ ticketId }: { ticketId: number }) {
  const sla = useTicketSla(ticketId);
  return (
    <section className="card panel" aria-labelledby={`sla-${ticketId}`}>
      <h2 id={`sla-${ticketId}`}>SLA</h2>
      {sla.isPending && <Loading label="Loading the SLA…" />}
      {sla.data && (
        <dl className="facts">
          {/* The latest of each kind: next responses repeat as the conversation goes on. */}
          {latestOfEach(sla.data.targets).map((target) => (
            <FactRow key={target.target} label={TARGET_LABELS[target.target]}>
              <TargetState target={target} />
            </FactRow>
          ))}
          <FactRow label="Hours">
            <span className="panel__muted">{sla.data.calendar}</span>
          </FactRow>
        </dl>
      )}
    </section>
  );
}

function latestOfEach(targets: SlaTarget[]): SlaTarget[] {
  const byKind = new Map(targets.map((target) => [target.target, target]));
  return [...byKind.values()];
}

function TargetState({ target }: { target: SlaTarget }) {
  if (target.met_at) {
    return target.breached ? (
      <Badge tone="breached">Met late</Badge>
    ) : (
      <span title={formatExactTime(new Date(target.met_at))}>Met in time</span>
    );
  }
  if (target.paused || !target.due_at) {
    return <span className="panel__muted">Paused: waiting on the customer</span>;
  }
  return <DueCountdown iso={target.due_at} breached={target.breached} />;
}
