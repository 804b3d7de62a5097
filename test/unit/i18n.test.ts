import { pickLocale, translate } from '../../src/server/domain/i18n';

describe('pickLocale', () => {
  it.each([
    ['fr', 'fr'],
    ['fr_FR', 'fr'],
    ['fr-CA', 'fr'],
    ['FR', 'fr'],
    ['en', 'en'],
    ['en_GB', 'en'],
    ['', 'en'],
    [undefined, 'en'],
    ['frisian', 'en'],
  ])('%s -> %s', (tag, expected) => {
    expect(pickLocale(tag)).toBe(expected);
  });
});

describe('translate', () => {
  it('speaks both languages and fills parameters', () => {
    expect(translate('fr', 'status.error', { message: 'délai' })).toBe('Impossible de joindre le serveur : délai');
    expect(translate('en', 'status.error', { message: 'timeout' })).toBe('Could not reach the server: timeout');
  });
  it('leaves an unknown parameter visible rather than blank', () => {
    expect(translate('en', 'status.error')).toBe('Could not reach the server: {message}');
  });
});
