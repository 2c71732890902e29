import { useCallback, useEffect, useState } from 'react';
import { useClassification, type ClassifyInput } from '../api/classify-ticket';

const SUGGEST_AFTER_MS = 1500;
const SUGGEST_MIN_CHARS = 20;

/**
 * Asks the classifier for labels once the description is worth reading: when typing pauses
 * with enough text, or right away via `suggestNow` (the form calls it on blur).
 * `isCurrent`: the suggestion was made for the text as it is now, not for an earlier one.
 */
export function useTicketSuggestion(title: string, description: string) {
  const [input, setInput] = useState<ClassifyInput | null>(null);

  const suggestNow = useCallback(() => {
    if (description.trim()) setInput({ title: title.trim(), description: description.trim() });
  }, [title, description]);

  useEffect(() => {
    if (description.trim().length < SUGGEST_MIN_CHARS) return;
    const timer = setTimeout(suggestNow, SUGGEST_AFTER_MS);
    return () => clearTimeout(timer);
  }, [description, suggestNow]);

  const query = useClassification(input);
  const isCurrent =
    query.data !== undefined &&
    !query.isPlaceholderData &&
    input?.title === title.trim() &&
    input.description === description.trim();
  return {
    suggestion: query.data,
    isCurrent,
    isSuggesting: query.isFetching,
    error: query.error,
    suggestNow,
  };
}
