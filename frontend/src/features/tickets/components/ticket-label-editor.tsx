import { AiMark } from '@/components/ai-mark';
import { CATEGORY_LABELS, PRIORITY_LABELS } from '@/lib/labels';
import { CATEGORIES, PRIORITIES, type LabelSource, type Ticket } from '@/types/api';
import { useUpdateTicket, type UpdateTicketInput } from '../api/update-ticket';
import { labelConfidence } from '../utils/ai-triage';

type LabelName = 'category' | 'priority';

/** What differs between the two label fields; everything else they share. */
type LabelSpec<K extends LabelName> = {
  name: K;
  label: string;
  options: readonly Ticket[K][];
  optionLabels: Record<Ticket[K], string>;
};

const CATEGORY_SPEC = labelSpec('category', CATEGORIES, CATEGORY_LABELS);
const PRIORITY_SPEC = labelSpec('priority', PRIORITIES, PRIORITY_LABELS);

function labelSpec<K extends LabelName>(
  name: K,
  options: readonly Ticket[K][],
  optionLabels: Record<Ticket[K], string>,
): LabelSpec<K> {
  const label = name.charAt(0).toUpperCase() + name.slice(1);
  return { name, label, options, optionLabels };
}

/** Category and priority of one ticket; changing an AI label here is an override. */
export function TicketLabelEditor({ ticket }: { ticket: Ticket }) {
  const updateTicket = useUpdateTicket(ticket.id);
  // Show the chosen value while saving, rather than snapping back until the answer lands.
  const saving = updateTicket.isPending ? updateTicket.variables : undefined;
  const errorId = `ticket-${ticket.id}-labels-error`;
  const shared = { ticket, saving, errorId, onChange: updateTicket.mutate };

  return (
    <section className="card panel" aria-labelledby="ticket-labels-title">
      <h2 id="ticket-labels-title" className="panel__title">
        Labels
      </h2>
      <div className="panel__fields">
        <LabelField spec={CATEGORY_SPEC} {...shared} />
        <LabelField spec={PRIORITY_SPEC} {...shared} />
      </div>
      <p id={errorId} role="alert" className="field__error">
        {updateTicket.error && `Couldn’t save the change: ${updateTicket.error.message}`}
      </p>
    </section>
  );
}

type LabelFieldProps<K extends LabelName> = {
  spec: LabelSpec<K>;
  ticket: Ticket;
  /** The change being saved, if any: its value shows, as the user's, until the answer. */
  saving: UpdateTicketInput | undefined;
  errorId: string;
  onChange: (change: UpdateTicketInput) => void;
};

function LabelField<K extends LabelName>({
  spec,
  ticket,
  saving,
  errorId,
  onChange,
}: LabelFieldProps<K>) {
  const id = `ticket-${spec.name}`;
  const markId = `${id}-ai`;
  const pending = saving?.[spec.name];
  const value = pending ?? ticket[spec.name];
  const source: LabelSource = ticket[`${spec.name}_source`];
  const isAi = pending === undefined && source === 'ai';
  return (
    <div className={isAi ? 'field field--ai' : 'field'}>
      <div className="field__label-row">
        <label htmlFor={id}>{spec.label}</label>
        {isAi && (
          <AiMark
            id={markId}
            confidence={labelConfidence(ticket, spec.name)}
            subject={spec.name}
          />
        )}
      </div>
      <select
        id={id}
        value={value}
        // Not `disabled` while saving: that would throw keyboard focus out of the select.
        aria-disabled={saving !== undefined || undefined}
        aria-describedby={isAi ? `${markId} ${errorId}` : errorId}
        onChange={(event) => {
          if (saving === undefined) onChange({ [spec.name]: event.target.value });
        }}
      >
        {spec.options.map((option) => (
          <option key={option} value={option}>
            {spec.optionLabels[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
