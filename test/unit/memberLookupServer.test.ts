// Member lookup against the repository's Zulip server, at two feature levels: what a real email
// finds depends on the server's version and on its owner's visibility setting.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { lookUpMember, lookupTargetOf, type LookupResult } from '../../src/model/memberLookup';
import { ZulipClient } from '../../src/zulip/client';

function clientFor(server: ZulipServer): ZulipClient {
  return new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey });
}

async function look(client: ZulipClient, query: string): Promise<LookupResult> {
  const target = lookupTargetOf(query);
  assert.ok(target, query);
  return lookUpMember(client, target, 'Zulip Dev');
}

function idOf(result: LookupResult): number | undefined {
  return result.ok ? result.user.user_id : undefined;
}

function messageOf(result: LookupResult): string {
  assert.equal(result.ok, false, 'the lookup should have been refused');
  return (result as { message: string }).message;
}

// King Hamlet (a member) asks. Shiva shows her address to members, Othello only to moderators.
describe('member lookup on a Zulip 10 server (feature level 372)', () => {
  let server: ZulipServer;
  let client: ZulipClient;
  before(async () => {
    server = await startZulipServer({ port: 0 });
    client = clientFor(server);
  });
  after(() => server.close());

  test('by id', async () => {
    assert.equal(idOf(await look(client, '9')), 9);
    assert.match(messageOf(await look(client, '99999')), /Zulip Dev has no member with user id 99999 that you may see \(the server said: "No such user"\)/);
  });

  test('by the user{id}@host form, whatever the visibility', async () => {
    assert.equal(idOf(await look(client, 'user9@zulip.testserver')), 9);
  });

  test('by a real email only where its owner lets the requester see it', async () => {
    assert.equal(idOf(await look(client, 'shiva@zulip.com')), 6);
    assert.match(messageOf(await look(client, 'othello@zulip.com')), /no member with the email othello@zulip\.com that you may see.*does not let you see it/);
  });
});

describe('member lookup on a Zulip 9 server (feature level 250)', () => {
  let server: ZulipServer;
  let client: ZulipClient;
  before(async () => {
    server = await startZulipServer({ port: 0, featureLevel: 250 });
    client = clientFor(server);
  });
  after(() => server.close());

  test('an address its owner shows everyone is the API email, and finds its member', async () => {
    assert.equal(idOf(await look(client, 'desdemona@zulip.com')), 5);
  });

  test('a real address hidden behind user{id}@host is not found, and the message says why', async () => {
    assert.match(messageOf(await look(client, 'shiva@zulip.com')), /Before Zulip 10\.0 \(feature level 302\).*this server is at 250/);
    assert.equal(idOf(await look(client, 'user6@zulip.testserver')), 6);
  });
});
