import { CATEGORY_LABELS, PRIORITY_LABELS } from '@/lib/labels';
import type { Classification } from '../api/classify-ticket';

type SuggestionStatusProps = {
  suggestion: Classification | undefined;
  /** The suggestion was made for the text as it is now. */
  isCurrent: boolean;
  isSuggesting: boolean;
  failed: boolean;
};

/**
 * A polite live region, so screen-reader users hear when labels get pre-filled. The note
 * that the text has changed since stays outside it: it would be read out at every keystroke.
 */
export function SuggestionStatus(props: SuggestionStatusProps) {
  const { suggestion, isCurrent, isSuggesting } = props;
  return (
    <div className="suggestion">
      <div role="status" aria-label="AI suggestion" className="suggestion__live">
        <SuggestionMessage {...props} />
      </div>
      {suggestion && !isCurrent && !isSuggesting && (
        <p className="suggestion__stale">
          Made for an earlier version of your text. It updates when you pause; if you submit
          first, labels you did not pick yourself are set from the text you send.
        </p>
      )}
    </div>
  );
}

function SuggestionMessage({ suggestion, isSuggesting, failed }: SuggestionStatusProps) {
  if (isSuggesting && !suggestion) {
    return (
      <p className="suggestion__line">
        <span className="spinner" aria-hidden="true" />
        Reading your description…
      </p>
    );
  }
  if (failed && !suggestion) {
    return (
      <p className="suggestion__line suggestion__line--muted">
        AI suggestions are unavailable right now. Pick the labels yourself, or leave them for
        automatic triage.
      </p>
    );
  }
  if (!suggestion) {
    return (
      <p className="suggestion__line suggestion__line--muted">
        Describe the problem and the AI will suggest a category and priority.
      </p>
    );
  }
  return (
    <>
      <p className="suggestion__line">
        AI suggests <strong>{CATEGORY_LABELS[suggestion.suggested_category]}</strong> ·{' '}
        <strong>{PRIORITY_LABELS[suggestion.suggested_priority]}</strong> priority
        {isSuggesting && <span className="suggestion__updating"> (updating…)</span>}
      </p>

      {suggestion.reasoning && <p className="suggestion__reasoning">{suggestion.reasoning}</p>}
      {suggestion.signals.length > 0 && (
        <div className="suggestion__signals">
          <span id="suggestion-signals-label" className="suggestion__signals-label">
            Signals
          </span>
          <ul className="signal-list" aria-labelledby="suggestion-signals-label">
            {suggestion.signals.map((signal, index) => (
              <li key={`${index}-${signal}`} className="signal">
                {formatSignal(signal)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {suggestion.needs_review && (
        <p className="suggestion__review">
          The AI isn’t sure about this one — please check the category and priority.
        </p>
      )}
      {suggestion.warning && (
        <p className="suggestion__review">{capitalize(suggestion.warning)}</p>
      )}
    </>
  );
}

/** "impact: everyone_affected" → "impact: everyone affected". */
function formatSignal(signal: string): string {
  return signal.replaceAll('_', ' ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
