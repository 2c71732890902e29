import { tooLongMessage } from './ticket-limits';

describe('tooLongMessage', () => {
  it('says how far past the limit a text is and by how much to shorten it', () => {
    expect(tooLongMessage(25_000, 20_000)).toBe(
      '25,000 / 20,000 characters – shorten by 5,000',
    );
    expect(tooLongMessage(201, 200)).toBe('201 / 200 characters – shorten by 1');
  });

  it('says nothing up to the limit', () => {
    expect(tooLongMessage(20_000, 20_000)).toBeNull();
    expect(tooLongMessage(0, 200)).toBeNull();
  });
});
