import { CATEGORY_LABELS } from '@/lib/labels';
import { CATEGORIES } from '@/types/api';
import type { Acceptance, AiAcceptance } from '../api/get-stats';
import { summarizeAcceptance } from '../utils/acceptance';

/** How often agents kept the AI's labels: per suggested category, and for priority overall. */
export function AcceptanceCard({ acceptance }: { acceptance: AiAcceptance }) {
  return (
    <figure className="card chart acceptance" aria-labelledby="chart-acceptance">
      <figcaption id="chart-acceptance" className="chart__title">
        AI suggestions accepted{' '}
        <span className="chart__subtitle">labels agents kept as the AI suggested them</span>
      </figcaption>
      <ul className="acceptance__list" aria-label="Category suggestions accepted">
        {CATEGORIES.map((category) => (
          <AcceptanceRow
            key={category}
            label={CATEGORY_LABELS[category]}
            color={`var(--category-${category})`}
            acceptance={acceptance.category[category]}
          />
        ))}
      </ul>
      <ul
        className="acceptance__list acceptance__list--total"
        aria-label="Priority suggestions accepted"
      >
        <AcceptanceRow label="Priority" color="var(--accent)" acceptance={acceptance.priority} />
      </ul>
    </figure>
  );
}

type AcceptanceRowProps = {
  label: string;
  color: string;
  acceptance: Acceptance;
};

function AcceptanceRow({ label, color, acceptance }: AcceptanceRowProps) {
  const summary = summarizeAcceptance(acceptance);
  return (
    <li className="acceptance__row">
      <span className="acceptance__label">{label}</span>
      {/* The text beside it carries the same figure, so the bar is decoration. */}
      <span className="acceptance__track" aria-hidden="true">
        <span
          className="acceptance__bar"
          style={{ width: `${summary.fraction * 100}%`, background: color }}
        />
      </span>
      <span className="acceptance__value">
        {summary.percent === null ? (
          <span className="acceptance__detail">{summary.detail}</span>
        ) : (
          <>
            <strong className="acceptance__percent">{summary.percent}</strong>{' '}
            <span className="acceptance__detail">{summary.detail}</span>
          </>
        )}
      </span>
    </li>
  );
}
