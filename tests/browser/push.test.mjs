// Push notifications (issue 15, point 4), in Chromium: scripts/run.sh serves a fresh RUN_DIR
// (SQLite). A member of the food group (no right of the module) opens the subscribe page: it
// registers the service worker (/p/massmailing/assets/push-sw.js) and, on the button, asks for the
// permission (granted by the browser context) and subscribes with the host's VAPID key. A browser
// here reaches no real push service, so the subscriptions the page posts are then made by the push
// service stand-in (tests/push/push_service.py, on loopback, which keeps their private keys): one
// that answers 201, one that answers 410. The member's test notification is sent by the host to
// both: the stand-in decrypts it (RFC 8291) and checks the VAPID token; the 410 removes that
// device. The decrypted message is then delivered to the service worker through the DevTools
// protocol (ServiceWorker.deliverPushMessage), which shows the notification with its title and
// text (registration.getNotifications(), and what the worker tells the page). Screenshots:
// tests/browser/screenshots/push-*.png.
//
//   node tests/browser/push.test.mjs     (scripts/test.sh runs it after npm ci)

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, log, onCleanup, logIn, logOut, submit } from './lib.mjs';

const MODULE = 'massmailing';
const MEMBER = { login: 'membre', password: 'membre-mot-de-passe' };
const COORDINATOR = { login: 'coordinatrice', password: 'coordinatrice-mot-de-passe' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, fn, timeoutMs = 15000) {
    const until = Date.now() + timeoutMs;
    let last;
    for (;;) {
        last = await fn();
        if (last) return last;
        if (Date.now() > until) check(false, what, last);
        await sleep(100);
    }
}

/** tests/push/push_service.py on 127.0.0.1, checking VAPID tokens against the host's key. */
async function startPushService(vapidKey) {
    const folder = mkdtempSync(path.join(process.env.CRMHOST_TEST_TMP || tmpdir(), 'push-service-'));
    const child = spawn('/usr/bin/python3', [path.join(REPO_ROOT, 'tests/push/push_service.py'), folder, vapidKey], { stdio: 'inherit' });
    onCleanup(async () => {
        child.kill('SIGKILL');
        rmSync(folder, { recursive: true, force: true });
    });
    const portFile = path.join(folder, 'port');
    await waitFor('push_service.py to listen', () => existsSync(portFile));
    const url = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
    return {
        url,
        async subscribe(mode) {
            const res = await fetch(`${url}/subscribe?mode=${mode}`, { method: 'POST' });
            return res.json();
        },
        received() {
            const dir = path.join(folder, 'received');
            if (!existsSync(dir)) return [];
            return readdirSync(dir)
                .filter((f) => f.endsWith('.json'))
                .sort()
                .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
        },
    };
}

runTest('push', async (t) => {
    // The stand-in listens on 127.0.0.1 over http: allowed by the setting, off by default.
    const server = await t.step('scripts/run.sh serves', () => startServer({ config: { 'massmailing.push.allow_loopback': 'true' } }));
    t.server = server;
    const { baseUrl } = server;
    const food = await t.step('find the demo food group (crmhost group list)', () => foodGroup(server));
    const pushPage = `${baseUrl}/g/${food.id}/${MODULE}/push`;

    await t.step(`enable ${MODULE} for ${food.name} and add a member without any right (crmhost)`, async () => {
        await crmhost(server, 'module', 'enable', MODULE, '--group', food.id);
        await crmhost(server, 'user', 'add', '--login', MEMBER.login, '--password', MEMBER.password, '--group', food.id);
    });

    const { context, page } = await t.step('launch chromium, notifications allowed for the host', async () => {
        const launched = await launchBrowser();
        await launched.context.grantPermissions(['notifications'], { origin: baseUrl });
        return launched;
    });
    t.page = page;

    const cdp = await context.newCDPSession(page);
    const registrations = new Map();
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: updated }) => {
        for (const r of updated) registrations.set(r.registrationId, r);
    });
    await cdp.send('ServiceWorker.enable');

    await t.step('the member logs in and opens the subscribe page: the service worker is registered', async () => {
        await logIn(page, baseUrl, MEMBER);
        await page.goto(pushPage);
        await page.waitForSelector('#push[data-registered="true"]');
        checkEqual(await page.textContent('#device-count'), '0', 'the devices before subscribing');
        const scope = await page.evaluate(async () => {
            const registration = await navigator.serviceWorker.getRegistration('/p/massmailing/assets/');
            return registration && registration.active ? registration.scope : null;
        });
        checkEqual(scope, `${baseUrl}/p/massmailing/assets/`, 'the active service worker\'s scope');
        const worker = await fetch(`${baseUrl}/p/massmailing/assets/push-sw.js`);
        check(worker.headers.get('content-type').startsWith('text/javascript'), 'the worker served as JavaScript', worker.headers.get('content-type'));
    });

    await t.step('the subscribe button asks for the permission (granted) and subscribes', async () => {
        check((await page.evaluate(() => Notification.permission)) !== 'denied', 'the permission not denied before asking', 'denied');
        await page.click('#push-subscribe');
        // Debian's Chromium reaches no push service: the subscription fails after the permission.
        const state = await waitFor('the page to say how the subscription went', () =>
            page.evaluate(() => {
                const s = document.getElementById('push')?.dataset.state;
                return s && s !== 'asking' ? s : null;
            }).catch(() => 'subscribed'), 30000);
        log(`the page says: ${state} (${await page.textContent('#push-status').catch(() => '')})`);
        checkEqual(await page.evaluate(() => Notification.permission), 'granted', 'the permission after the button');
        check(['unreachable', 'subscribed'].includes(state), 'the subscription made, or the push service unreachable', state);
        await screenshot(page, 'push-subscribe');
    });

    const vapidKey = await page.getAttribute('#push', 'data-key');
    const service = await t.step('start the push service stand-in with the host\'s VAPID public key', () => startPushService(vapidKey));

    await t.step('the page posts two subscriptions made by the stand-in (201 and 410)', async () => {
        for (const mode of ['ok', 'gone']) {
            const subscription = await service.subscribe(mode);
            const status = await page.evaluate(async (s) => {
                const root = document.getElementById('push');
                const form = new URLSearchParams();
                form.set('subscription', JSON.stringify(s));
                const res = await fetch(root.dataset.action, { method: 'POST', headers: { 'X-CSRF-Token': root.dataset.csrf }, body: form });
                return res.status;
            }, subscription);
            checkEqual(status, 201, `the answer to the ${mode} subscription`);
        }
        // Refused: a subscription whose key is no point of the curve names the field.
        const refused = await page.evaluate(async () => {
            const root = document.getElementById('push');
            const form = new URLSearchParams();
            form.set('subscription', JSON.stringify({ endpoint: 'https://push.example.net/x', keys: { p256dh: 'BAAA', auth: 'AAAAAAAAAAAAAAAAAAAAAA' } }));
            const res = await fetch(root.dataset.action, { method: 'POST', headers: { 'X-CSRF-Token': root.dataset.csrf }, body: form });
            return { status: res.status, body: await res.json() };
        });
        checkEqual(refused.status, 422, 'the answer to a bad key');
        checkEqual(refused.body.error.field, 'p256dh', 'the field named');
        await page.goto(pushPage);
        checkEqual(await page.textContent('#device-count'), '2', 'the member\'s devices');
    });

    await t.step('the test notification goes to both: decrypted and authorised at the stand-in; the 410 device is removed', async () => {
        await submit(page, '#push-test');
        const notice = await page.textContent('#notice');
        check(notice.includes('1'), 'the notice to say one device received it', notice);
        checkEqual(await page.textContent('#device-count'), '1', 'the devices left after the 410');
        const received = service.received();
        checkEqual(received.length, 2, 'the messages the stand-in received');
        for (const message of received) {
            checkEqual(message.decrypt_error, '', 'no decryption error');
            checkEqual(message.vapid_error, '', 'no VAPID error');
            checkEqual(message.content_encoding, 'aes128gcm', 'the Content-Encoding');
            check(Number(message.ttl) > 0, 'a TTL', message.ttl);
            checkEqual(message.urgency, 'normal', 'the Urgency');
        }
        checkEqual(received.map((m) => m.status).sort().join(','), '201,410', 'the stand-in\'s answers');
        await screenshot(page, 'push-devices');
    });

    await t.step('the decrypted message, delivered to the service worker (DevTools protocol), shows the notification', async () => {
        const plaintext = service.received().find((m) => m.status === 201).plaintext;
        const message = JSON.parse(plaintext);
        checkEqual(message.title, 'Test notification', 'the decrypted title');
        const registration = await waitFor('the worker\'s registration in the DevTools protocol', () =>
            [...registrations.values()].find((r) => r.scopeURL === `${baseUrl}/p/massmailing/assets/` && !r.isDeleted));
        await page.goto(pushPage);
        await cdp.send('ServiceWorker.deliverPushMessage', { origin: baseUrl, registrationId: registration.registrationId, data: plaintext });
        const shown = await waitFor('the notification shown', () =>
            page.evaluate(async () => {
                const r = await navigator.serviceWorker.getRegistration('/p/massmailing/assets/');
                const list = await r.getNotifications();
                return list.length ? list.map((n) => ({ title: n.title, body: n.body, url: n.data && n.data.url })) : null;
            }));
        checkEqual(shown.length, 1, 'the notifications shown');
        checkEqual(shown[0].title, message.title, 'the notification\'s title');
        checkEqual(shown[0].body, message.body, 'the notification\'s text');
        await page.waitForSelector('#push-shown[data-title]');
        checkEqual(await page.getAttribute('#push-shown', 'data-title'), message.title, 'what the worker told the page');
        await screenshot(page, 'push-shown');
    });

    await t.step('a coordinator (compose) opens the member\'s devices from the host\'s member screen', async () => {
        // The member's person, made by `user add`, gets an address: the member screen links by it.
        execFileSync('sqlite3', [path.join(server.runDir, 'data', 'crmhost.db'),
            "UPDATE people SET email = 'membre@example.org', last_name = 'Abeille' WHERE first_name = 'membre'"]);
        await crmhost(server, 'user', 'add', '--login', COORDINATOR.login, '--password', COORDINATOR.password, '--group', food.id, '--right', 'massmailing.compose');
        await logOut(page);
        await logIn(page, baseUrl, COORDINATOR);
        await page.goto(`${baseUrl}/g/${food.id}/members`);
        const link = page.locator('a.member-link[href*="push?email=membre%40example.org"]');
        checkEqual(await link.count(), 1, 'the "Push devices" link beside the member');
        await submit(page, 'a.member-link[href*="push?email=membre%40example.org"]');
        check((await page.textContent('#staff-view')).includes('membre@example.org'), 'the page to name the member', await page.textContent('main'));
        checkEqual(await page.textContent('#device-count'), '1', 'the member\'s devices, seen by the coordinator');
        checkEqual(await page.locator('#push-subscribe').count(), 0, 'no subscribe button on another person\'s page');
        await screenshot(page, 'push-member-devices');
    });
});
