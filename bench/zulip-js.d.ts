// zulip-js ships no types; the benchmark uses only this much of it.
declare module 'zulip-js' {
  interface ZulipJsConfig {
    username: string;
    apiKey: string;
    realm: string;
  }
  interface ZulipJsClient {
    users: {
      retrieve(params?: Record<string, string | number | boolean>): Promise<{ result: string; msg: string; members?: unknown[] }>;
    };
  }
  function zulipInit(config: ZulipJsConfig): Promise<ZulipJsClient>;
  export = zulipInit;
}
