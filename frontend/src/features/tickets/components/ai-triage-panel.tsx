import { Badge } from '@/components/badge';
import { CATEGORY_LABELS, formatPercent, PRIORITY_LABELS } from '@/lib/labels';
import type { Ticket } from '@/types/api';
import {
  currentLabel,
  describeOutcome,
  labelOutcome,
  splitProvider,
  type LabelOutcome,
} from '../utils/ai-triage';

/** What the AI suggested for a ticket, how sure and why, and what the agents made of it. */
export function AiTriagePanel({ ticket }: { ticket: Ticket }) {
  const category = labelOutcome(ticket.category, ticket.category_source, ticket.ai_category);
  const priority = labelOutcome(ticket.priority, ticket.priority_source, ticket.ai_priority);
  const hasSuggestion = category.kind !== 'none' || priority.kind !== 'none';

  return (
    <section className="card panel ai-panel" aria-labelledby="ai-triage-title">
      <div className="panel__header">
        <h2 id="ai-triage-title" className="panel__title">
          AI triage
        </h2>
        {ticket.needs_review && <Badge tone="review">Needs review</Badge>}
      </div>
      {!hasSuggestion ? (
        <p className="panel__muted">
          The AI made no suggestion for this ticket; its labels were set by hand.
        </p>
      ) : (
        <dl className="facts">
          <div className="facts__row">
            <dt>Category</dt>
            <dd>
              <Suggested outcome={category} labels={CATEGORY_LABELS} />
            </dd>
          </div>
          <div className="facts__row">
            <dt>Priority</dt>
            <dd>
              <Suggested outcome={priority} labels={PRIORITY_LABELS} />
            </dd>
          </div>
          <div className="facts__row">
            <dt>Confidence</dt>
            <dd>
              <ConfidenceFigures ticket={ticket} />
            </dd>
          </div>
          <div className="facts__row">
            <dt>Why</dt>
            <dd className={ticket.ai_reasoning ? 'facts__reasoning' : 'panel__muted'}>
              {ticket.ai_reasoning || 'No reasoning recorded'}
            </dd>
          </div>
          <div className="facts__row">
            <dt>Model</dt>
            <dd>
              <Provider provider={ticket.ai_provider} />
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}

function Suggested<T extends string>({
  outcome,
  labels,
}: {
  outcome: LabelOutcome<T>;
  labels: Record<T, string>;
}) {
  const label = currentLabel(outcome);
  if (label === null) return <span className="panel__muted">No suggestion</span>;
  // The label that stands leads: after an override the AI's suggestion is only the note.
  return (
    <span className="outcome">
      <strong>{labels[label]}</strong>
      <span className={`outcome__verdict outcome__verdict--${outcome.kind}`}>
        {describeOutcome(outcome, labels)}
      </span>
    </span>
  );
}

function Provider({ provider }: { provider: string | null }) {
  if (!provider) return <span className="panel__muted">Not recorded</span>;
  const { name, model } = splitProvider(provider);
  return (
    <>
      <code className="code">{name}</code>
      {model && (
        <>
          {' '}
          <span className="panel__muted">model</span> <code className="code">{model}</code>
        </>
      )}
    </>
  );
}

/** "Category 100% · Priority 48%"; tickets filed before those were kept show the lower one. */
function ConfidenceFigures({ ticket }: { ticket: Ticket }) {
  const { ai_category_confidence: category, ai_priority_confidence: priority } = ticket;
  if (category !== null && priority !== null) {
    return (
      <>
        Category {formatPercent(category)} · Priority {formatPercent(priority)}
      </>
    );
  }
  if (ticket.ai_confidence === null) return <span className="panel__muted">Not recorded</span>;
  return (
    <>
      {formatPercent(ticket.ai_confidence)}{' '}
      <span className="panel__muted">(the lower of category and priority)</span>
    </>
  );
}
