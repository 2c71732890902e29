import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import { FieldError } from '@/components/field-error';
import { Loading } from '@/components/loading';
import { messagesFor, ProblemError } from '@/lib/api-client';
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import { useTeams } from '@/lib/teams';
import { CATEGORIES, type Category, type Priority, type Status } from '@/types/api';
import { useDeleteMacro, useMacros, useSaveMacro, type Macro } from '../api/macros';

const PLACEHOLDERS =
  'Hello {{ customer.first_name }}, … — also {{ customer.name }}, {{ ticket.id }}, ' +
  '{{ ticket.title }}, {{ agent.first_name }}';

/** Admins: the saved replies agents apply from the composer, and what each also does. */
export function MacroSettings() {
  const macros = useMacros();
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  return (
    <section aria-labelledby="macro-settings-heading" className="card form">
      <h2 id="macro-settings-heading">Macros</h2>
      <p className="muted">
        Saved replies with placeholders, shared or a team&apos;s, that may also set the
        ticket&apos;s status or labels, assign it to whoever applies it, or add a note.
      </p>
      {macros.isPending && <Loading label="Loading the macros…" />}
      {macros.isError && <ErrorAlert error={macros.error} onRetry={() => void macros.refetch()} />}
      {macros.data && (
        <ul className="staff-list" aria-label="Macros">
          {macros.data.length === 0 && <li className="muted">No macros yet.</li>}
          {macros.data.map((macro) => (
            <MacroRow
              key={macro.id}
              macro={macro}
              editing={editing === macro.id}
              onEdit={() => setEditing(editing === macro.id ? null : macro.id)}
              onDone={() => setEditing(null)}
            />
          ))}
        </ul>
      )}
      {editing === 'new' ? (
        <MacroForm macro={null} onDone={() => setEditing(null)} />
      ) : (
        <div className="form__actions">
          <button type="button" className="button" onClick={() => setEditing('new')}>
            New macro
          </button>
        </div>
      )}
    </section>
  );
}

function MacroRow({
  macro,
  editing,
  onEdit,
  onDone,
}: {
  macro: Macro;
  editing: boolean;
  onEdit: () => void;
  onDone: () => void;
}) {
  const remove = useDeleteMacro(macro.id);
  const { data: teams = [] } = useTeams();
  const owner = macro.team
    ? (teams.find((team) => team.id === macro.team)?.name ?? macro.team)
    : 'shared';
  return (
    <li className="staff-list__item">
      <div className="staff-list__who">
        <strong dir="auto">{macro.name}</strong> <span className="muted">{owner}</span>
      </div>
      <div className="sla-calendar__actions">
        <button type="button" className="button button--secondary" onClick={onEdit}>
          {editing ? 'Close' : 'Edit'}
        </button>
        <button
          type="button"
          className="button button--secondary"
          disabled={remove.isPending}
          onClick={() => remove.mutate()}
        >
          Delete
        </button>
      </div>
      {remove.isError && <ErrorAlert error={remove.error} />}
      {editing && <MacroForm macro={macro} onDone={onDone} />}
    </li>
  );
}

function MacroForm({ macro, onDone }: { macro: Macro | null; onDone: () => void }) {
  const save = useSaveMacro(macro?.id ?? null);
  const { data: teams = [] } = useTeams();
  const [name, setName] = useState(macro?.name ?? '');
  const [body, setBody] = useState(macro?.body ?? '');
  const [team, setTeam] = useState(macro?.team ?? '');
  const [category, setCategory] = useState<Category | ''>(macro?.category ?? '');
  const [status, setStatus] = useState<Status | ''>(macro?.actions?.status ?? '');
  const [priority, setPriority] = useState<Priority | ''>(macro?.actions?.priority ?? '');
  const [setsCategory, setSetsCategory] = useState<Category | ''>(
    macro?.actions?.category ?? '',
  );
  const [assign, setAssign] = useState(macro?.actions?.assign_to_me ?? false);
  const [note, setNote] = useState(macro?.actions?.note ?? '');
  const fieldErrors = save.error instanceof ProblemError ? save.error.fieldErrors : {};
  const id = (field: string) => `macro-${macro?.id ?? 'new'}-${field}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(
      {
        name,
        body,
        team: team || null,
        category: category || null,
        actions: {
          status: status || null,
          priority: priority || null,
          category: setsCategory || null,
          assign_to_me: assign,
          note: note.trim() ? note : null,
        },
      },
      { onSuccess: onDone },
    );
  }

  return (
    <form
      className="form"
      onSubmit={submit}
      aria-label={macro ? `Edit ${macro.name}` : 'New macro'}
    >
      <div className="form__row">
        <div className="field">
          <label htmlFor={id('name')}>Name</label>
          <input
            id={id('name')}
            dir="auto"
            required
            maxLength={200}
            value={name}
            aria-describedby={id('name-error')}
            onChange={(event) => setName(event.target.value)}
          />
          <FieldError id={id('name-error')} messages={messagesFor(fieldErrors, 'name')} />
        </div>
        <div className="field">
          <label htmlFor={id('team')}>For</label>
          <select id={id('team')} value={team} onChange={(event) => setTeam(event.target.value)}>
            <option value="">Every team (shared)</option>
            {teams.map((known) => (
              <option key={known.id} value={known.id}>
                {known.name}
              </option>
            ))}
          </select>
          <FieldError id={id('team-error')} messages={messagesFor(fieldErrors, 'team')} />
        </div>
        <div className="field">
          <label htmlFor={id('category')}>Suggested on</label>
          <select
            id={id('category')}
            value={category}
            onChange={(event) => setCategory(event.target.value as Category | '')}
          >
            <option value="">Any ticket</option>
            {CATEGORIES.map((value) => (
              <option key={value} value={value}>
                {CATEGORY_LABELS[value]} tickets
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={id('body')}>Reply</label>
        <textarea
          id={id('body')}
          dir="auto"
          required
          rows={5}
          value={body}
          placeholder={PLACEHOLDERS}
          aria-describedby={id('body-error')}
          onChange={(event) => setBody(event.target.value)}
        />
        <FieldError id={id('body-error')} messages={messagesFor(fieldErrors, 'body')} />
      </div>
      <fieldset className="form__row">
        <legend className="chips__legend">It also</legend>
        <Leaves
          id={id('status')}
          label="Sets the status"
          value={status}
          labels={STATUS_LABELS}
          onChange={setStatus}
        />
        <Leaves
          id={id('priority')}
          label="Sets the priority"
          value={priority}
          labels={PRIORITY_LABELS}
          onChange={setPriority}
        />
        <Leaves
          id={id('sets-category')}
          label="Sets the category"
          value={setsCategory}
          labels={CATEGORY_LABELS}
          onChange={setSetsCategory}
        />
        <label className="chip">
          <input
            type="checkbox"
            checked={assign}
            onChange={(event) => setAssign(event.target.checked)}
          />
          <span>Assigns it to whoever applies it</span>
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={id('note')}>Adds an internal note</label>
        <textarea
          id={id('note')}
          dir="auto"
          rows={2}
          value={note}
          aria-describedby={id('note-error')}
          onChange={(event) => setNote(event.target.value)}
        />
        <FieldError id={id('note-error')} messages={messagesFor(fieldErrors, 'actions')} />
      </div>
      {save.isError && Object.keys(fieldErrors).length === 0 && <ErrorAlert error={save.error} />}
      <div className="form__actions">
        <button type="submit" className="button" disabled={save.isPending}>
          {macro ? 'Save macro' : 'Add macro'}
        </button>
      </div>
    </form>
  );
}

/** A label an action may set, or "(leaves it)": the values in the order `labels` lists. */
function Leaves<T extends string>({
  id,
  label,
  value,
  labels,
  onChange,
}: {
  id: string;
  label: string;
  value: T | '';
  labels: Record<T, string>;
  onChange: (value: T | '') => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as T | '')}>
        <option value="">(leaves it)</option>
        {(Object.keys(labels) as T[]).map((option) => (
          <option key={option} value={option}>
            {labels[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
