// Command line: tsx server/main.ts [--port 9991] [--host 127.0.0.1] [--members N] [--seed S]
//   [--jwt-key KEY] [--feature-level L] [--realm-name NAME] [--validate-contract] [--hostile]
//   [--groups N] [--status-share F] [--demo-activity [--demo-activity-seconds S]] [--guests-restricted]
// Prints the demo credentials, then one machine-readable line:
//   ZULIP_SERVER_READY {"url":...,"email":...,"apiKey":...,"jwt":...}
import { parseArgs } from 'node:util';
import { startZulipServer, type ZulipServerOptions } from './app';

const USAGE = `Usage: tsx server/main.ts [--port 9991] [--host 127.0.0.1] [--members N] [--seed S] [--jwt-key KEY]
       [--feature-level 372] [--realm-name NAME] [--long-poll-timeout SECONDS] [--validate-contract] [--hostile]
       [--groups N] [--status-share 0.33] [--demo-activity] [--demo-activity-seconds 20] [--guests-restricted]`;

function integerOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`--${name} must be a non-negative integer, not ${value}`);
  return number;
}

function shareOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const share = Number(value);
  if (!(share >= 0 && share <= 1)) throw new Error(`--status-share must be a number from 0 to 1, not ${value}`);
  return share;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9991' },
      host: { type: 'string', default: '127.0.0.1' },
      members: { type: 'string', default: '0' },
      seed: { type: 'string' },
      'jwt-key': { type: 'string' },
      'feature-level': { type: 'string' },
      'realm-name': { type: 'string' },
      'long-poll-timeout': { type: 'string' },
      'validate-contract': { type: 'boolean', default: false },
      hostile: { type: 'boolean', default: false },
      groups: { type: 'string' },
      'status-share': { type: 'string' },
      'demo-activity': { type: 'boolean', default: false },
      'demo-activity-seconds': { type: 'string' },
      'guests-restricted': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const options: ZulipServerOptions = {
    port: integerOption(values.port, 'port'),
    host: values.host,
    generatedMembers: integerOption(values.members, 'members'),
    seed: values.seed,
    jwtKey: values['jwt-key'],
    featureLevel: integerOption(values['feature-level'], 'feature-level'),
    realmName: values['realm-name'],
    longPollTimeoutSeconds: values['long-poll-timeout'] === undefined ? undefined : Number(values['long-poll-timeout']),
    validateContract: values['validate-contract'],
    hostileMembers: values.hostile,
    generatedGroups: integerOption(values.groups, 'groups'),
    generatedStatusShare: shareOption(values['status-share']),
    demoActivity: values['demo-activity'],
    demoActivitySeconds: values['demo-activity-seconds'] === undefined ? undefined : Number(values['demo-activity-seconds']),
    guestsRestricted: values['guests-restricted'],
  };
  const server = await startZulipServer(options);
  const { realm } = server.org;
  console.log(`Zulip test server: "${realm.name}", Zulip ${realm.zulipVersion} (feature level ${realm.featureLevel}), ${server.org.size} members`);
  console.log(`  Site:     ${server.url}`);
  console.log(`  Email:    ${server.demo.email}`);
  console.log(`  API key:  ${server.demo.apiKey}`);
  console.log(`  JWT:      ${server.demo.jwt}`);
  console.log(`  Control:  ${server.url}/__control/state`);
  console.log(`ZULIP_SERVER_READY ${JSON.stringify({ url: server.url, email: server.demo.email, apiKey: server.demo.apiKey, jwt: server.demo.jwt })}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (options.validateContract) {
    process.on('exit', () => {
      if (server.contractViolations.length) console.error(`Contract violations:\n${server.contractViolations.join('\n')}`);
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(2);
});
