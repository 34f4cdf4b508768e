// One address's delivery log (R5), in a browser: scripts/run.sh serves a fresh RUN_DIR (SQLite,
// outbox transport). A coordinator (compose, send, approve) sends a campaign through the JSON API and the
// send task; the bounce that would come back for one recipient is written into the database as the
// bounce processing leaves it (the row bounced with the server's text, the address suppressed in
// the group). From the host's member screen, the link beside that person opens the log; the log is
// also found by typing the address: the campaign with its bounce text, the suppression with its
// date. Lifting it without a reason is refused by the server (the browser's own check taken away);
// with a reason it is lifted, and the log says when, by whom and why. Then the campaign is sent
// to the address again from the log, recorded with its reason. Screenshots:
// tests/browser/screenshots/addresslog-*.png.
//
//   node tests/browser/addresslog.test.mjs     (scripts/test.sh runs it after npm ci)

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, pathOf, log } from './lib.mjs';

const MODULE = 'massmailing';
const TARGET = 'members.all';
const USER = { login: 'coordinatrice', password: 'coordinatrice-mot-de-passe' };
const BOUNCE = '550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table';

async function submit(page, selector) {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function logIn(page, baseUrl, user) {
    await page.goto(`${baseUrl}/login`);
    await page.fill('#login', user.login);
    await page.fill('#password', user.password);
    await submit(page, 'button[type=submit]');
    checkEqual(pathOf(page), '/', `the page after ${user.login} logs in`);
}

async function api(baseUrl, token, method, route, body) {
    const res = await fetch(`${baseUrl}/api/v1/${MODULE}/${route}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
        json = JSON.parse(text);
    } catch {
        /* not JSON */
    }
    return { status: res.status, json, text };
}

/** Runs SQL on the run's SQLite database (the one run.sh configured), as the bounce processing would write. */
function sql(server, statement) {
    return execFileSync('sqlite3', [path.join(server.runDir, 'data', 'crmhost.db'), statement], { encoding: 'utf8' });
}

runTest('addresslog', async (t) => {
    const server = await t.step('scripts/run.sh serves', () => startServer());
    t.server = server;
    const { baseUrl } = server;
    const food = await t.step('find the demo food group (crmhost group list)', () => foodGroup(server));
    const home = `${baseUrl}/g/${food.id}/${MODULE}/`;

    await t.step('create a coordinator (compose, send, approve: the send needs no approver) with crmhost user add', async () => {
        await crmhost(server, 'user', 'add', '--login', USER.login, '--password', USER.password, '--group', food.id, '--right', 'massmailing.compose', '--right', 'massmailing.send', '--right', 'massmailing.approve');
    });
    const token = (await t.step('an API token for the coordinator', () => crmhost(server, 'user', 'token', '--login', USER.login))).trim();

    const { page } = await t.step('launch chromium', () => launchBrowser());
    t.page = page;

    await t.step(`the administrator enables ${MODULE} for ${food.name}`, async () => {
        await logIn(page, baseUrl, server);
        await page.goto(`${baseUrl}/admin/modules`);
        const row = page.locator(`section.module[data-module="${MODULE}"] tr[data-group="${food.id}"]`);
        await Promise.all([page.waitForNavigation(), row.locator('button[data-action="enable"]').click()]);
        await Promise.all([page.waitForNavigation(), page.locator('form[action="/logout"] button').click()]);
    });

    let campaign;
    await t.step('the coordinator sends "Paniers de décembre" to every member (JSON API, then the send task)', async () => {
        const created = await api(baseUrl, token, 'POST', 'campaigns', {
            group: Number(food.id), channel: 'email', recipient_type: 'members', name: 'Paniers de décembre',
            sender_name: 'AMAP', sender_email: 'paniers@example.org', subject: 'Les paniers de décembre',
            html: '<p>Bonjour, les paniers arrivent jeudi.</p>',
        });
        checkEqual(created.status, 201, `the campaign created (${created.text})`);
        campaign = created.json.id;
        const audience = await api(baseUrl, token, 'POST', `campaigns/${campaign}/audience`, { add: [{ target: TARGET, params: {} }] });
        checkEqual(audience.status, 200, `the audience (${audience.text})`);
        check(audience.json.planned > 0, 'members planned', audience.text);
        const scheduled = await api(baseUrl, token, 'POST', `campaigns/${campaign}/schedule`, { at: null });
        checkEqual(scheduled.status, 200, `the campaign scheduled now (${scheduled.text})`);
        await crmhost(server, 'task', 'run', 'massmailing.send', '--until-idle');
        const status = await api(baseUrl, token, 'GET', `campaigns/${campaign}`);
        checkEqual(status.json.status, 'done', 'the campaign sent');
    });

    let row;
    await t.step('a bounce comes back for one recipient: its row bounced with the server\'s text, its address suppressed', async () => {
        const rows = await api(baseUrl, token, 'GET', `campaigns/${campaign}/recipients?status=sent&limit=1`);
        row = rows.json[0];
        check(row && row.email, 'a sent recipient', rows.text);
        const identity = row.email.toLowerCase();
        const text = BOUNCE.replace('%s', identity).replace(/'/g, "''");
        sql(server, `UPDATE mm_recipients SET bounce = 'hard', bounce_detail = '${text}', bounced_at = '2026-12-01 09:05:00' WHERE id = ${row.id};`);
        sql(server, `INSERT INTO mm_group_suppressions (group_id, address, reason, detail, campaign_id, created_at) VALUES (${food.id}, '${identity.replace(/'/g, "''")}', 'bounced', '${text}', ${campaign}, '2026-12-01 09:05:00');`);
        log(`bounced: ${row.email}`);
    });

    await t.step('the coordinator finds the person on the host\'s member screen and follows the link to the log', async () => {
        await logIn(page, baseUrl, USER);
        let found = false;
        for (let p = 0; p < 40 && !found; p++) {
            await page.goto(`${baseUrl}/g/${food.id}/members?page=${p}`);
            const person = page.locator('tbody tr', { hasText: row.email });
            if ((await person.count()) > 0) {
                found = true;
                const link = person.first().locator('a.member-link');
                checkEqual(await link.count(), 1, 'one module link beside the person');
                checkEqual((await link.innerText()).trim(), 'Delivery log', 'the link\'s label');
                await screenshot(page, 'addresslog-1-members');
                await submit(page, `tbody tr:has-text("${row.email}") a.member-link`);
            }
        }
        check(found, `${row.email} on the member screen`, 'not found on 40 pages');
        checkEqual(new URL(page.url()).pathname, `/g/${food.id}/${MODULE}/addresses/log`, 'the log page');
        checkEqual(await page.locator('#address').inputValue(), row.email, 'the address in the search box');
    });

    await t.step('a search for the address shows the campaign with its bounce text, and the suppression with its date', async () => {
        await page.goto(`${home}addresses/log`);
        check(await page.locator('#suppressions-list').isVisible(), 'the group\'s suppressions without an address', await page.locator('main').innerText());
        check((await page.locator('#suppressions-list').innerText()).includes(row.email.toLowerCase()), 'the bounced address among the group\'s suppressions', await page.locator('#suppressions-list').innerText());
        await page.fill('#address', `  ${row.email.toUpperCase()} `);
        await submit(page, '#search-button');
        const entry = page.locator(`#log-table tr[data-campaign="${campaign}"]`);
        checkEqual(await entry.count(), 1, 'the campaign in the log');
        const text = await entry.innerText();
        check(text.includes('Paniers de décembre'), 'the campaign\'s name', text);
        check(text.includes('Bounced for good'), 'the bounce', text);
        check(text.includes('User unknown in virtual mailbox table'), 'the server\'s text', text);
        check(await page.locator('#member').isVisible(), 'the address still a member', await page.locator('#membership').innerText());
        check(await page.locator('#suppressed').isVisible(), 'the address suppressed now', await page.locator('#membership').innerText());
        const suppression = page.locator('#suppressions-table tr[data-reason="bounced"]');
        checkEqual(await suppression.getAttribute('data-holds'), '1', 'the suppression holds');
        check((await suppression.innerText()).includes('2026-12-01 09:05'), 'the suppression\'s date', await suppression.innerText());
        checkEqual(await entry.locator('form.resend-form').count(), 0, 'no resend while the address is suppressed');
        await screenshot(page, 'addresslog-2-log');
    });

    await t.step('the JSON API refuses the same: a lift without a reason, a resend to the suppressed address', async () => {
        const lift = await api(baseUrl, token, 'POST', 'suppressions/lift', { group: Number(food.id), address: row.email, reason: '' });
        checkEqual(lift.status, 400, `a lift without a reason (${lift.text})`);
        checkEqual(lift.json.error.field, 'reason', 'the field named');
        const resend = await api(baseUrl, token, 'POST', `campaigns/${campaign}/resend_to`, { address: row.email, reason: 'again' });
        checkEqual(resend.status, 400, `a resend to a suppressed address (${resend.text})`);
        checkEqual(`${resend.json.error.field}:${resend.json.error.code}`, 'address:bounced', 'the field and the suppression named');
        const logJson = await api(baseUrl, token, 'GET', `addresses/log?group=${food.id}&address=${encodeURIComponent(row.email)}`);
        checkEqual(logJson.json.suppressions.length, 1, 'one suppression in the JSON log');
        checkEqual(`${logJson.json.suppressions[0].reason} ${logJson.json.suppressions[0].at}`, 'bounced 2026-12-01T09:05:00Z', 'its reason and date');
        checkEqual(logJson.json.entries[0].bounce_text, BOUNCE.replace('%s', row.email.toLowerCase()), 'the bounce text in the JSON log');
    });

    await t.step('lifting without a reason is refused by the server and changes nothing', async () => {
        await page.locator('form.lift-form input[name="reason"]').evaluate((input) => input.removeAttribute('required'));
        await submit(page, 'form.lift-form button');
        checkEqual(await page.locator('#error').getAttribute('data-field'), 'reason', 'the field named by the refusal');
        check((await page.locator('#error').innerText()).includes('Say why'), 'the refusal in words', await page.locator('#error').innerText());
        await page.goto(`${home}addresses/log?address=${encodeURIComponent(row.email)}`);
        checkEqual(await page.locator('#suppressions-table tr[data-reason="bounced"]').getAttribute('data-holds'), '1', 'the suppression still holds');
    });

    await t.step('lifting with a reason records when, by whom and why', async () => {
        await page.fill('form.lift-form input[name="reason"]', 'La personne a réparé sa boîte');
        await submit(page, 'form.lift-form button');
        check((await page.locator('#notice').innerText()).startsWith('The suppression is lifted'), 'the notice', await page.locator('main').innerText());
        const suppression = page.locator('#suppressions-table tr[data-reason="bounced"]');
        checkEqual(await suppression.getAttribute('data-holds'), '0', 'the suppression lifted');
        const lifted = await suppression.locator('.lifted').innerText();
        check(lifted.includes(`by ${USER.login}`) && lifted.includes('La personne a réparé sa boîte'), 'who lifted it and why', lifted);
        checkEqual(await page.locator('#suppressed').count(), 0, 'the address no longer suppressed');
        const listed = await api(baseUrl, token, 'GET', `suppressions?group=${food.id}`);
        check(!listed.json.some((s) => s.address === row.email.toLowerCase()), 'the lifted address out of the group\'s list (JSON)', listed.text);
        await screenshot(page, 'addresslog-3-lifted');
    });

    await t.step('the campaign is sent to the address again from the log, with a reason', async () => {
        const entry = `#log-table tr[data-campaign="${campaign}"]`;
        await page.fill(`${entry} form.resend-form input[name="reason"]`, 'Elle ne l\'a jamais reçu');
        await submit(page, `${entry} form.resend-form button`);
        check((await page.locator('#notice').innerText()).startsWith('The campaign is queued'), 'the notice', await page.locator('main').innerText());
        checkEqual(await page.locator(entry).getAttribute('data-status'), 'queued', 'the row queued again');
        const resend = await page.locator('#resends-table tbody tr').innerText();
        check(resend.includes(USER.login) && resend.includes('Elle ne l\'a jamais reçu'), 'the resend recorded with who and why', resend);
        const logJson = await api(baseUrl, token, 'GET', `addresses/log?group=${food.id}&address=${encodeURIComponent(row.email)}`);
        checkEqual(logJson.json.resends.length, 1, 'one resend in the JSON log');
        checkEqual(logJson.json.entries[0].status, 'queued', 'the row queued in the JSON log');
        await screenshot(page, 'addresslog-4-resent');
    });
});
