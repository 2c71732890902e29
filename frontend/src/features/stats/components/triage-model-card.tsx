import { ErrorAlert } from '@/components/error-alert';
import { FactRow } from '@/components/fact-row';
import { Loading } from '@/components/loading';
import { formatPercent } from '@/lib/labels';
import { useTriageStatus, type TriageStatus } from '../api/get-triage-status';
import { describeProvider } from '../utils/triage-status';

const wholeNumber = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/** The classifier serving now: which one, how well it scored, and what it has yet to learn. */
export function TriageModelCard() {
  const status = useTriageStatus();
  return (
    <section className="card chart triage-card" aria-labelledby="triage-model-title">
      <h2 id="triage-model-title" className="chart__title">
        Triage model
      </h2>
      {status.isPending ? (
        <Loading label="Loading the triage status…" />
      ) : status.data ? (
        <TriageFacts status={status.data} />
      ) : (
        <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />
      )}
    </section>
  );
}

function TriageFacts({ status }: { status: TriageStatus }) {
  const metrics = status.model_metrics;
  const provider = status.provider ? describeProvider(status.provider) : null;
  return (
    <>
      {status.problem && <p className="panel__warning">{status.problem}</p>}
      <dl className="facts">
        <FactRow label="Classifier">
          <code className="code">{status.classifier}</code>
        </FactRow>
        <FactRow label="Model version">
          {status.model_version ? (
            <code className="code">{status.model_version}</code>
          ) : (
            <span className="panel__muted">None</span>
          )}
        </FactRow>
        {metrics && (
          <>
            <FactRow label="Category accuracy">{formatPercent(metrics.category_accuracy)}</FactRow>
            <FactRow label="Priority accuracy">{formatPercent(metrics.priority_accuracy)}</FactRow>
            <FactRow label="Priority within one level">
              {formatPercent(metrics.priority_within_one)}
            </FactRow>
            <FactRow label="Confidence calibration">
              off by {formatPercent(metrics.category_calibration_error)} (category),{' '}
              {formatPercent(metrics.priority_calibration_error)} (priority)
              <span className="panel__muted facts__note">
                average gap between the confidence shown and how often it is right
              </span>
            </FactRow>
          </>
        )}
        {status.corrections_pending !== undefined && (
          <FactRow label="Corrections pending">
            {wholeNumber.format(status.corrections_pending)}{' '}
            <span className="panel__muted">
              {status.corrections_pending === 1 ? 'override' : 'overrides'} not yet learned from
            </span>
          </FactRow>
        )}
        {provider && (
          <FactRow label="Provider">
            <code className="code">{provider.name}</code>{' '}
            <span className={`health health--${provider.tone}`}>{provider.summary}</span>
            {provider.latencyMs !== null && (
              <span className="panel__muted">
                {' '}
                · last call {wholeNumber.format(provider.latencyMs)} ms
              </span>
            )}
            {provider.lastError && <span className="facts__error">{provider.lastError}</span>}
            <span className="panel__muted facts__note">
              {provider.escalation.llmCalls} sent to the LLM,{' '}
              {provider.escalation.callsSaved} settled locally,{' '}
              {provider.escalation.fallbacks} fell back{' '}
              {provider.escalation.since
                ? `(all processes, since ${provider.escalation.since})`
                : '(this server process)'}
            </span>
          </FactRow>
        )}
      </dl>
      {metrics && (
        <p className="chart__summary">
          Accuracy measured on {wholeNumber.format(metrics.examples)} held-out examples the model
          was not trained on.
        </p>
      )}
    </>
  );
}
