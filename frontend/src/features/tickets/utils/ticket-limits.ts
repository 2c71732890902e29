// The server's limits for a new ticket, generated from its request schema. The suggestion's
// reasoning and provider are capped too: a longer text would fail the whole submission over
// a field the user never sees.
export {
  AI_PROVIDER_MAX_LENGTH,
  AI_REASONING_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  TITLE_MAX_LENGTH,
} from '../../../types/api-limits';

const countFormat = new Intl.NumberFormat('en');

export function formatCount(count: number): string {
  return countFormat.format(count);
}

/**
 * "25,000 / 20,000 characters – shorten by 5,000" for a text past its limit, else null. The
 * fields take a longer paste whole rather than cutting it silently; this says what to do.
 */
export function tooLongMessage(length: number, max: number): string | null {
  if (length <= max) return null;
  const over = formatCount(length - max);
  return `${formatCount(length)} / ${formatCount(max)} characters – shorten by ${over}`;
}
