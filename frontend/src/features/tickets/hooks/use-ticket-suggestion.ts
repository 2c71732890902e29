import { useCallback, useEffect, useState } from 'react';
import { useClassification, type Classification, type ClassifyInput } from '../api/classify-ticket';
import { DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH } from '../utils/ticket-limits';

const SUGGEST_AFTER_MS = 1500;
const SUGGEST_MIN_CHARS = 20;

/**
 * Asks the classifier for labels once the description is worth reading: when typing pauses
 * with enough text, or right away via `suggestNow` (the form calls it on blur).
 * `isCurrent`: the suggestion was made for the text as it is now, not for an earlier one.
 */
export function useTicketSuggestion(title: string, description: string) {
  const [input, setInput] = useState<ClassifyInput | null>(null);
  // A suggestion dropped because the text went too short; it may linger as placeholder data.
  const [dropped, setDropped] = useState<Classification>();
  const isShort = description.trim().length < SUGGEST_MIN_CHARS;
  // The server refuses a text past its limit; the form already says to shorten it.
  const isTooLong = title.length > TITLE_MAX_LENGTH || description.length > DESCRIPTION_MAX_LENGTH;

  const suggestNow = useCallback(() => {
    if (description.trim() && !isTooLong) {
      setInput({ title: title.trim(), description: description.trim() });
    }
  }, [title, description, isTooLong]);

  useEffect(() => {
    if (isShort || isTooLong) return;
    const timer = setTimeout(suggestNow, SUGGEST_AFTER_MS);
    return () => clearTimeout(timer);
  }, [isShort, isTooLong, suggestNow]);

  const query = useClassification(input);
  const forThisText = input?.title === title.trim() && input.description === description.trim();
  const isCurrent = query.data !== undefined && !query.isPlaceholderData && forThisText;
  // With the text too short for a pause to bring a new suggestion, one made for an earlier
  // text would stay for good: it goes (labels the user picked stay), and doesn't come back as
  // the placeholder while a later text is read.
  const outdated = isShort && !forThisText;
  if (outdated && query.data !== undefined && query.data !== dropped) setDropped(query.data);
  const suggestion = query.data === dropped && !isCurrent ? undefined : query.data;
  return {
    suggestion,
    isCurrent,
    isSuggesting: query.isFetching && !outdated,
    error: query.error,
    suggestNow,
  };
}
