type ChipGroupProps<T extends string> = {
  legend: string;
  name: string;
  options: readonly T[];
  optionLabels: Record<T, string>;
  selected: T[];
  onChange: (selected: T[]) => void;
};

/** Multi-select as checkboxes styled like chips: native keyboard and screen-reader support. */
export function ChipGroup<T extends string>({
  legend,
  name,
  options,
  optionLabels,
  selected,
  onChange,
}: ChipGroupProps<T>) {
  function toggle(option: T) {
    const next = selected.includes(option)
      ? selected.filter((value) => value !== option)
      : [...selected, option];
    // Keep the canonical order so the URL doesn't depend on click order.
    onChange(options.filter((value) => next.includes(value)));
  }

  return (
    <fieldset className="chips">
      <legend className="chips__legend">{legend}</legend>
      <div className="chips__options">
        {options.map((option) => (
          <label key={option} className={`chip chip--${name}-${option}`}>
            <input
              type="checkbox"
              name={name}
              value={option}
              checked={selected.includes(option)}
              onChange={() => toggle(option)}
            />
            <span>{optionLabels[option]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
