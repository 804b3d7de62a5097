// Gmail search: every operator, OR / - / ( ) / { }, the default TRASH/SPAM exclusion and clear errors
// for what Gmail would not understand, over messages imported as real bytes.

import { attachmentEml, makeWorld, PDF_BYTES, simpleEml, USER, type World } from './world';
import { compileSearch, SearchSyntaxError } from '../../../emulator/gmail/search';

interface Fixture {
  world: World;
  ids: Record<string, string>;
  search(query: string): string[];
}

function fixture(): Fixture {
  const world = makeWorld();
  const { mailbox } = world;
  const ids: Record<string, string> = {};
  const add = (name: string, bytes: Uint8Array, labelIds?: string[]): void => {
    ids[name] = mailbox.importRaw(bytes, labelIds ? { labelIds } : {}).id;
  };
  add(
    'invoice',
    simpleEml({
      id: 'invoice',
      from: '"Zoé Martin" <zoe@fournisseur.fr>',
      to: USER,
      cc: 'archive@cabinet-durand.fr',
      subject: 'Facture INV-42 janvier',
      date: 'Mon, 12 Jan 2026 10:00:00 +0000',
      body: 'Veuillez régler la facture avant le 31. Merci beaucoup.',
    }),
  );
  add('receipt', attachmentEml('Reçu de paiement', 'Reçu-2026.pdf', PDF_BYTES, 'Tue, 13 Jan 2026 10:00:00 +0000'));
  add(
    'newsletter',
    simpleEml({
      id: 'news',
      from: 'news@promo.example.com',
      to: USER,
      subject: 'Offre spéciale',
      date: 'Thu, 01 Jan 2026 12:00:00 +0000',
      body: 'Big SALE this week',
    }),
  );
  add(
    'old',
    simpleEml({
      id: 'old',
      from: 'paul@client.fr',
      to: 'other@cabinet-durand.fr',
      subject: 'Ancien dossier',
      date: 'Fri, 10 Jan 2025 12:00:00 +0000',
      body: 'Archive 2024 dossier clos',
    }),
  );
  add(
    'trashed',
    simpleEml({
      id: 'trashed',
      from: 'zoe@fournisseur.fr',
      to: USER,
      subject: 'Facture annulée',
      date: 'Wed, 14 Jan 2026 10:00:00 +0000',
      body: 'facture annulée',
    }),
    ['TRASH'],
  );
  add(
    'spam',
    simpleEml({
      id: 'spam',
      from: 'win@lottery.example',
      to: USER,
      subject: 'Facture gagnante',
      date: 'Wed, 14 Jan 2026 11:00:00 +0000',
      body: 'facture prize',
    }),
    ['SPAM', 'UNREAD'],
  );
  add(
    'sent',
    simpleEml({
      id: 'sent',
      from: USER,
      to: 'client@acme.fr',
      subject: 'Votre facture',
      date: 'Wed, 14 Jan 2026 12:00:00 +0000',
      body: 'Ci-joint votre facture.',
    }),
    ['SENT'],
  );
  const label = mailbox.createLabel('Postroom/imported');
  const spaced = mailbox.createLabel('A traiter');
  mailbox.modifyLabels(ids.receipt, [label.id, 'STARRED', 'IMPORTANT'], ['UNREAD']);
  mailbox.modifyLabels(ids.newsletter, [spaced.id, 'CATEGORY_PROMOTIONS'], []);
  const search = (query: string): string[] => {
    const compiled = compileSearch(query, {
      now: world.clock.now(),
      userEmail: USER,
      labelName: (id) => mailbox.labelById(id)?.name,
    });
    const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
    return mailbox
      .allMessages()
      .filter((message) => compiled.matches(message))
      .map((message) => names[message.id])
      .sort();
  };
  return { world, ids, search };
}

// https://support.google.com/mail/answer/7190
describe('Gmail search operators (support.google.com/mail/answer/7190)', () => {
  const { search } = fixture();

  test('an empty query matches everything except TRASH and SPAM', () => {
    expect(search('')).toEqual(['invoice', 'newsletter', 'old', 'receipt', 'sent']);
  });

  test('words: whole words, case- and accent-insensitive, over subject, body and addresses', () => {
    expect(search('FACTURE')).toEqual(['invoice', 'sent']);
    expect(search('fact')).toEqual([]);
    expect(search('recu')).toEqual(['receipt']);
    expect(search('régler')).toEqual(['invoice']);
    expect(search('fournisseur.fr')).toEqual(['invoice', 'receipt']);
    expect(search('facture merci')).toEqual(['invoice']);
  });

  test('"quoted phrases" match consecutive words only', () => {
    expect(search('"régler la facture"')).toEqual(['invoice']);
    expect(search('"la régler facture"')).toEqual([]);
  });

  test('from: to: cc: bcc: match names and addresses at word boundaries; me is the user', () => {
    expect(search('from:zoe@fournisseur.fr')).toEqual(['invoice']);
    expect(search('from:fournisseur.fr')).toEqual(['invoice', 'receipt']);
    expect(search('from:ournisseur.fr')).toEqual([]);
    expect(search('from:"Zoé Martin"')).toEqual(['invoice']);
    expect(search('from:me')).toEqual(['sent']);
    expect(search('to:client@acme.fr')).toEqual(['sent']);
    expect(search('to:archive@cabinet-durand.fr')).toEqual(['invoice']);
    expect(search('cc:archive')).toEqual(['invoice']);
    expect(search('bcc:archive')).toEqual([]);
  });

  test('subject: with a word, a phrase and a (group)', () => {
    expect(search('subject:facture')).toEqual(['invoice', 'sent']);
    expect(search('subject:"facture inv-42"')).toEqual(['invoice']);
    expect(search('subject:(dossier OR offre)')).toEqual(['newsletter', 'old']);
    expect(search('subject:(facture janvier)')).toEqual(['invoice']);
  });

  test('label: with nested and spaced names written with dashes or slashes', () => {
    expect(search('label:postroom-imported')).toEqual(['receipt']);
    expect(search('label:Postroom/imported')).toEqual(['receipt']);
    expect(search('label:a-traiter')).toEqual(['newsletter']);
    expect(search('label:postroom')).toEqual([]);
    expect(search('label:unknown')).toEqual([]);
  });

  test('in: inbox, sent, trash, spam, anywhere', () => {
    expect(search('in:inbox')).toEqual(['invoice', 'newsletter', 'old', 'receipt']);
    expect(search('in:sent')).toEqual(['sent']);
    expect(search('in:trash')).toEqual(['trashed']);
    expect(search('in:spam')).toEqual(['spam']);
    expect(search('in:anywhere facture')).toEqual(['invoice', 'sent', 'spam', 'trashed']);
  });

  test('is:unread, is:read, is:starred, is:important; category:', () => {
    expect(search('is:unread')).toEqual(['invoice', 'newsletter', 'old']);
    expect(search('is:read')).toEqual(['receipt', 'sent']);
    expect(search('is:starred')).toEqual(['receipt']);
    expect(search('is:important')).toEqual(['receipt']);
    expect(search('category:promotions')).toEqual(['newsletter']);
  });

  test('has:attachment and filename: by name or extension', () => {
    expect(search('has:attachment')).toEqual(['receipt']);
    expect(search('filename:pdf')).toEqual(['receipt']);
    expect(search('filename:Reçu-2026.pdf')).toEqual(['receipt']);
    expect(search('filename:docx')).toEqual([]);
  });

  test('after: / before: with YYYY/MM/DD, YYYY-MM-DD and epoch seconds (after inclusive, before exclusive)', () => {
    expect(search('after:2026/01/13')).toEqual(['receipt', 'sent']);
    expect(search('after:2026-01-13 before:2026/01/14')).toEqual(['receipt']);
    expect(search('before:2026/01/01')).toEqual(['old']);
    expect(search(`after:${Date.UTC(2026, 0, 12, 11) / 1000}`)).toEqual(['receipt', 'sent']);
    expect(search('older:2026/01/02 newer:2025/12/31')).toEqual(['newsletter']);
  });

  test('newer_than: / older_than: relative to the virtual clock (2026-01-15 08:00 UTC)', () => {
    expect(search('newer_than:2d')).toEqual(['receipt', 'sent']);
    expect(search('older_than:1y')).toEqual(['old']);
    expect(search('newer_than:1m')).toEqual(['invoice', 'newsletter', 'receipt', 'sent']);
    expect(search('older_than:10d')).toEqual(['old', 'newsletter'].sort());
  });

  test('larger: / smaller: / size: in bytes, K and M', () => {
    expect(search('larger:500')).toEqual(['receipt']);
    expect(search('smaller:0.5K')).toEqual(['invoice', 'newsletter', 'old', 'sent']);
    expect(search('larger:1M')).toEqual([]);
    expect(search('size:500')).toEqual(['receipt']);
  });

  test('rfc822msgid: with or without angle brackets', () => {
    expect(search('rfc822msgid:invoice@example.org')).toEqual(['invoice']);
    expect(search('rfc822msgid:<old@example.org>')).toEqual(['old']);
  });

  test('OR, -negation, parentheses, {} groups and explicit AND', () => {
    expect(search('from:paul@client.fr OR from:news@promo.example.com')).toEqual(['newsletter', 'old']);
    expect(search('facture -in:sent')).toEqual(['invoice']);
    expect(search('-facture')).toEqual(['newsletter', 'old', 'receipt']);
    expect(search('(facture OR offre) is:unread')).toEqual(['invoice', 'newsletter']);
    expect(search('{dossier offre}')).toEqual(['newsletter', 'old']);
    expect(search('-{dossier offre} -facture')).toEqual(['receipt']);
    expect(search('facture AND janvier')).toEqual(['invoice']);
    expect(search('-(is:unread OR in:sent)')).toEqual(['receipt']);
  });

  test('a hyphen inside a word is not a negation', () => {
    expect(search('INV-42')).toEqual(['invoice']);
  });
});

describe('search errors are clear, never a silent match-all', () => {
  const { search } = fixture();

  test.each([
    ['foo:bar', /Unknown search operator "foo:"/],
    ['is:snoozed', /Unknown value for "is:"/],
    ['in:nowhere', /Unknown value for "in:"/],
    ['has:drive', /Unknown value for "has:"/],
    ['after:13/01/2026', /Invalid date for "after:"/],
    ['newer_than:2w', /Invalid value for "newer_than:"/],
    ['larger:huge', /Invalid size for "larger:"/],
    ['(facture', /Missing "\)"/],
    ['facture)', /Unbalanced/],
    ['"facture', /Unterminated quoted phrase/],
    ['facture OR', /"OR" needs a term on both sides/],
    ['from: x', /Missing value after "from:"/],
  ])('%s', (query, message) => {
    expect(() => search(query)).toThrow(SearchSyntaxError);
    expect(() => search(query)).toThrow(message);
  });

  test('a word with a colon that is not an operator name (a time) is a word', () => {
    expect(search('10:30')).toEqual([]);
  });
});

describe('search through the views', () => {
  test('messages.list q= rejects an unknown operator with a 400 and lists newest first', () => {
    const { world, ids } = fixture();
    expect(() => world.globals.Gmail.Users.Messages.list('me', { q: 'foo:bar' })).toThrow(
      'API call to gmail.users.messages.list failed with error: Invalid search query: Unknown search operator "foo:" in query: foo:bar',
    );
    const list = world.globals.Gmail.Users.Messages.list('me', { q: 'facture' });
    expect(list.messages!.map((message) => message.id)).toEqual([ids.sent, ids.invoice]);
    const everything = world.globals.Gmail.Users.Messages.list('me', { q: 'facture', includeSpamTrash: true });
    expect(everything.messages!.map((message) => message.id)).toEqual([ids.sent, ids.spam, ids.trashed, ids.invoice]);
  });
});
