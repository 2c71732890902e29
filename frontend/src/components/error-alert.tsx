import { ProblemError } from '@/lib/api-client';

type ErrorAlertProps = {
  error: unknown;
  onRetry?: () => void;
};

export function ErrorAlert({ error, onRetry }: ErrorAlertProps) {
  const { title, detail } = describeError(error);
  return (
    <div role="alert" className="alert alert--error">
      <p className="alert__title">{title}</p>
      {detail && <p>{detail}</p>}
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

function describeError(error: unknown): { title: string; detail?: string } {
  if (error instanceof ProblemError) {
    return { title: error.title, detail: error.detail ?? fieldSummary(error) };
  }
  if (error instanceof TypeError) {
    return { title: 'Could not reach the server', detail: 'Check your connection and try again.' };
  }
  return {
    title: 'Something went wrong',
    detail: error instanceof Error ? error.message : undefined,
  };
}

function fieldSummary(error: ProblemError): string | undefined {
  const messages = Object.entries(error.fieldErrors).map(
    ([field, list]) => `${field}: ${list.join(', ')}`,
  );
  return messages.length ? messages.join('; ') : undefined;
}
