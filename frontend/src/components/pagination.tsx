type PaginationProps = {
  page: number;
  pageCount: number;
  onPageChange: (page: number) => void;
  /** Names the navigation, for pages with more than one paged list. */
  label?: string;
};

export function Pagination({ page, pageCount, onPageChange, label = 'Pagination' }: PaginationProps) {
  return (
    <nav className="pagination" aria-label={label}>
      <PageButton target={page - 1} available={page > 1} onPageChange={onPageChange}>
        ← Previous
      </PageButton>
      <span aria-current="page">
        Page {page} of {pageCount}
      </span>
      <PageButton target={page + 1} available={page < pageCount} onPageChange={onPageChange}>
        Next →
      </PageButton>
    </nav>
  );
}

type PageButtonProps = {
  target: number;
  available: boolean;
  onPageChange: (page: number) => void;
  children: string;
};

/**
 * aria-disabled, not disabled, at either end: the button just pressed to reach the first or
 * last page keeps keyboard focus instead of dropping it to the page.
 */
function PageButton({ target, available, onPageChange, children }: PageButtonProps) {
  return (
    <button
      type="button"
      className="button button--secondary"
      aria-disabled={!available || undefined}
      onClick={() => available && onPageChange(target)}
    >
      {children}
    </button>
  );
}
