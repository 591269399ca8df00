// The environment the integration suite reads (test/integration/helpers.ts testServer()), the
// same whichever VS Code runs it: where the Zulip server is, the demo member's credentials, and
// where to write the results.
import type { ZulipServer } from '../../server/app';

export async function suiteEnvironment(zulip: ZulipServer, resultsFile: string): Promise<Record<string, string>> {
  return {
    ZULIP_TEST_SERVER: zulip.url.replace(/\/+$/, ''),
    ZULIP_TEST_EMAIL: zulip.demo.email,
    ZULIP_TEST_API_KEY: zulip.demo.apiKey,
    ZULIP_TEST_JWT: zulip.demo.jwt,
    // Signed with another key: well formed, refused by the server.
    ZULIP_TEST_BAD_JWT: await zulip.signJwt({ email: zulip.demo.email }, 'not-the-organization-key-0123456789'),
    ZULIP_TEST_RESULTS: resultsFile,
  };
}
