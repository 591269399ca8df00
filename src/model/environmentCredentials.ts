// Credentials from the environment, as Zulip's official Python client reads them: ZULIP_CONFIG
// names a zuliprc; ZULIP_SITE, ZULIP_EMAIL and ZULIP_API_KEY override its values.
import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import { normalizeSite } from '../zulip/site';
import { parseZuliprc, type Zuliprc } from '../zulip/zuliprc';

export interface EnvironmentCredentials {
  site: string;
  email: string;
  apiKey: string;
  /** Where they came from, for the offer's wording. */
  source: string;
}

/** Undefined when the environment names no credentials; throws when it names unusable ones. */
export async function readEnvironmentCredentials(env: NodeJS.ProcessEnv): Promise<EnvironmentCredentials | undefined> {
  const configPath = env.ZULIP_CONFIG?.trim();
  const { ZULIP_SITE: site, ZULIP_EMAIL: email, ZULIP_API_KEY: apiKey } = env;
  if (!configPath && !(site && email && apiKey)) return undefined;
  let fromFile: Partial<Zuliprc> = {};
  if (configPath) {
    const text = await readFile(configPath, 'utf8').catch((error: Error) => {
      throw new Error(l10n.t('ZULIP_CONFIG names {0}, which could not be read: {1}', configPath, error.message));
    });
    fromFile = parseZuliprc(text, configPath);
  }
  const merged = {
    site: site?.trim() || fromFile.site,
    email: email?.trim() || fromFile.email,
    apiKey: apiKey?.trim() || fromFile.apiKey,
  };
  if (!merged.site || !merged.email || !merged.apiKey) return undefined;
  const source = configPath && !(site && email && apiKey) ? configPath : 'ZULIP_SITE, ZULIP_EMAIL and ZULIP_API_KEY';
  return { site: normalizeSite(merged.site), email: merged.email, apiKey: merged.apiKey, source };
}
