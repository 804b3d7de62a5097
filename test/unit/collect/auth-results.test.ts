import { parseAuthenticationResults, pickAuthenticationResults } from '../../../src/server/domain/collect';
import { GMAIL_AUTH_PASS } from './fixtures';

describe('parseAuthenticationResults', () => {
  it("reads Gmail's header with comments and folded lines", () => {
    expect(parseAuthenticationResults(GMAIL_AUTH_PASS)).toEqual({
      authservId: 'mx.google.com',
      spf: 'pass',
      spfDomain: 'fournisseur.fr',
      dkim: 'pass',
      dkimDomains: ['fournisseur.fr'],
      dmarc: 'pass',
      dmarcDomain: 'fournisseur.fr',
    });
  });

  it('keeps every passing DKIM domain and reports a failure when none passes', () => {
    const many = parseAuthenticationResults(
      'mx.google.com; dkim=fail header.d=bad.com; dkim=pass header.d=Mailer.com; dkim=pass header.i=@sub.shop.fr; spf=softfail smtp.mailfrom=x.org',
    );
    expect(many).toMatchObject({
      dkim: 'pass',
      dkimDomains: ['mailer.com', 'sub.shop.fr'],
      spf: 'softfail',
      spfDomain: 'x.org',
      dmarc: 'none',
    });
    expect(parseAuthenticationResults('mx.google.com; dkim=neutral (body hash did not verify) header.i=@x.fr')).toMatchObject({
      dkim: 'neutral',
      dkimDomains: [],
    });
  });

  it('ignores ; and = inside comments', () => {
    const value = 'mx.google.com; spf=fail (google.com: domain of a@x.fr does not designate 1.2.3.4; see spf=pass) smtp.mailfrom=a@x.fr';
    expect(parseAuthenticationResults(value)).toMatchObject({ spf: 'fail', spfDomain: 'x.fr' });
  });

  it('reads unknown verdict words as unknown, absent methods as none', () => {
    expect(parseAuthenticationResults('mx.google.com; spf=weird smtp.helo=mail.x.fr')).toMatchObject({
      spf: 'unknown',
      spfDomain: 'mail.x.fr',
      dkim: 'none',
      dmarc: 'none',
    });
  });
});

describe('pickAuthenticationResults', () => {
  it('trusts only the topmost header stamped by mx.google.com, not one the sender wrote', () => {
    const forged = 'mx.google.com; spf=pass smtp.mailfrom=bank.fr; dkim=pass header.d=bank.fr; dmarc=pass header.from=bank.fr';
    const real = 'mx.google.com; spf=fail smtp.mailfrom=evil.com; dmarc=fail header.from=bank.fr';
    // Gmail prepends its own header above whatever came with the message.
    expect(pickAuthenticationResults(['other.example; spf=pass', real, forged])).toMatchObject({
      spf: 'fail',
      dmarc: 'fail',
      dkim: 'none',
    });
  });
  it('gives all none when Gmail stamped nothing', () => {
    expect(pickAuthenticationResults(['spoof.example; spf=pass smtp.mailfrom=a.fr'])).toMatchObject({
      authservId: '',
      spf: 'none',
      dkim: 'none',
      dmarc: 'none',
    });
  });
});
