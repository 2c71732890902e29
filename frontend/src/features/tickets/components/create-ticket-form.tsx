import { useRef, useState, type FormEvent } from 'react';
import { FieldError } from '@/components/field-error';
import { ErrorAlert } from '@/components/error-alert';
import { ProblemError, type FieldErrors } from '@/lib/api-client';
import { CATEGORY_LABELS, PRIORITY_LABELS } from '@/lib/labels';
import { CATEGORIES, PRIORITIES, type Category, type Priority, type Ticket } from '@/types/api';
import type { Classification } from '../api/classify-ticket';
import { useCreateTicket, type CreateTicketInput } from '../api/create-ticket';
import { useTicketSuggestion } from '../hooks/use-ticket-suggestion';
import { LabelSelect } from './label-select';
import {
  AI_PROVIDER_MAX_LENGTH,
  AI_REASONING_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  formatCount,
  TITLE_MAX_LENGTH,
  tooLongMessage,
} from '../utils/ticket-limits';
import { SuggestionStatus } from './suggestion-status';

// Far from the limit a counter is noise; near it, it helps.
const DESCRIPTION_COUNT_FROM = 18_000;
// In the form's order; each field's id is `ticket-<field>`.
const FORM_FIELDS = ['title', 'description', 'category', 'priority'];

/** Labels the user picked themselves; unset (untouched, or "Let AI decide" again): the AI's. */
type ChosenLabels = { category?: Category; priority?: Priority };

type CreateTicketFormProps = {
  onCreated: (ticket: Ticket) => void;
  autoFocus?: boolean;
};

export function CreateTicketForm({ onCreated, autoFocus = false }: CreateTicketFormProps) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<ChosenLabels>({});
  const {
    suggestion,
    isCurrent,
    isSuggesting,
    error: suggestionError,
    suggestNow,
  } = useTicketSuggestion(title, description);
  const createTicket = useCreateTicket();
  // The form resets once the ticket is created: anything typed meanwhile would be lost.
  const submitting = createTicket.isPending;
  const formRef = useRef<HTMLFormElement>(null);
  // Errors of the last submission, until the user edits the field they name.
  const [editedSince, setEditedSince] = useState<Set<string>>(new Set());

  const showDescriptionCount = description.length > DESCRIPTION_COUNT_FROM;
  const category = chosen.category ?? suggestion?.suggested_category ?? '';
  const priority = chosen.priority ?? suggestion?.suggested_priority ?? '';
  const serverErrors = Object.fromEntries(
    Object.entries(
      createTicket.error instanceof ProblemError ? createTicket.error.fieldErrors : {},
    ).filter(([field]) => !editedSince.has(field)),
  );
  // A text past its limit is kept whole and said so; it cannot be sent until shortened.
  const tooLong: FieldErrors = {};
  for (const [field, text, max] of [
    ['title', title, TITLE_MAX_LENGTH],
    ['description', description, DESCRIPTION_MAX_LENGTH],
  ] as const) {
    const message = tooLongMessage(text.length, max);
    if (message) tooLong[field] = [message];
  }
  const fieldErrors: FieldErrors = { ...serverErrors, ...tooLong };
  const blocked = submitting || Object.keys(tooLong).length > 0;

  function edited(field: string) {
    if (createTicket.error) setEditedSince((fields) => new Set(fields).add(field));
  }

  function focusFirstInvalid(errors: FieldErrors) {
    const field = FORM_FIELDS.find((name) => name in errors);
    if (field) formRef.current?.querySelector<HTMLElement>(`#ticket-${field}`)?.focus();
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (blocked) {
      focusFirstInvalid(tooLong);
      return;
    }
    setEditedSince(new Set());
    // Deliberately not waiting for an in-flight suggestion: the server triages what we omit.
    // A suggestion made for an earlier text is left out with the labels it filled in.
    const fresh = isCurrent ? suggestion : undefined;
    const payload = buildPayload(
      title,
      description,
      chosen.category ?? fresh?.suggested_category ?? '',
      chosen.priority ?? fresh?.suggested_priority ?? '',
      fresh,
    );
    createTicket.mutate(payload, {
      onSuccess: onCreated,
      onError: (error) => {
        if (error instanceof ProblemError) focusFirstInvalid(error.fieldErrors);
      },
    });
  }

  return (
    <form
      ref={formRef}
      className="card form"
      onSubmit={handleSubmit}
      noValidate
      aria-label="New ticket"
    >
      <div className="field">
        <div className="field__label-row">
          <label htmlFor="ticket-title">Title</label>
          <CharacterCount id="ticket-title-count" length={title.length} max={TITLE_MAX_LENGTH} />
        </div>
        <input
          id="ticket-title"
          dir="auto"
          value={title}
          onChange={(event) => {
            setTitle(event.target.value);
            edited('title');
          }}
          readOnly={submitting}
          required
          autoFocus={autoFocus}
          autoComplete="off"
          aria-invalid={fieldErrors.title ? true : undefined}
          aria-describedby="ticket-title-count ticket-title-error"
        />
        <FieldError id="ticket-title-error" messages={fieldErrors.title} />
      </div>

      <div className="field">
        <div className="field__label-row">
          <label htmlFor="ticket-description">Description</label>
          {showDescriptionCount && (
            <CharacterCount
              id="ticket-description-count"
              length={description.length}
              max={DESCRIPTION_MAX_LENGTH}
            />
          )}
        </div>
        <textarea
          id="ticket-description"
          dir="auto"
          value={description}
          onChange={(event) => {
            setDescription(event.target.value);
            edited('description');
          }}
          onBlur={suggestNow}
          rows={6}
          readOnly={submitting}
          required
          aria-invalid={fieldErrors.description ? true : undefined}
          aria-describedby={
            showDescriptionCount
              ? 'ticket-description-count ticket-description-error'
              : 'ticket-description-error'
          }
        />
        <FieldError id="ticket-description-error" messages={fieldErrors.description} />
      </div>

      <SuggestionStatus
        suggestion={suggestion}
        isCurrent={isCurrent}
        isSuggesting={isSuggesting}
        failed={suggestionError !== null}
      />

      <div className="form__row">
        <LabelSelect
          id="ticket-category"
          label="Category"
          options={CATEGORIES}
          optionLabels={CATEGORY_LABELS}
          value={category}
          onChange={(value) => {
            setChosen((current) => ({ ...current, category: value || undefined }));
            edited('category');
          }}
          aiConfidence={
            chosen.category === undefined && suggestion ? suggestion.confidence.category : null
          }
          errors={fieldErrors.category}
          readOnly={submitting}
        />
        <LabelSelect
          id="ticket-priority"
          label="Priority"
          options={PRIORITIES}
          optionLabels={PRIORITY_LABELS}
          value={priority}
          onChange={(value) => {
            setChosen((current) => ({ ...current, priority: value || undefined }));
            edited('priority');
          }}
          aiConfidence={
            chosen.priority === undefined && suggestion ? suggestion.confidence.priority : null
          }
          errors={fieldErrors.priority}
          readOnly={submitting}
        />
      </div>

      {createTicket.error && (
        <SubmitError error={createTicket.error} fieldErrors={serverErrors} />
      )}

      <div className="form__actions">
        {/* Not `disabled`: submitting would throw keyboard focus out of the button it pressed. */}
        <button type="submit" className="button" aria-disabled={blocked || undefined}>
          {submitting ? 'Submitting…' : 'Submit ticket'}
        </button>
      </div>
    </form>
  );
}

/** "5/200"; marked from the limit on (past it, the field's error says by how much). */
function CharacterCount({ id, length, max }: { id: string; length: number; max: number }) {
  return (
    <span id={id} className={length >= max ? 'counter counter--full' : 'counter'}>
      {formatCount(length)}/{formatCount(max)}
    </span>
  );
}

/** `fieldErrors`: those the user has not edited yet; none left means nothing to say. */
function SubmitError({ error, fieldErrors }: { error: Error; fieldErrors: FieldErrors }) {
  const onlyFieldErrors =
    error instanceof ProblemError &&
    Object.keys(error.fieldErrors).length > 0 &&
    Object.keys(error.fieldErrors).every((field) => FORM_FIELDS.includes(field));
  if (!onlyFieldErrors) return <ErrorAlert error={error} />;
  if (Object.keys(fieldErrors).length === 0) return null;
  return (
    <p role="alert" className="alert alert--error">
      Please correct the highlighted fields.
    </p>
  );
}

function buildPayload(
  title: string,
  description: string,
  category: Category | '',
  priority: Priority | '',
  suggestion: Classification | undefined,
): CreateTicketInput {
  const payload: CreateTicketInput = { title, description };
  if (category) payload.category = category;
  if (priority) payload.priority = priority;
  if (suggestion) {
    // Sent even when overridden: comparing it with the labels is how overrides get measured.
    payload.ai_category = suggestion.suggested_category;
    payload.ai_priority = suggestion.suggested_priority;
    payload.ai_confidence = Math.min(
      suggestion.confidence.category,
      suggestion.confidence.priority,
    );
    payload.ai_category_confidence = suggestion.confidence.category;
    payload.ai_priority_confidence = suggestion.confidence.priority;
    if (suggestion.reasoning) {
      payload.ai_reasoning = suggestion.reasoning.slice(0, AI_REASONING_MAX_LENGTH);
    }
    if (suggestion.provider) {
      payload.ai_provider = suggestion.provider.slice(0, AI_PROVIDER_MAX_LENGTH);
    }
  }
  return payload;
}
