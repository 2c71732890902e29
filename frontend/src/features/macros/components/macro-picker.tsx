import { useState } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import { useApplyMacro, useMacros, useSuggestedMacros } from '../api/macros';

type MacroPickerProps = {
  ticketId: number;
  /** Puts the macro's reply in the composer. */
  onInsert: (text: string) => void;
};

/** Apply a saved reply: the ones that fit the ticket first, then every other. */
export function MacroPicker({ ticketId, onInsert }: MacroPickerProps) {
  const macros = useMacros();
  const suggested = useSuggestedMacros(ticketId);
  const apply = useApplyMacro(ticketId);
  const [chosen, setChosen] = useState('');
  const [done, setDone] = useState<string[]>([]);
  if (!macros.data || macros.data.length === 0) return null;
  const first = suggested.data ?? [];
  const firstIds = new Set(first.map((found) => found.macro.id));
  const rest = macros.data.filter((macro) => !firstIds.has(macro.id));

  function applyChosen() {
    const id = Number(chosen);
    if (!id) return;
    apply.mutate(id, {
      onSuccess: (applied) => {
        onInsert(applied.body);
        setDone(applied.done);
        setChosen('');
      },
    });
  }

  return (
    <div className="macro-picker">
      <label htmlFor={`macro-${ticketId}`}>Macro</label>
      <select
        id={`macro-${ticketId}`}
        value={chosen}
        onChange={(event) => setChosen(event.target.value)}
      >
        <option value="">Choose a saved reply…</option>
        {first.length > 0 && (
          <optgroup label="Suggested for this ticket">
            {first.map((found) => (
              <option key={found.macro.id} value={found.macro.id} title={found.why}>
                {found.macro.name}
              </option>
            ))}
          </optgroup>
        )}
        {rest.length > 0 && (
          <optgroup label="All macros">
            {rest.map((macro) => (
              <option key={macro.id} value={macro.id}>
                {macro.name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      <button
        type="button"
        className="button button--secondary"
        disabled={!chosen || apply.isPending}
        onClick={applyChosen}
      >
        Apply macro
      </button>
      {done.length > 0 && (
        <p className="macro-picker__done" role="status">
          Macro applied: {done.join(', ')}.
        </p>
      )}
      {apply.isError && <ErrorAlert error={apply.error} />}
    </div>
  );
}
