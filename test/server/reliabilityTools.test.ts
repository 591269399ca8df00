// The server's tools for reliability tests: the hostile corpus (option, CLI flag, control API),
// outages on the same address, the ledger of issued and presented secrets, request times.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { callControl } from '../../server/controlClient';
import { HOSTILE_FIELD_IDS, HOSTILE_NAMES, hostileInputs, payload } from '../../server/hostile';
import { basicAuth, call } from './helpers';
import type { ControlAnswer, EventsAnswer, GroupsAnswer, ProfileFieldsAnswer, RegisterAnswer, UsersAnswer } from './wire';

let server: ZulipServer;

before(async () => {
  server = await startZulipServer({ port: 0, longPollTimeoutSeconds: 5 });
});

after(async () => {
  await server.close();
});

function control<T extends object = ControlAnswer>(name: string, body: unknown = {}): Promise<T> {
  return callControl<T>(server.url, name, body);
}

describe('hostile corpus', () => {
  test('startZulipServer({hostileMembers: true}) serves every hostile name and field as given', async () => {
    const hostile = await startZulipServer({ port: 0, hostileMembers: true });
    try {
      const members = (await call<UsersAnswer>(hostile, 'GET', '/users', { query: { include_custom_profile_fields: true } })).json!.members;
      const names = new Set(members.map((m) => m.full_name));
      for (const input of HOSTILE_NAMES) assert.ok(names.has(input.text), `${input.id} is served`);
      assert.ok(members.some((m) => m.full_name.length === 10_000));
      const carrier = members.find((m) => m.full_name === HOSTILE_NAMES[0].text)!;
      assert.match(carrier.profile_data!['2'].rendered_value!, /<a href="javascript:/, 'rendered_value is passed through unsanitized');
      assert.equal(carrier.profile_data!['6'].value, `javascript:${payload('link-js')}`);
      const fields = (await call<ProfileFieldsAnswer>(hostile, 'GET', '/realm/profile_fields')).json!.custom_fields;
      const pattern = fields.find((f) => f.id === HOSTILE_FIELD_IDS.jsPattern)!;
      assert.match((JSON.parse(pattern.field_data) as { url_pattern: string }).url_pattern, /^javascript:/);
      const groups = (await call<GroupsAnswer>(hostile, 'GET', '/user_groups')).json!.user_groups;
      assert.ok(groups.some((g) => g.name.startsWith('Mallory <img')));
      const settings = (await call(hostile, 'GET', '/server_settings', { auth: null })).json!;
      assert.equal(settings.realm_name, 'Mallory Org [Sign out](command:zulip.signOut)');
    } finally {
      await hostile.close();
    }
  });

  test('every input is distinct and each script payload marks the page three ways', () => {
    const ids = hostileInputs().map((i) => i.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.length >= 25);
    assert.equal(payload('x'), "window.__zulipPwned='x';document.title='PWNED x';alert('PWNED x')");
  });

  test('the control API adds the corpus with events and takes it out again', async () => {
    const { queue_id } = (await call<RegisterAnswer>(server, 'POST', '/register', { form: { event_types: ['realm_user', 'custom_profile_fields'] } })).json!;
    const before = server.org.size;
    const added = await control<ControlAnswer & { members: unknown[] }>('hostile');
    assert.equal(added.members.length, HOSTILE_NAMES.length);
    assert.equal(server.org.size, before + HOSTILE_NAMES.length);
    const events = (await call<EventsAnswer>(server, 'GET', '/events', { query: { queue_id, last_event_id: -1, dont_block: true } })).json!.events;
    assert.equal(events.filter((e) => e.type === 'realm_user' && e.op === 'add').length, HOSTILE_NAMES.length);
    assert.ok(events.some((e) => e.type === 'custom_profile_fields'));
    assert.match(server.org.realm.name, /command:zulip\.signOut/);
    await control('hostile', { remove: true });
    assert.equal(server.org.size, before);
    assert.equal(server.org.realm.name, 'Zulip Dev');
    assert.ok(!server.org.profileFieldsForApi().some((f) => f.id === HOSTILE_FIELD_IDS.jsPattern));
  });

  test('the --hostile flag of the command line', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', '0', '--hostile'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const ready = await new Promise<{ url: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = /ZULIP_SERVER_READY (.*)\n/.exec(out);
          if (line) resolve(JSON.parse(line[1]) as { url: string });
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const state = (await (await fetch(`${ready.url}/__control/state`)).json()) as { members: number };
      assert.ok(state.members >= server.org.size + HOSTILE_NAMES.length);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

/** A request right after an outage: fetch may first try a kept-alive socket the outage cut. */
async function again<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch {
    return request();
  }
}

describe('outages', () => {
  test('outageStart cuts a waiting long-poll and refuses connections; outageEnd listens on the same address', async () => {
    const own = await startZulipServer({ port: 0, longPollTimeoutSeconds: 5 });
    try {
      const { queue_id } = (await call<RegisterAnswer>(own, 'POST', '/register', { form: { event_types: ['realm_user'] } })).json!;
      const waiting = call(own, 'GET', '/events', { query: { queue_id, last_event_id: -1 } }).then(
        () => 'answered',
        () => 'cut',
      );
      await new Promise((r) => setTimeout(r, 50));
      await own.outageStart();
      assert.equal(await waiting, 'cut');
      await assert.rejects(fetch(`${own.url}/api/v1/server_settings`), /fetch failed/);
      await own.outageEnd();
      assert.equal((await again(() => call(own, 'GET', '/server_settings', { auth: null }))).status, 200);
      // Queues survive unless dropped, as Zulip's do across a restart.
      const poll = await again(() => call(own, 'GET', '/events', { query: { queue_id, last_event_id: -1, dont_block: true } }));
      assert.equal(poll.status, 200);
      await own.outageStart({ dropQueues: true });
      await own.outageEnd();
      const gone = await again(() => call(own, 'GET', '/events', { query: { queue_id, last_event_id: -1, dont_block: true } }));
      assert.equal(gone.json!.code, 'BAD_EVENT_QUEUE_ID');
      await own.outageStart();
    } finally {
      await own.close();
    }
  });

  test('POST /__control/outage answers, goes away for the given time, and comes back', async () => {
    const answer = await control('outage', { seconds: 0.5 });
    assert.equal(answer.seconds, 0.5);
    await new Promise((r) => setTimeout(r, 250));
    await assert.rejects(fetch(`${server.url}/api/v1/server_settings`));
    const deadline = Date.now() + 5000;
    for (;;) {
      const ok = await fetch(`${server.url}/api/v1/server_settings`).then((r) => r.ok, () => false);
      if (ok) break;
      assert.ok(Date.now() < deadline, 'back within 5 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});

describe('secrets and request times', () => {
  test('the ledger holds every member key, the JWTs signed, and credentials presented, wrong ones too', async () => {
    const wrongKey = 'WrongKeyPresented000000000000000';
    await call(server, 'GET', '/users/me', { auth: null, headers: { Authorization: basicAuth({ email: server.demo.email, apiKey: wrongKey }) } });
    const badToken = await server.signJwt({ email: server.demo.email }, 'another-key-0123456789-0123456789');
    const posted = 'not.a.jwt-but-presented-as-one';
    await call(server, 'POST', '/jwt/fetch_api_key', { auth: null, form: { token: posted } });
    const secrets = new Set(server.secrets());
    assert.ok(secrets.has(server.demo.apiKey));
    assert.ok(secrets.has(server.demo.jwt));
    assert.ok(secrets.has(badToken));
    assert.ok(secrets.has(wrongKey));
    assert.ok(secrets.has(posted));
    for (const user of server.org.users.values()) assert.ok(secrets.has(user.api_key));
    assert.ok(![...secrets].some((s) => s.length < 16), 'no short strings that would match by chance');
  });

  test('each logged request has its arrival time', async () => {
    const before = Date.now();
    await call(server, 'GET', '/server_settings', { auth: null });
    const entry = server.requests[server.requests.length - 1];
    assert.ok(entry.at !== undefined && entry.at >= before && entry.at <= Date.now());
  });
});
