import { AiMark } from '@/components/ai-mark';
import { CATEGORY_LABELS, PRIORITY_LABELS } from '@/lib/labels';
import {
  CATEGORIES,
  PRIORITIES,
  type Category,
  type LabelSource,
  type Priority,
  type Ticket,
} from '@/types/api';
import { useUpdateTicket } from '../api/update-ticket';

/** Category and priority of one ticket; changing an AI label here is an override. */
export function TicketLabelEditor({ ticket }: { ticket: Ticket }) {
  const updateTicket = useUpdateTicket(ticket.id);
  // Show the chosen value while saving, rather than snapping back until the answer lands.
  const saving = updateTicket.isPending ? updateTicket.variables : undefined;
  const category = saving?.category ?? ticket.category;
  const priority = saving?.priority ?? ticket.priority;
  const errorId = `ticket-${ticket.id}-labels-error`;

  return (
    <section className="card panel" aria-labelledby="ticket-labels-title">
      <h2 id="ticket-labels-title" className="panel__title">
        Labels
      </h2>
      <div className="panel__fields">
        <LabelField
          id="ticket-category"
          label="Category"
          options={CATEGORIES}
          optionLabels={CATEGORY_LABELS}
          value={category}
          source={saving?.category ? 'user' : ticket.category_source}
          confidence={ticket.ai_confidence}
          disabled={saving !== undefined}
          errorId={errorId}
          onChange={(value: Category) => updateTicket.mutate({ category: value })}
        />
        <LabelField
          id="ticket-priority"
          label="Priority"
          options={PRIORITIES}
          optionLabels={PRIORITY_LABELS}
          value={priority}
          source={saving?.priority ? 'user' : ticket.priority_source}
          confidence={ticket.ai_confidence}
          disabled={saving !== undefined}
          errorId={errorId}
          onChange={(value: Priority) => updateTicket.mutate({ priority: value })}
        />
      </div>
      <p id={errorId} role="alert" className="field__error">
        {updateTicket.error && `Couldn’t save the change: ${updateTicket.error.message}`}
      </p>
    </section>
  );
}

type LabelFieldProps<T extends string> = {
  id: string;
  label: string;
  options: readonly T[];
  optionLabels: Record<T, string>;
  value: T;
  source: LabelSource;
  confidence: number | null;
  disabled: boolean;
  errorId: string;
  onChange: (value: T) => void;
};

function LabelField<T extends string>({
  id,
  label,
  options,
  optionLabels,
  value,
  source,
  confidence,
  disabled,
  errorId,
  onChange,
}: LabelFieldProps<T>) {
  const markId = `${id}-ai`;
  const isAi = source === 'ai';
  return (
    <div className={isAi ? 'field field--ai' : 'field'}>
      <div className="field__label-row">
        <label htmlFor={id}>{label}</label>
        {isAi && <AiMark id={markId} confidence={confidence} subject={label.toLowerCase()} />}
      </div>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-describedby={isAi ? `${markId} ${errorId}` : errorId}
        onChange={(event) => onChange(event.target.value as T)}
      >
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabels[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
