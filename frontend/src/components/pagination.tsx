import { useRef } from 'react';

type PaginationProps = {
  page: number;
  pageCount: number;
  onPageChange: (page: number) => void;
  /** Names the navigation, for pages with more than one paged list. */
  label?: string;
};

export function Pagination({ page, pageCount, onPageChange, label = 'Pagination' }: PaginationProps) {
  const previousRef = useRef<HTMLButtonElement>(null);
  const nextRef = useRef<HTMLButtonElement>(null);

  function goTo(target: number) {
    onPageChange(target);
    // At either end the pressed button gets disabled, which drops keyboard focus to the page:
    // hand it to the other one. Without scrolling, as the list may have scrolled to its top.
    const other = target <= 1 ? nextRef : target >= pageCount ? previousRef : null;
    other?.current?.focus({ preventScroll: true });
  }

  return (
    <nav className="pagination" aria-label={label}>
      <button
        ref={previousRef}
        type="button"
        className="button button--secondary"
        disabled={page <= 1}
        onClick={() => goTo(page - 1)}
      >
        ← Previous
      </button>
      <span aria-current="page">
        Page {page} of {pageCount}
      </span>
      <button
        ref={nextRef}
        type="button"
        className="button button--secondary"
        disabled={page >= pageCount}
        onClick={() => goTo(page + 1)}
      >
        Next →
      </button>
    </nav>
  );
}
