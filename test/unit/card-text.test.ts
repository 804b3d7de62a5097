// Card text escaping: what a card would render as markup is written as entities, nothing else changes.

import { cardText, clipText } from '../../src/server/domain/card-text';

describe('cardText', () => {
  it.each([
    ['<a href="https://evil.example/">pay</a>', '&lt;a href="https://evil.example/"&gt;pay&lt;/a&gt;'],
    ['<b>URGENT</b>', '&lt;b&gt;URGENT&lt;/b&gt;'],
    ['<font color="#f00">x</font>', '&lt;font color="#f00"&gt;x&lt;/font&gt;'],
    ['A&B', 'A&amp;B'],
    ['&lt; already', '&amp;lt; already'],
    ['Facture n°12 – 100,00 €', 'Facture n°12 – 100,00 €'],
    [42, '42'],
  ])('%s', (input, expected) => {
    expect(cardText(input)).toBe(expected);
  });
});

describe('clipText', () => {
  it('flattens whitespace and cuts with an ellipsis', () => {
    expect(clipText(' a\n\n b ', 10)).toBe('a b');
    expect(clipText('abcdefghij', 5)).toBe('abcd…');
  });
});
