import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Badge } from '@/components/badge';
import { ConfirmButton } from '@/components/confirm-button';
import { ErrorAlert } from '@/components/error-alert';
import { FieldError } from '@/components/field-error';
import { RelativeTime } from '@/components/relative-time';
import { useTriageStatus } from '@/features/stats/api/get-triage-status';
import { ProblemError } from '@/lib/api-client';
import { useConfirmLeave } from '@/lib/use-confirm-leave';
import { TONES, type Tone } from '@/types/api';
import { generateDraft } from '../api/generate-draft';
import { getTicketWorkflowQueryKey, storeDraft, type StoredDraft } from '../api/get-ticket-workflow';
import { useRegenerateDraft } from '../api/regenerate-draft';
import { useUpdateDraft } from '../api/update-draft';
import { DraftReview } from './draft-review';
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
  const queryClient = useQueryClient();
  // "Generate with AI" needs an LLM provider; without one the server answers 409.
  const hasProvider = useTriageStatus().data?.provider != null;
  // The AI's text so far while it writes; null when nothing is being generated.
  const [streamed, setStreamed] = useState<string | null>(null);
  const [generateError, setGenerateError] = useState<Error | null>(null);
  const generation = useRef<AbortController | null>(null);
  useEffect(() => () => generation.current?.abort(), []);
  const generating = streamed !== null;

  // Only the text is the agent's to save: a tone is applied by rewriting the draft in it.
  const dirty = content !== base.content;
  // Words an agent wrote (saved or not) are never thrown away by a change of tone.
  const ownWords = dirty || base.edited;
  useConfirmLeave(dirty, 'Leave this ticket? Your unsaved changes to the reply will be lost.');
  // A newer draft from the server (saved or rewritten elsewhere) replaces an untouched editor;
  // unsaved edits are kept, and saving them wins.
  if (draft.updated_at !== base.updated_at || draft.content !== base.content) {
    setBase(draft);
    if (!dirty) {
      setContent(draft.content);
      setTone(draft.tone);
    }
  }

  const busy = updateDraft.isPending || regenerateDraft.isPending || generating;
  const canSave = !busy && dirty && content.trim() !== '';
  const fieldErrors =
    updateDraft.error instanceof ProblemError ? updateDraft.error.fieldErrors : {};
  const error = updateDraft.error ?? regenerateDraft.error ?? generateError;

  function adopt(saved: StoredDraft, message: string) {
    setBase(saved);
    setContent(saved.content);
    setTone(saved.tone);
    setNotice(message);
  }

  function handleSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!canSave) return;
    setNotice('');
    regenerateDraft.reset();
    updateDraft.mutate(
      { content, tone },
      { onSuccess: (saved) => adopt(saved, 'Draft saved.') },
    );
  }

  function handleRegenerate(wanted: Tone = tone) {
    setNotice('');
    updateDraft.reset();
    regenerateDraft.mutate(wanted, {
      onSuccess: (fresh) => adopt(fresh, `New ${TONE_LABELS[fresh.tone].toLowerCase()} draft written.`),
    });
  }

  async function handleGenerate(wanted: Tone = tone) {
    setNotice('');
    updateDraft.reset();
    regenerateDraft.reset();
    setGenerateError(null);
    setStreamed('');
    const controller = new AbortController();
    generation.current = controller;
    try {
      const result = await generateDraft(
        ticketId,
        wanted,
        (text) => setStreamed((sofar) => (sofar ?? '') + text),
        controller.signal,
      );
      if (result.draft) {
        storeDraft(queryClient, ticketId, result.draft);
        adopt(result.draft, result.warning ?? 'New draft written by the AI.');
      }
    } catch (caught) {
      if (!controller.signal.aborted) {
        setGenerateError(caught instanceof Error ? caught : new Error(String(caught)));
      }
    } finally {
      setStreamed(null);
      // Generating runs the workflow again: facts and routing may have moved too.
      void queryClient.invalidateQueries({ queryKey: getTicketWorkflowQueryKey(ticketId) });
    }
  }

  /** A new tone rewrites the draft the way it was written: by the AI if it wrote it. */
  function handleTone(wanted: Tone) {
    setTone(wanted);
    if (ownWords) {
      setNotice(`Your text is kept: regenerate to rewrite it in the ${TONE_LABELS[wanted].toLowerCase()} tone.`);
    } else if (base.source === 'llm' && hasProvider) {
      void handleGenerate(wanted);
    } else {
      handleRegenerate(wanted);
    }
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
      {draft.review_reason && (
        <p className="draft__review" role="note">
          <Badge tone="review">Needs review</Badge> {draft.review_reason}
        </p>
      )}
      <DraftReview ticketId={ticketId} draft={draft} />
      <div className="field draft__tone">
        <label htmlFor={`draft-${ticketId}-tone`}>Tone</label>
        <select
          id={`draft-${ticketId}-tone`}
          value={tone}
          disabled={busy}
          onChange={(event) => handleTone(event.target.value as Tone)}
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
          dir="auto"
          value={streamed ?? content}
          rows={12}
          disabled={regenerateDraft.isPending || generating}
          aria-busy={generating || undefined}
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
          {generating ? 'The AI is writing…' : notice || (dirty ? 'Unsaved changes' : '')}
        </p>
        {hasProvider && (
          <ConfirmButton
            label={generating ? 'Generating…' : 'Generate with AI'}
            question="Throw away your unsaved edits and have the AI write a new draft?"
            confirmLabel="Discard and generate"
            cancelLabel="Keep editing"
            skipConfirmation={content === base.content}
            disabled={busy}
            onConfirm={() => void handleGenerate()}
          />
        )}
        <ConfirmButton
          label={regenerateDraft.isPending ? 'Regenerating…' : 'Regenerate'}
          question="Throw away your unsaved edits and write a new draft?"
          confirmLabel="Discard and regenerate"
          cancelLabel="Keep editing"
          skipConfirmation={content === base.content}
          disabled={busy}
          onConfirm={() => handleRegenerate()}
        />
        {/* Not `disabled`: saving would throw keyboard focus out of the button it pressed. */}
        <button type="submit" className="button" aria-disabled={!canSave || undefined}>
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
