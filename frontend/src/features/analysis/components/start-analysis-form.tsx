import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { analysisRunPath, paths } from '@/config/paths';
import { ProblemError } from '@/lib/api-client';
import { useTeamLabel } from '@/lib/teams';
import { useStartAnalysis } from '../api/start-analysis';
import type { RunDetail, RunFilter } from '../api/types';
import { describeRunFilter } from '../utils/run-filter';

type Scope = 'pending' | 'filter';

/** The user's pick, and the filter it was made under. */
type ScopeChoice = { scope: Scope; filterKey: string };

type StartAnalysisFormProps = {
  /** The tickets list's filters, when the list sent the user here. */
  filter: RunFilter | null;
  onStarted: (run: RunDetail) => void;
};

export function StartAnalysisForm({ filter, onStarted }: StartAnalysisFormProps) {
  // A pick holds only under the filter it was made for: "filter" means every ticket once the
  // URL drops the filter, so a new (or no) filter brings back the default for it.
  const filterKey = JSON.stringify(filter);
  const [choice, setChoice] = useState<ScopeChoice | null>(null);
  const defaultScope: Scope = filter ? 'filter' : 'pending';
  const scope = choice?.filterKey === filterKey ? choice.scope : defaultScope;
  const setScope = (picked: Scope) => setChoice({ scope: picked, filterKey });
  const start = useStartAnalysis();
  const teamName = useTeamLabel();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (start.isPending) return; // one run per press
    start.mutate(scope === 'pending' ? { ticketIds: null } : { filter: filter ?? {} }, {
      onSuccess: onStarted,
    });
  }

  return (
    <form className="card form analysis-start" onSubmit={handleSubmit} aria-labelledby="start-title">
      <h2 id="start-title" className="panel__title">
        Start a run
      </h2>
      <fieldset className="choices">
        <legend className="chips__legend">Tickets to analyse</legend>
        <Choice
          value="pending"
          scope={scope}
          onChoose={setScope}
          label="Every ticket not analysed yet"
          hint="Skips tickets an earlier run has analysed."
        />
        <Choice
          value="filter"
          scope={scope}
          onChoose={setScope}
          label={
            filter ? 'The tickets matching the list’s filters' : 'Every ticket, analysed or not'
          }
          hint={
            filter ? (
              describeRunFilter(filter, teamName)
            ) : (
              <>
                To pick tickets, set filters on the <Link to={paths.tickets}>tickets list</Link>{' '}
                and choose “Analyse these tickets”.
              </>
            )
          }
        />
      </fieldset>
      {start.error && <StartError error={start.error} />}
      <div className="form__actions">
        {/* Not `disabled` while starting: that would throw keyboard focus out of the form. */}
        <button type="submit" className="button" aria-disabled={start.isPending || undefined}>
          {start.isPending ? 'Starting…' : 'Start analysis'}
        </button>
      </div>
    </form>
  );
}

type ChoiceProps = {
  value: Scope;
  scope: Scope;
  onChoose: (scope: Scope) => void;
  label: string;
  hint: ReactNode;
};

function Choice({ value, scope, onChoose, label, hint }: ChoiceProps) {
  return (
    <label className="choice">
      <input
        type="radio"
        name="scope"
        value={value}
        checked={scope === value}
        onChange={() => onChoose(value)}
      />
      <span>
        <span className="choice__label">{label}</span>
        <span className="choice__hint">{hint}</span>
      </span>
    </label>
  );
}

/** 409: tickets held by a running run (named, with links) or nothing left; 422: bad choice. */
function StartError({ error }: { error: Error }) {
  const runs = error instanceof ProblemError && error.status === 409 ? runsNamedIn(error) : [];
  return (
    <div className="start-error">
      <ErrorAlert error={error} />
      {runs.length > 0 && (
        <p className="start-error__runs">
          Wait for{' '}
          {runs.map((id, index) => (
            <span key={id}>
              {index > 0 && ', '}
              <Link to={analysisRunPath(id)}>run #{id}</Link>
            </span>
          ))}{' '}
          to finish, or pick other tickets.
        </p>
      )}
    </div>
  );
}

/** "run 3 is analysing tickets 1, 2; run 5 is analysing tickets 9" → [3, 5]. */
export function runsNamedIn(error: ProblemError): number[] {
  const text = [error.detail ?? '', ...Object.values(error.fieldErrors).flat()].join(' ');
  const ids = [...text.matchAll(/\brun (\d+)\b/g)].map((match) => Number(match[1]));
  return [...new Set(ids)];
}
