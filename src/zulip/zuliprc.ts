// zuliprc files, as Zulip's web app downloads them and the official clients read them.
import * as l10n from '@vscode/l10n';
import { parse } from 'ini';
import { normalizeSite } from './site';

export interface Zuliprc {
  site: string;
  email: string;
  apiKey: string;
  /** Extra CA bundle for self-hosted servers (path as written in the file). */
  certBundle?: string;
  /** `insecure=true`: the file asks to skip TLS checks. We never do, but we say so. */
  insecure?: boolean;
}

/** What went wrong reading a zuliprc, for people. */
export class ZuliprcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZuliprcError';
  }
}

/**
 * Reads the [api] section of a zuliprc. `source` names the file in messages. Throws ZuliprcError
 * saying which keys are missing or wrong; the message never repeats the key itself.
 */
export function parseZuliprc(text: string, source = l10n.t('the zuliprc file')): Zuliprc {
  let data: Record<string, unknown>;
  try {
    data = parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ZuliprcError(l10n.t('{0} could not be read as an INI file: {1}', source, (error as Error).message));
  }
  const api = data.api;
  if (!api || typeof api !== 'object') {
    throw new ZuliprcError(l10n.t('{0} has no [api] section. Download a zuliprc from Zulip (Personal settings → Account & privacy → API key) and try again.', source));
  }
  const section = api as Record<string, unknown>;
  const value = (key: string): string | undefined => {
    const v = section[key];
    if (typeof v === 'string') return v.trim().replace(/^(["'])(.*)\1$/, '$2').trim() || undefined;
    if (typeof v === 'boolean') return String(v);
    return undefined;
  };
  const missing = ['email', 'key', 'site'].filter((key) => !value(key));
  if (missing.length) {
    throw new ZuliprcError(l10n.t('{0} is missing {1} in its [api] section.', source, missing.map((k) => `"${k}"`).join(', ')));
  }
  let site: string;
  try {
    site = normalizeSite(value('site')!);
  } catch (error) {
    throw new ZuliprcError(l10n.t('{0} has an unusable site: {1}', source, (error as Error).message));
  }
  const apiKey = value('key')!;
  if (!isPlausibleApiKey(apiKey)) {
    throw new ZuliprcError(l10n.t('{0} has a "key" that is not a Zulip API key (32 letters and digits).', source));
  }
  const insecure = value('insecure');
  return {
    site,
    email: value('email')!,
    apiKey,
    certBundle: value('cert_bundle'),
    insecure: insecure === undefined ? undefined : insecure.toLowerCase() === 'true',
  };
}

/** Zulip API keys are 32 letters and digits. */
export function isPlausibleApiKey(key: string): boolean {
  return /^[A-Za-z0-9]{32}$/.test(key);
}
