// Address lists from the send list: separators, display names, reasons, counting, header injection.

import { checkAddress, countRecipients, hasLineBreak, parseAddressList } from '../../../src/server/domain/send/addresses';

describe('parseAddressList', () => {
  it('splits on , and ; with or without display names, ignoring empty items', () => {
    const result = parseAddressList(' a@x.fr; Bob <b@x.fr> ,"Dupont, Jean" <j@x.fr>;; <c@x.fr>; ');
    expect(result.problems).toEqual([]);
    expect(result.mailboxes).toEqual([
      { name: '', address: 'a@x.fr' },
      { name: 'Bob', address: 'b@x.fr' },
      { name: 'Dupont, Jean', address: 'j@x.fr' },
      { name: '', address: 'c@x.fr' },
    ]);
  });

  it('keeps accents in display names and unescapes quoted names', () => {
    expect(parseAddressList('Élodie Dürr <e@x.fr>, "A \\"B\\"" <ab@x.fr>').mailboxes).toEqual([
      { name: 'Élodie Dürr', address: 'e@x.fr' },
      { name: 'A "B"', address: 'ab@x.fr' },
    ]);
  });

  it('reports every invalid item with its reason and keeps the valid ones', () => {
    const result = parseAddressList('ok@x.fr, jean.dupont.x.fr; a@@x.fr; a b@x.fr; a@x; Bob <bob@x.fr; x@-x.fr; .a@x.fr; é@x.fr');
    expect(result.mailboxes).toEqual([{ name: '', address: 'ok@x.fr' }]);
    expect(result.problems).toEqual([
      { input: 'jean.dupont.x.fr', reason: 'missing @' },
      { input: 'a@@x.fr', reason: 'more than one @' },
      { input: 'a b@x.fr', reason: 'address contains a space' },
      { input: 'a@x', reason: 'domain "x" has no dot' },
      { input: 'Bob <bob@x.fr', reason: 'missing ">"' },
      { input: 'x@-x.fr', reason: 'invalid domain "-x.fr"' },
      { input: '.a@x.fr', reason: 'invalid characters or dots before @ (".a")' },
      { input: 'é@x.fr', reason: 'address contains a non-ASCII character' },
    ]);
  });

  it('reads an unquoted comma in a name as two items (and says the first is not an address)', () => {
    expect(parseAddressList('Bob <b@x.fr> extra').problems).toEqual([{ input: 'Bob <b@x.fr> extra', reason: 'text after ">"' }]);
    const result = parseAddressList('Dupont, Jean <j@x.fr>');
    expect(result.mailboxes).toEqual([{ name: 'Jean', address: 'j@x.fr' }]);
    expect(result.problems).toEqual([{ input: 'Dupont', reason: 'missing @' }]);
  });
});

describe('checkAddress', () => {
  it.each(['a@x.fr', 'first.last+tag@sub.example.co.uk', "o'neil@x.com", 'x@xn--bcher-kva.ch'])('accepts %s', (a) => {
    expect(checkAddress(a)).toBeNull();
  });
  it.each(['', 'a@x.1', `${'a'.repeat(65)}@x.fr`, `a@${'b'.repeat(250)}.fr`, 'a..b@x.fr', 'a@x..fr', 'a@x.fr\n'])('rejects %j', (a) => {
    expect(checkAddress(a)).not.toBeNull();
  });
});

describe('countRecipients and hasLineBreak', () => {
  it('counts distinct addresses across lists, case-insensitively', () => {
    const to = parseAddressList('a@x.fr, B@x.fr').mailboxes;
    const cc = parseAddressList('b@x.fr, c@x.fr').mailboxes;
    expect(countRecipients(to, cc, [])).toBe(3);
  });
  it('flags CR and LF only', () => {
    expect(hasLineBreak('a\rb')).toBe(true);
    expect(hasLineBreak('a\nb')).toBe(true);
    expect(hasLineBreak('a\tb')).toBe(false);
  });
});
