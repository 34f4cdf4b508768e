// Opens and clicks from a real browser (R3): scripts/run.sh serves a fresh RUN_DIR (outbox
// transport) with a machine window of 8 seconds (massmailing.tracking.machine_seconds). A campaign
// whose message links to a page of this test's own little web site is sent to two addresses. At
// once, Chromium shows the first one's message (its HTML as the outbox screen reads it, in a page of
// its own as a mail program shows it): its image loads seconds after delivery, a machine's open.
// Past the window, Chromium shows the second one's message the same way and clicks the link: it lands on the linked page, through the
// module's redirect. A HEAD request to that link (a link scanner) follows. The database then says:
// opened by 1 person, clicked by 1 person, the HEAD and the early open counted as machine.
// Screenshots: tests/browser/screenshots/tracking-*.png.
//
//   node tests/browser/tracking.test.mjs     (scripts/test.sh runs it after npm ci)

import http from 'node:http';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, freePort, log } from './lib.mjs';

const MODULE = 'massmailing';
const MACHINE_SECONDS = 8;
const EARLY = 'prompt@example.net';
const READER = 'reader@example.net';

const PERSON_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A web site of its own: the page the message links to. */
async function startLandingSite() {
    const port = await freePort();
    const hits = [];
    const server = http.createServer((req, res) => {
        hits.push(`${req.method} ${req.url}`);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html lang="en"><title>Basket news</title><h1 id="landing">The baskets of the week</h1></html>');
    });
    await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(r)) };
}

/** One value of the run's SQLite database, through Debian's Python (its sqlite3 module). */
async function sql(server, query) {
    const file = path.join(server.runDir, 'data', 'crmhost.db');
    const script = 'import sqlite3, sys, json\nc = sqlite3.connect(sys.argv[1], timeout=10)\nprint(json.dumps(c.execute(sys.argv[2]).fetchall()))';
    const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', script, file, query]);
    return JSON.parse(stdout);
}

async function api(server, token, method, route, body) {
    const res = await fetch(`${server.baseUrl}/api/v1/${MODULE}/${route}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    check(res.status < 300, `${method} ${route} to succeed`, `HTTP ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
}

/** Opens the outbox message sent to this address; the message's HTML as the outbox shows it. */
async function outboxHtml(page, home, address) {
    await page.goto(`${home}outbox`);
    const row = page.locator('#outbox tr[data-message]', { hasText: address });
    check((await row.count()) === 1, `one outbox message to ${address}`, await page.locator('main').innerText());
    await Promise.all([page.waitForNavigation(), row.locator('a').first().click()]);
    return page.locator('#message-html').getAttribute('srcdoc');
}

/** The message shown as a mail program shows it (the outbox's frame is sandboxed and loads no image). */
async function showMessage(context, html) {
    const reader = await context.newPage();
    const image = reader.waitForResponse((res) => res.url().includes(`/p/${MODULE}/o/`), { timeout: 10000 });
    await reader.setContent(html, { waitUntil: 'load' });
    const loaded = await image; // the message's 1x1 image
    checkEqual(loaded.headers()['content-type'], 'image/gif', 'the type of the open image');
    return reader;
}

runTest('tracking', async (t) => {
    const landing = await startLandingSite();
    const server = await t.step(`scripts/run.sh serves, machine window ${MACHINE_SECONDS} s`, () =>
        startServer({ config: { 'massmailing.tracking.machine_seconds': String(MACHINE_SECONDS) } }),
    );
    t.server = server;
    const { baseUrl } = server;
    const food = await t.step('find the demo food group (crmhost group list)', () => foodGroup(server));
    const home = `${baseUrl}/g/${food.id}/${MODULE}/`;
    const linked = `${landing.url}/news?week=12&amp;from=mail`;

    const token = await t.step(`enable ${MODULE} for ${food.name}, and an API token`, async () => {
        await crmhost(server, 'module', 'enable', MODULE, '--group', food.id);
        return (await crmhost(server, 'user', 'token', '--login', server.login)).trim();
    });

    const { page, context } = await t.step('launch chromium and log in', async () => {
        // A person's Chromium: headless Chromium names itself HeadlessChrome, which scanners do too.
        const b = await launchBrowser({ userAgent: PERSON_AGENT });
        await b.page.goto(`${baseUrl}/login`);
        await b.page.fill('#login', server.login);
        await b.page.fill('#password', server.password);
        await Promise.all([b.page.waitForNavigation(), b.page.click('button[type=submit]')]);
        return b;
    });
    t.page = page;

    const campaign = await t.step('a campaign with a link, sent to two addresses', async () => {
        const { id } = await api(server, token, 'POST', 'campaigns', {
            group: Number(food.id), channel: 'email', recipient_type: 'members', name: 'Tracked news',
            sender_name: 'AMAP', sender_email: 'paniers@example.org', subject: 'The baskets of the week',
            html: `<p>Hello,</p><p><a href="${linked}">Read the basket news</a></p>`, dedupe: 'address',
        });
        const shown = await api(server, token, 'GET', `campaigns/${id}`);
        checkEqual(shown.tracking, true, 'the campaign\'s tracking switch by default');
        await api(server, token, 'POST', `campaigns/${id}/audience?wait=true`, { addresses: [EARLY, READER] });
        await api(server, token, 'POST', `campaigns/${id}/schedule`, { at: null });
        await crmhost(server, 'task', 'run', 'massmailing.send', '--until-idle');
        return id;
    });
    const sentAt = Date.now();

    await t.step(`right after delivery, ${EARLY}'s message is shown: its image loads (a machine's open)`, async () => {
        const early = await showMessage(context, await outboxHtml(page, home, EARLY));
        check(Date.now() - sentAt < MACHINE_SECONDS * 1000, `the image loaded within ${MACHINE_SECONDS} s of sending`, `${Date.now() - sentAt} ms`);
        await screenshot(early, 'tracking-1-early-message');
        await early.close();
    });

    const html = await t.step(`past the window, ${READER}'s message in the outbox`, async () => {
        await sleep(Math.max(0, MACHINE_SECONDS * 1000 + 1000 - (Date.now() - sentAt)));
        const srcdoc = await outboxHtml(page, home, READER);
        check(srcdoc.includes(`${baseUrl}/p/${MODULE}/c/`), 'the link through the module\'s redirect', srcdoc);
        check(!srcdoc.includes(`${landing.url}/news`), 'no link straight to the page', srcdoc);
        check(srcdoc.includes('/unsubscribe/'), 'the unsubscribe link as written', srcdoc);
        await screenshot(page, 'tracking-2-outbox-message');
        return srcdoc;
    });

    const clickUrl = await t.step('Chromium shows the message as a mail program does and clicks the link', async () => {
        const reader = await showMessage(context, html);
        t.page = reader;
        const link = reader.getByRole('link', { name: 'Read the basket news' });
        const href = await link.getAttribute('href');
        await Promise.all([reader.waitForURL(`${landing.url}/**`), link.click()]);
        checkEqual(new URL(reader.url()).pathname + new URL(reader.url()).search, '/news?week=12&from=mail', 'the page Chromium landed on');
        checkEqual((await reader.locator('#landing').innerText()).trim(), 'The baskets of the week', 'the linked page\'s heading');
        await screenshot(reader, 'tracking-3-landed');
        return href;
    });

    await t.step('a link scanner asks for the link with HEAD', async () => {
        const res = await fetch(clickUrl, { method: 'HEAD', redirect: 'manual', headers: { 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0' } });
        checkEqual(res.status, 302, 'the HEAD answer');
        checkEqual(res.headers.get('location'), `${landing.url}/news?week=12&from=mail`, 'where the HEAD is sent');
        const changed = clickUrl.slice(0, -3) + (clickUrl.slice(-3, -2) === 'A' ? 'B' : 'A') + clickUrl.slice(-2);
        const refused = await fetch(changed, { redirect: 'manual' });
        checkEqual(refused.status, 404, 'the answer to a changed token');
    });

    await t.step('opened by 1 person, clicked by 1 person; the early open and the HEAD count as machine', async () => {
        const row = `SELECT email, opens, machine_opens, clicks, machine_clicks, first_open_at IS NOT NULL, first_click_at IS NOT NULL FROM mm_recipients WHERE campaign_id = ${campaign} ORDER BY email`;
        let rows = [];
        for (let i = 0; i < 50; i++) {
            rows = await sql(server, row);
            const reader = rows.find((r) => r[0] === READER);
            if (reader && reader[3] >= 1 && reader[4] >= 1) break; // the recorder writes every 200 ms
            await sleep(200);
        }
        log(`rows: ${JSON.stringify(rows)}`);
        const early = rows.find((r) => r[0] === EARLY);
        const reader = rows.find((r) => r[0] === READER);
        checkEqual(early[1], 0, `${EARLY}'s opens by a person`);
        check(early[2] >= 1, `${EARLY}'s open counted as a machine's`, early);
        check(reader[1] >= 1, `${READER}'s opens by a person`, reader);
        checkEqual(reader[3], 1, `${READER}'s clicks by a person`);
        checkEqual(reader[4], 1, `${READER}'s machine clicks (the HEAD)`);
        const [[openers, clickers]] = await sql(server, `SELECT SUM(first_open_at IS NOT NULL), SUM(first_click_at IS NOT NULL) FROM mm_recipients WHERE campaign_id = ${campaign}`);
        checkEqual(openers, 1, 'people who opened');
        checkEqual(clickers, 1, 'people who clicked');
        const links = await sql(server, `SELECT url, clicks, unique_clicks, machine_clicks FROM mm_links WHERE campaign_id = ${campaign}`);
        checkEqual(JSON.stringify(links), JSON.stringify([[`${landing.url}/news?week=12&from=mail`, 1, 1, 1]]), 'the campaign\'s link and its clicks');
        const reasons = await sql(server, `SELECT kind, detail, recipient_row, user_agent FROM mm_events WHERE campaign_id = ${campaign} AND machine = 1 ORDER BY id`);
        log(`machine events: ${JSON.stringify(reasons)}`);
        check(reasons.some(([k, d]) => k === 'open' && d === 'early') && reasons.some(([k, d]) => k === 'click' && d === 'head'), 'an early open and a HEAD click among the machine events', reasons);
        checkEqual(landing.hits.filter((h) => h.startsWith('GET /news')).length, 1, 'visits of the linked page');
    });
    await landing.close();
});
