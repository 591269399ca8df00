// Privacy in the profile page: a member's rendered profile field holding images from other hosts
// (a tracking pixel, over http and https) must not make the browser ask those hosts for anything.
// A second listening server on 127.0.0.1 (another port than the Zulip server's) counts every
// connection made to it: a TLS handshake for the https image would be one too.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, test } from 'node:test';
import { addTrackingPixelMember, TRACKING_PIXEL_MEMBER_NAME } from '../../server/hostile';
import { trial } from '../reliability/outcomes';
import { type Environment, screenshot, startEnvironment } from './harness';
import { profileFrame, runCommand, signInWithApiKey } from './workbench';

/** How long the page has to make its requests once the profile shows. */
const SETTLE_MS = 3000;

let env: Environment;
let pixelHost: net.Server;
let connections = 0;

before(async () => {
  pixelHost = net.createServer((socket) => {
    connections++;
    socket.end('HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => pixelHost.listen(0, '127.0.0.1', resolve));
  const { port } = pixelHost.address() as net.AddressInfo;
  env = await startEnvironment({ members: 20 });
  addTrackingPixelMember(env.zulip.org, [`http://127.0.0.1:${port}/pixel`, `https://127.0.0.1:${port}/pixel`]);
});

after(async () => {
  await env?.close();
  await new Promise((resolve) => pixelHost?.close(resolve));
});

test("opening a profile whose field holds another host's images makes no request to that host", () =>
  trial('e2e-privacy', { kind: 'fault', name: 'foreign-image-host', layer: 'e2e' }, () =>
    env.capture('privacy-tracking-pixel', async (page) => {
      // The counting server answers: a request that got through would be counted.
      const probe = await fetch(`http://127.0.0.1:${(pixelHost.address() as net.AddressInfo).port}/probe`).then((r) => r.status);
      assert.equal(probe, 200);
      assert.equal(connections, 1);
      connections = 0;

      await signInWithApiKey(page, env);
      await page.locator('.part.sidebar').click({ position: { x: 40, y: 400 } }).catch(() => undefined);
      await runCommand(page, 'Zulip: Find Member…');
      const widget = page.locator('.quick-input-widget');
      await widget.locator('input.input').fill('mallory pixel');
      await widget.locator('.monaco-list-row.focused', { hasText: TRACKING_PIXEL_MEMBER_NAME }).first().waitFor();
      await page.keyboard.press('Enter');
      await profileFrame(page, { name: TRACKING_PIXEL_MEMBER_NAME });
      await page.waitForTimeout(SETTLE_MS);
      await screenshot(page, 'privacy-tracking-pixel-profile');
      assert.equal(connections, 0, 'no connection to the other host');
    }),
  ));
