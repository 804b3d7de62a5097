// The Advanced `Gmail` service (Gmail API v1 exposed to scripts) over the shared mailbox: Users.Messages
// list/get/modify/batchModify/send/trash, Users.Messages.Attachments.get, Users.Drafts
// create/get/list/send/remove, Users.Labels list/create, Users.History.list, Users.getProfile. Each method is one
// `ctx.call('Gmail.Users.X.y', …)` charged with its Gmail quota units; errors are thrown as Apps Script
// throws them: a GoogleJsonResponseException "API call to gmail.users.messages.get failed with error:
// Requested entity was not found." Byte fields (`raw`, `body.data`, attachment `data`) come back as
// Java byte arrays (signed numbers), as the Advanced service hands them to scripts; `raw` given to send
// may be a web-safe base64 string or a byte array, or the message may come as a message/rfc822 Blob.
// https://developers.google.com/apps-script/advanced/gmail

import type { ServiceContext, TransientFault } from '../runtime/execution';
import { asFakeBlob, fromScriptBytes, toSignedBytes } from '../services/blob';
import {
  GMAIL_UNITS,
  GmailApiError,
  GmailNetworkFault,
  transientGmailError,
  type GmailApiCore,
  type GmailMethod,
  type MessageResource,
} from './api-core';
import { fromBase64Url, type GmailPayload } from './mime';

/** What Apps Script throws when an Advanced service call fails. */
export class GoogleJsonResponseException extends Error {
  readonly details: { code: number; message: string; errors?: Array<{ message: string; domain: string; reason: string }> };
  constructor(
    api: string,
    readonly code: number,
    detail: string,
    errors?: Array<{ message: string; domain: string; reason: string }>,
  ) {
    super(`API call to ${api} failed with error: ${detail}`);
    this.name = 'GoogleJsonResponseException';
    this.details = errors ? { code, message: detail, errors } : { code, message: detail };
  }
}

/** Gmail's error as the Advanced service throws it (details.code, message and reasons). */
function exceptionOf(api: string, error: GmailApiError): GoogleJsonResponseException {
  return new GoogleJsonResponseException(api, error.code, error.message, error.toJson().error.errors);
}

type ScriptBytes = number[];

/** The Advanced service's view of a payload: body.data as a byte array. */
interface ScriptPayload extends Omit<GmailPayload, 'body' | 'parts'> {
  body: { size: number; data?: ScriptBytes; attachmentId?: string };
  parts?: ScriptPayload[];
}

interface ScriptMessage extends Omit<MessageResource, 'raw' | 'payload'> {
  raw?: ScriptBytes;
  payload?: ScriptPayload;
}

function base64ToScriptBytes(data: string): ScriptBytes {
  return toSignedBytes(fromBase64Url(data));
}

function toScriptPayload(payload: GmailPayload): ScriptPayload {
  const { body, parts, ...rest } = payload;
  const out: ScriptPayload = { ...rest, body: { size: body.size } };
  if (body.data !== undefined) out.body.data = base64ToScriptBytes(body.data);
  if (body.attachmentId !== undefined) out.body.attachmentId = body.attachmentId;
  if (parts) out.parts = parts.map(toScriptPayload);
  return out;
}

function toScriptMessage(message: MessageResource): ScriptMessage {
  const { raw, payload, ...rest } = message;
  const out: ScriptMessage = { ...rest };
  if (raw !== undefined) out.raw = base64ToScriptBytes(raw);
  if (payload !== undefined) out.payload = toScriptPayload(payload);
  return out;
}

/** `raw` as a script may pass it (web-safe base64 string or byte array), or a message/rfc822 Blob. */
function rawBytes(raw: unknown, mediaData: unknown, api: string): Uint8Array | null {
  const blob = mediaData === undefined ? null : asFakeBlob(mediaData);
  if (mediaData !== undefined && !blob) throw new GoogleJsonResponseException(api, 400, 'Invalid media data: a Blob is expected.');
  if (blob) return blob.rawBytes();
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'string') {
    try {
      return fromBase64Url(raw);
    } catch {
      throw new GoogleJsonResponseException(api, 400, "Invalid value for ByteString: the 'raw' field is not web-safe base64.");
    }
  }
  if (Array.isArray(raw) || raw instanceof Uint8Array) return fromScriptBytes(raw as number[]);
  throw new GoogleJsonResponseException(api, 400, "Invalid value for 'raw'.");
}

function asList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

type Options = Record<string, unknown> | undefined;

/** Members of the real collections (@types/google-apps-script apis/gmail_v1.d.ts) that we lack. */
const ADVANCED_MEMBERS: Record<string, string[]> = {
  'Gmail.Users': ['Drafts', 'History', 'Labels', 'Messages', 'Settings', 'Threads', 'getProfile', 'stop', 'watch'],
  'Gmail.Users.Messages': [
    'Attachments',
    'batchDelete',
    'batchModify',
    'get',
    'import',
    'insert',
    'list',
    'modify',
    'remove',
    'send',
    'trash',
    'untrash',
  ],
  'Gmail.Users.Drafts': ['create', 'get', 'list', 'remove', 'send', 'update'],
  'Gmail.Users.Labels': ['create', 'get', 'list', 'patch', 'remove', 'update'],
  'Gmail.Users.History': ['list'],
  'Gmail.Users.Settings': [
    'Cse',
    'Delegates',
    'Filters',
    'ForwardingAddresses',
    'SendAs',
    'getAutoForwarding',
    'getImap',
    'getLanguage',
    'getPop',
    'getVacation',
  ],
  'Gmail.Users.Settings.SendAs': ['create', 'delete', 'get', 'list', 'patch', 'update', 'verify', 'SmimeInfo'],
};

/** A real member we do not emulate throws "Not emulated: Gmail.Users.Threads" when touched. */
function withNotEmulated<T extends object>(target: T, path: string): T {
  const members = new Set(ADVANCED_MEMBERS[path]);
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'string' && !(property in object) && members.has(property)) {
        throw new Error(`Not emulated: ${path}.${property}`);
      }
      return Reflect.get(object, property, receiver);
    },
  });
}

export function createAdvancedGmail(deps: { core: GmailApiCore; ctx: ServiceContext }) {
  const { core, ctx } = deps;

  /** One Advanced service call: counted, timed, faultable, with Apps Script's error shape. */
  function invoke<T>(scriptMethod: string, apiMethod: GmailMethod, fn: () => T, id?: string): T {
    const api = `gmail.users.${apiMethod}`;
    const serverError = (): Error => new Error(`We're sorry, a server error occurred. Please wait a bit and try again.`);
    const onFault = (fault: TransientFault): never => {
      if (fault === 'network') throw serverError();
      throw exceptionOf(api, transientGmailError(fault));
    };
    return ctx.call(
      `Gmail.Users.${scriptMethod}`,
      () => {
        try {
          core.checkFault(apiMethod, id);
          return fn();
        } catch (error) {
          if (error instanceof GmailApiError) throw exceptionOf(api, error);
          if (error instanceof GmailNetworkFault) throw serverError();
          throw error;
        }
      },
      { gmailUnits: GMAIL_UNITS[apiMethod], faultable: true },
      onFault,
    );
  }

  const Attachments = {
    get(userId: string, messageId: string, id: string) {
      return invoke(
        'Messages.Attachments.get',
        'messages.attachments.get',
        () => {
          const body = core.getAttachment(userId, messageId, id);
          return { attachmentId: body.attachmentId, size: body.size, data: base64ToScriptBytes(body.data) };
        },
        messageId,
      );
    },
  };

  const Messages = {
    Attachments,
    list(userId: string, optionalArgs?: Options) {
      return invoke('Messages.list', 'messages.list', () =>
        core.listMessages(userId, {
          q: optionalArgs?.q === undefined ? undefined : String(optionalArgs.q),
          labelIds: asList(optionalArgs?.labelIds),
          maxResults: optionalArgs?.maxResults === undefined ? undefined : Number(optionalArgs.maxResults),
          pageToken: optionalArgs?.pageToken === undefined ? undefined : String(optionalArgs.pageToken),
          includeSpamTrash: Boolean(optionalArgs?.includeSpamTrash),
        }),
      );
    },
    get(userId: string, id: string, optionalArgs?: Options) {
      return invoke(
        'Messages.get',
        'messages.get',
        () =>
          toScriptMessage(
            core.getMessage(userId, id, {
              format: optionalArgs?.format === undefined ? undefined : String(optionalArgs.format),
              metadataHeaders: asList(optionalArgs?.metadataHeaders),
            }),
          ),
        id,
      );
    },
    modify(resource: { addLabelIds?: string[]; removeLabelIds?: string[] }, userId: string, id: string) {
      return invoke('Messages.modify', 'messages.modify', () => core.modifyMessage(userId, id, resource ?? {}), id);
    },
    batchModify(resource: { ids?: string[]; addLabelIds?: string[]; removeLabelIds?: string[] }, userId: string): void {
      invoke('Messages.batchModify', 'messages.batchModify', () => core.batchModify(userId, resource ?? {}));
    },
    send(resource: { raw?: unknown; threadId?: string }, userId: string, mediaData?: unknown) {
      return invoke('Messages.send', 'messages.send', () =>
        core.sendMessage(userId, rawBytes(resource?.raw, mediaData, 'gmail.users.messages.send'), resource?.threadId),
      );
    },
    trash(userId: string, id: string) {
      return invoke('Messages.trash', 'messages.trash', () => core.trashMessage(userId, id), id);
    },
  };

  const Drafts = {
    create(resource: { message?: { raw?: unknown; threadId?: string } }, userId: string, mediaData?: unknown) {
      return invoke('Drafts.create', 'drafts.create', () =>
        core.createDraft(userId, rawBytes(resource?.message?.raw, mediaData, 'gmail.users.drafts.create'), resource?.message?.threadId),
      );
    },
    get(userId: string, id: string, optionalArgs?: Options) {
      return invoke('Drafts.get', 'drafts.get', () => {
        const draft = core.getDraft(userId, id, { format: optionalArgs?.format === undefined ? undefined : String(optionalArgs.format) });
        return { id: draft.id, message: toScriptMessage(draft.message) };
      });
    },
    list(userId: string, optionalArgs?: Options) {
      return invoke('Drafts.list', 'drafts.list', () =>
        core.listDrafts(userId, {
          q: optionalArgs?.q === undefined ? undefined : String(optionalArgs.q),
          maxResults: optionalArgs?.maxResults === undefined ? undefined : Number(optionalArgs.maxResults),
          pageToken: optionalArgs?.pageToken === undefined ? undefined : String(optionalArgs.pageToken),
        }),
      );
    },
    send(resource: { id?: string }, userId: string) {
      return invoke('Drafts.send', 'drafts.send', () => core.sendDraft(userId, resource ?? {}));
    },
    /** The Advanced service names drafts.delete `remove` (delete is a reserved word). */
    remove(userId: string, id: string): void {
      invoke('Drafts.remove', 'drafts.delete', () => core.deleteDraft(userId, id));
    },
  };

  const Labels = {
    list(userId: string) {
      return invoke('Labels.list', 'labels.list', () => core.listLabels(userId));
    },
    create(resource: { name?: string; messageListVisibility?: string; labelListVisibility?: string }, userId: string) {
      return invoke('Labels.create', 'labels.create', () => core.createLabel(userId, resource ?? {}));
    },
  };

  const History = {
    list(userId: string, optionalArgs?: Options) {
      return invoke('History.list', 'history.list', () =>
        core.listHistory(userId, {
          startHistoryId: optionalArgs?.startHistoryId === undefined ? undefined : String(optionalArgs.startHistoryId),
          historyTypes: asList(optionalArgs?.historyTypes),
          labelId: optionalArgs?.labelId === undefined ? undefined : String(optionalArgs.labelId),
          maxResults: optionalArgs?.maxResults === undefined ? undefined : Number(optionalArgs.maxResults),
          pageToken: optionalArgs?.pageToken === undefined ? undefined : String(optionalArgs.pageToken),
        }),
      );
    },
  };

  const SendAs = {
    list(userId: string) {
      return invoke('Settings.SendAs.list', 'settings.sendAs.list', () => core.listSendAs(userId));
    },
    get(userId: string, sendAsEmail: string) {
      return invoke('Settings.SendAs.get', 'settings.sendAs.get', () => core.getSendAs(userId, sendAsEmail));
    },
  };

  const Users = {
    History: withNotEmulated(History, 'Gmail.Users.History'),
    Settings: withNotEmulated({ SendAs: withNotEmulated(SendAs, 'Gmail.Users.Settings.SendAs') }, 'Gmail.Users.Settings'),
    Messages: withNotEmulated(Messages, 'Gmail.Users.Messages'),
    Drafts: withNotEmulated(Drafts, 'Gmail.Users.Drafts'),
    Labels: withNotEmulated(Labels, 'Gmail.Users.Labels'),
    getProfile(userId: string) {
      return invoke('getProfile', 'getProfile', () => core.getProfile(userId));
    },
  };

  return { Users: withNotEmulated(Users, 'Gmail.Users') };
}

export type AdvancedGmail = ReturnType<typeof createAdvancedGmail>;
