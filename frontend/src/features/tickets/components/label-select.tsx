import { AiMark } from '@/components/ai-mark';
import { FieldError } from '@/components/field-error';

type LabelSelectProps<T extends string> = {
  id: string;
  label: string;
  options: readonly T[];
  optionLabels: Record<T, string>;
  value: T | '';
  onChange: (value: T | '') => void;
  /** Set while the value is the AI's suggestion; null once the user picks for themselves. */
  aiConfidence: number | null;
  errors: string[] | undefined;
  /** Refuses changes, e.g. while the form is being submitted, but keeps focus, unlike disabled. */
  readOnly?: boolean;
};

export function LabelSelect<T extends string>({
  id,
  label,
  options,
  optionLabels,
  value,
  onChange,
  aiConfidence,
  errors,
  readOnly = false,
}: LabelSelectProps<T>) {
  const markId = `${id}-ai`;
  const errorId = `${id}-error`;
  const isAiSuggested = aiConfidence !== null;
  return (
    <div className={isAiSuggested ? 'field field--ai' : 'field'}>
      <div className="field__label-row">
        <label htmlFor={id}>{label}</label>
        {isAiSuggested && (
          <AiMark id={markId} confidence={aiConfidence} subject={label.toLowerCase()} />
        )}
      </div>
      <select
        id={id}
        value={value}
        onChange={(event) => {
          if (!readOnly) onChange(event.target.value as T | '');
        }}
        aria-readonly={readOnly || undefined}
        aria-invalid={errors ? true : undefined}
        aria-describedby={isAiSuggested ? `${markId} ${errorId}` : errorId}
      >
        <option value="">Let AI decide</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabels[option]}
          </option>
        ))}
      </select>
      <FieldError id={errorId} messages={errors} />
    </div>
  );
}
