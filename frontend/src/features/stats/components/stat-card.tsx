import { Link } from 'react-router';

type StatCardProps = {
  label: string;
  value: string;
  hint?: string;
  /** The list of the tickets this figure counts. */
  to?: string;
};

export function StatCard({ label, value, hint, to }: StatCardProps) {
  return (
    <div className={to ? 'card stat stat--link' : 'card stat'}>
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">
        {to ? (
          <Link to={to} className="stat__link" aria-label={`${label}: ${value}`}>
            {value}
          </Link>
        ) : (
          value
        )}
      </dd>
      {hint && <dd className="stat__hint">{hint}</dd>}
    </div>
  );
}
