// Session: who runs the script (active and effective user), their locale, the script's time zone and
// the temporary active-user key. getActiveUser().getEmail() is '' when the platform withholds it
// (consumer accounts outside the owner's domain), which the emulator can reproduce with activeUserEmail ''.
// https://developers.google.com/apps-script/reference/base/session

import { createHash } from 'node:crypto';
import type { ServiceContext } from '../runtime/execution';
import { withNotEmulated } from './fake-support';

export interface SessionOptions {
  activeUserEmail?: string;
  effectiveUserEmail?: string;
  /** Apps Script locale tag, e.g. 'fr' or 'en_US'. */
  locale?: string;
  scriptTimeZone?: string;
}

class FakeUser implements Pick<GoogleAppsScript.Base.User, 'getEmail'> {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly email: string,
  ) {}
  getEmail(): string {
    return this.ctx.call('Session.User.getEmail', () => this.email);
  }
}

export class FakeSession implements Pick<
  GoogleAppsScript.Base.Session,
  'getActiveUser' | 'getEffectiveUser' | 'getActiveUserLocale' | 'getScriptTimeZone' | 'getTemporaryActiveUserKey'
> {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: SessionOptions = {},
  ) {}

  private get effective(): string {
    return this.options.effectiveUserEmail ?? this.options.activeUserEmail ?? 'user@example.com';
  }

  getActiveUser(): GoogleAppsScript.Base.User {
    return this.ctx.call(
      'Session.getActiveUser',
      () =>
        withNotEmulated(
          new FakeUser(this.ctx, this.options.activeUserEmail ?? this.effective),
          'Session.User',
        ) as unknown as GoogleAppsScript.Base.User,
    );
  }
  getEffectiveUser(): GoogleAppsScript.Base.User {
    return this.ctx.call(
      'Session.getEffectiveUser',
      () => withNotEmulated(new FakeUser(this.ctx, this.effective), 'Session.User') as unknown as GoogleAppsScript.Base.User,
    );
  }
  getActiveUserLocale(): string {
    return this.ctx.call('Session.getActiveUserLocale', () => this.options.locale ?? 'en');
  }
  getScriptTimeZone(): string {
    return this.ctx.call('Session.getScriptTimeZone', () => this.options.scriptTimeZone ?? 'Europe/Paris');
  }
  /** A stable opaque key per user (the platform rotates it every 30 days). */
  getTemporaryActiveUserKey(): string {
    return this.ctx.call('Session.getTemporaryActiveUserKey', () =>
      createHash('sha256').update(`temporary-key:${this.effective}`).digest('base64url').slice(0, 43),
    );
  }
}

/** Session for the sandbox. */
export function createSession(ctx: ServiceContext, options: SessionOptions = {}): GoogleAppsScript.Base.Session {
  return withNotEmulated(new FakeSession(ctx, options), 'Session') as unknown as GoogleAppsScript.Base.Session;
}
