import { render, screen } from '@testing-library/react';
import { RelativeTime } from './relative-time';

it('shows relative time with the exact time as a tooltip', () => {
  const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000).toISOString();
  render(<RelativeTime iso={twoHoursAgo} />);
  const time = screen.getByText('2 hours ago');
  expect(time.tagName).toBe('TIME');
  expect(time).toHaveAttribute('datetime', twoHoursAgo);
  expect(time.getAttribute('title')).toMatch(/\d{1,2}:\d{2}/);
});
