import { useState, type FormEvent } from 'react';
import { Badge } from '@/components/badge';
import { ConfirmButton } from '@/components/confirm-button';
import { ErrorAlert } from '@/components/error-alert';
import { FieldError } from '@/components/field-error';
import { RelativeTime } from '@/components/relative-time';
import { ProblemError } from '@/lib/api-client';
import { TONES, type StoredDraft, type Tone } from '../api/get-ticket-workflow';
import { useRegenerateDraft } from '../api/regenerate-draft';
import { useUpdateDraft } from '../api/update-draft';
import { WorkflowPanel } from './workflow-part';

export const TONE_LABELS: Record<Tone, string> = {
  friendly: 'Friendly',
  formal: 'Formal',
  empathetic: 'Empathetic',
};

/** The reply the workflow drafted, for an agent to edit, save or have rewritten. */
export function DraftPanel({ ticketId }: { ticketId: number }) {
  return (
    <WorkflowPanel
      title="Reply draft"
      ticketId={ticketId}
      part="draft"
      processing="Writing a draft…"
    >
      {(draft) => <DraftEditor ticketId={ticketId} draft={draft} />}
    </WorkflowPanel>
  );
}

type DraftEditorProps = { ticketId: number; draft: StoredDraft };

export function DraftEditor({ ticketId, draft }: DraftEditorProps) {
  const [content, setContent] = useState(draft.content);
  const [tone, setTone] = useState<Tone>(draft.tone);
  // The server's draft the editor started from; edits are measured against it.
  const [base, setBase] = useState(draft);
  const [notice, setNotice] = useState('');
  const updateDraft = useUpdateDraft(ticketId);
  const regenerateDraft = useRegenerateDraft(ticketId);

  const dirty = content !== base.content || tone !== base.tone;
  // A newer draft from the server (saved or rewritten elsewhere) replaces an untouched editor;
  // unsaved edits are kept, and saving them wins.
  if (draft.updated_at !== base.updated_at || draft.content !== base.content) {
    setBase(draft);
    if (!dirty) {
      setContent(draft.content);
      setTone(draft.tone);
    }
  }

  const busy = updateDraft.isPending || regenerateDraft.isPending;
  const fieldErrors =
    updateDraft.error instanceof ProblemError ? updateDraft.error.fieldErrors : {};
  const error = updateDraft.error ?? regenerateDraft.error;

  function adopt(saved: StoredDraft, message: string) {
    setBase(saved);
    setContent(saved.content);
    setTone(saved.tone);
    setNotice(message);
  }

  function handleSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice('');
    regenerateDraft.reset();
    updateDraft.mutate(
      { content, tone },
      { onSuccess: (saved) => adopt(saved, 'Draft saved.') },
    );
  }

  function handleRegenerate() {
    setNotice('');
    updateDraft.reset();
    regenerateDraft.mutate(tone, {
      onSuccess: (fresh) => adopt(fresh, `New ${TONE_LABELS[fresh.tone].toLowerCase()} draft written.`),
    });
  }

  return (
    <form className="draft" onSubmit={handleSave}>
      <p className="draft__meta">
        {draft.edited ? (
          <Badge tone="edited">Edited by an agent</Badge>
        ) : (
          <Badge tone="ai">{draft.source === 'llm' ? 'Written by the AI' : 'From a template'}</Badge>
        )}{' '}
        <span className="panel__muted">
          saved <RelativeTime iso={draft.updated_at} />
        </span>
      </p>
      <div className="field draft__tone">
        <label htmlFor={`draft-${ticketId}-tone`}>Tone</label>
        <select
          id={`draft-${ticketId}-tone`}
          value={tone}
          disabled={busy}
          onChange={(event) => setTone(event.target.value as Tone)}
        >
          {TONES.map((option) => (
            <option key={option} value={option}>
              {TONE_LABELS[option]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`draft-${ticketId}-content`}>Reply</label>
        <textarea
          id={`draft-${ticketId}-content`}
          value={content}
          rows={12}
          disabled={regenerateDraft.isPending}
          onChange={(event) => {
            setContent(event.target.value);
            setNotice('');
          }}
          aria-invalid={fieldErrors.content ? true : undefined}
          aria-describedby={`draft-${ticketId}-content-error`}
        />
        <FieldError id={`draft-${ticketId}-content-error`} messages={fieldErrors.content} />
      </div>
      {error && !fieldErrors.content && <ErrorAlert error={error} />}
      <div className="draft__actions">
        <p role="status" className="draft__notice">
          {notice || (dirty ? 'Unsaved changes' : '')}
        </p>
        <ConfirmButton
          label={regenerateDraft.isPending ? 'Regenerating…' : 'Regenerate'}
          question="Throw away your unsaved edits and write a new draft?"
          confirmLabel="Discard and regenerate"
          cancelLabel="Keep editing"
          skipConfirmation={content === base.content}
          disabled={busy}
          onConfirm={handleRegenerate}
        />
        <button type="submit" className="button" disabled={busy || !dirty || !content.trim()}>
          {updateDraft.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
      {draft.suggested_actions.length > 0 && (
        <div className="draft__steps">
          <h3 id={`draft-${ticketId}-steps`} className="draft__steps-title">
            Suggested next steps
          </h3>
          <ol aria-labelledby={`draft-${ticketId}-steps`}>
            {draft.suggested_actions.map((action, index) => (
              <li key={`${index}-${action}`}>{action}</li>
            ))}
          </ol>
        </div>
      )}
    </form>
  );
}
