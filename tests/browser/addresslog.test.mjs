// One address's delivery log (R5), in a browser: scripts/run.sh serves a fresh RUN_DIR (SQLite,
// outbox transport). A coordinator (compose, send, approve) sends a campaign through the JSON API and the
// send task; the bounce that would come back for one recipient is written into the database as the
// bounce processing leaves it (the row bounced with the server's text, the address suppressed in
// the group). From the host's member screen, the link beside that person opens the log; the log is
// also found by typing the address: the campaign with its bounce text, the suppression with its
// date. Lifting it without a reason is refused by the server (the browser's own check taken away);
// with a reason it is lifted, and the log says when, by whom and why. Then the campaign is sent
// to the address again from the log, recorded with its reason. The person then asks for their data
// (X2): the coordinator is offered neither export nor erasure; a group administrator exports it
// (JSON and CSV, holding every row of the database that names the address), erases it (the
// address typed again; a different one refused): no mm_ table holds the address any more, the
// campaign's counts are as they were, a new campaign typing the address leaves it out as erased,
// and the group's erasures say who and when, not whom. Screenshots:
// tests/browser/screenshots/addresslog-*.png.
//
//   node tests/browser/addresslog.test.mjs     (scripts/test.sh runs it after npm ci)

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, pathOf, log, submit, logIn, logOut, enableModule } from './lib.mjs';

const MODULE = 'massmailing';
const TARGET = 'members.all';
const USER = { login: 'coordinatrice', password: 'coordinatrice-mot-de-passe' };
const ADMIN = { login: 'administratrice', password: 'administratrice-mot-de-passe' };
const BOUNCE = '550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table';

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
        await enableModule(page, baseUrl, food.id);
        await logOut(page);
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
        const audience = await api(baseUrl, token, 'POST', `campaigns/${campaign}/audience?wait=true`, { add: [{ target: TARGET, params: {} }] });
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
                // Beside the other modules' links (push devices, conversation): the log's.
                const link = person.first().locator('a.member-link', { hasText: 'Delivery log' });
                checkEqual(await link.count(), 1, 'one "Delivery log" link beside the person');
                await screenshot(page, 'addresslog-1-members');
                await Promise.all([page.waitForNavigation(), link.click()]);
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

    // X2: the person asks for their data, then for its erasure; a group administrator does both.
    await t.step('the coordinator, not an administrator, is offered neither export nor erasure (page and API)', async () => {
        checkEqual(await page.locator('#personal-data').count(), 0, 'no personal data section for the coordinator');
        const exported = await api(baseUrl, token, 'GET', `addresses/export?group=${food.id}&address=${encodeURIComponent(row.email)}`);
        checkEqual(exported.status, 403, `the export refused (${exported.text})`);
        const erased = await api(baseUrl, token, 'POST', 'addresses/erase', { group: Number(food.id), address: row.email, confirm: row.email });
        checkEqual(erased.status, 403, `the erasure refused (${erased.text})`);
        await logOut(page);
    });

    await t.step('create a group administrator (compose, admin) with crmhost user add', async () => {
        await crmhost(server, 'user', 'add', '--login', ADMIN.login, '--password', ADMIN.password, '--group', food.id, '--right', 'massmailing.compose', '--right', 'massmailing.admin');
    });
    const adminToken = (await t.step('an API token for the administrator', () => crmhost(server, 'user', 'token', '--login', ADMIN.login))).trim();

    const identity = row.email.toLowerCase();
    let countsBefore, summaryBefore;
    await t.step('the administrator exports the person\'s data from the log: JSON and CSV hold every row about them', async () => {
        // The resend goes out first (the send task), so that the counts compared below stay still.
        await crmhost(server, 'task', 'run', 'massmailing.send', '--until-idle');
        countsBefore = (await api(baseUrl, adminToken, 'GET', `campaigns/${campaign}`)).json.counts;
        checkEqual(`${countsBefore.queued} ${countsBefore.in_flight}`, '0 0', 'nothing left to send');
        summaryBefore = (await api(baseUrl, adminToken, 'GET', `campaigns/${campaign}/summary`)).json;
        await logIn(page, baseUrl, ADMIN);
        await page.goto(`${home}addresses/log?address=${encodeURIComponent(row.email)}`);
        check(await page.locator('#personal-data').isVisible(), 'the personal data section', await page.locator('main').innerText());
        await screenshot(page, 'addresslog-5-personal-data');
        // The page's own links, with the administrator's session.
        const jsonHref = await page.locator('#export-json').getAttribute('href');
        const answer = await page.request.get(`${baseUrl}${jsonHref}`);
        checkEqual(answer.status(), 200, 'the JSON export from the page');
        const data = await answer.json();
        checkEqual(data.address, identity, 'the export\'s address');
        const rows = data.tables.mm_recipients;
        checkEqual(rows.length, 1, 'her campaign row');
        checkEqual(`${rows[0].campaign_name} ${rows[0].status}`, 'Paniers de décembre sent', 'the campaign and its row, sent again');
        checkEqual(data.tables.mm_group_suppressions.length, 1, 'her (lifted) suppression');
        checkEqual(data.tables.mm_resends.length, 1, 'the resend');
        // Every row of the database naming her is in it, table by table.
        for (const [table, n] of Object.entries(rowsNaming(server, identity)))
            check((data.tables[table] || []).length >= n, `${table}: ${n} rows naming her, exported`, JSON.stringify(data.tables[table]));
        const csvHref = await page.locator('#export-csv').getAttribute('href');
        const csv = await (await page.request.get(`${baseUrl}${csvHref}`)).text();
        check(csv.startsWith('table,row,column,value\r\n'), 'the CSV header', csv.slice(0, 80));
        check(csv.includes(`mm_recipients,1,email,${row.email}\r\n`), 'her address in the CSV', csv.slice(0, 400));
        const api1 = await api(baseUrl, adminToken, 'GET', `addresses/export?group=${food.id}&address=${encodeURIComponent(row.email)}&format=csv`);
        checkEqual(api1.status, 200, 'the CSV export through the JSON API');
        check(api1.text.includes('mm_resends,1,reason,'), 'the resend in the API\'s CSV', api1.text.slice(0, 200));
    });

    await t.step('erasing needs the address typed again: a different one is refused and nothing is erased', async () => {
        await page.fill('#confirm', 'quelqu.un@example.org');
        await submit(page, '#erase-button');
        checkEqual(await page.locator('#error').getAttribute('data-field'), 'confirm', 'the field named');
        check((await page.locator('#error').innerText()).includes('nothing was erased'), 'the refusal in words', await page.locator('#error').innerText());
        checkEqual(await page.locator(`#log-table tr[data-campaign="${campaign}"]`).count(), 1, 'the log still there');
    });

    await t.step('erased: no table holds the address, the campaign\'s counts are unchanged, the log shows the erasure', async () => {
        await page.fill('#confirm', row.email.toUpperCase());
        await submit(page, '#erase-button');
        check((await page.locator('#notice').innerText()).startsWith('The person\'s data is erased'), 'the notice', await page.locator('main').innerText());
        check(await page.locator('#no-deliveries').isVisible(), 'no campaign row holds the address any more', await page.locator('#deliveries').innerText());
        const erased = page.locator('#suppressions-table tr[data-reason="erased"]');
        checkEqual(await erased.getAttribute('data-holds'), '1', 'the erasure keeps the address from the group\'s messages');
        await screenshot(page, 'addresslog-6-erased');
        const left = rowsNaming(server, identity);
        checkEqual(JSON.stringify(left), '{}', 'no mm_ table holds the address in clear');
        checkEqual(JSON.stringify((await api(baseUrl, adminToken, 'GET', `campaigns/${campaign}`)).json.counts), JSON.stringify(countsBefore), 'the campaign\'s counts');
        checkEqual(JSON.stringify((await api(baseUrl, adminToken, 'GET', `campaigns/${campaign}/summary`)).json.left_out), JSON.stringify(summaryBefore.left_out), 'the campaign\'s audience counts');
    });

    await t.step('a new campaign that loads the address leaves the person out, as erased', async () => {
        const created = await api(baseUrl, token, 'POST', 'campaigns', {
            group: Number(food.id), channel: 'email', recipient_type: 'members', name: 'Paniers de janvier',
            sender_name: 'AMAP', sender_email: 'paniers@example.org', subject: 'Les paniers de janvier', html: '<p>Bonjour</p>',
        });
        checkEqual(created.status, 201, `the campaign created (${created.text})`);
        const audience = await api(baseUrl, token, 'POST', `campaigns/${created.json.id}/audience?wait=true`, { addresses: [row.email, 'quelqu.un@example.org'] });
        checkEqual(audience.status, 200, `the audience (${audience.text})`);
        checkEqual(`${audience.json.planned} ${audience.json.left_out.erased}`, '1 1', 'one planned, the erased person left out');
        const resend = await api(baseUrl, token, 'POST', `campaigns/${campaign}/resend_to`, { address: row.email, reason: 'again' });
        checkEqual(resend.status, 400, `no resend to the erased address (${resend.text})`);
    });

    await t.step('the group\'s erasures say who and when, not whom', async () => {
        await page.goto(`${home}addresses/log`);
        const table = await page.locator('#erasures-table').innerText();
        check(table.includes(ADMIN.login) && !table.includes(identity), 'the erasure with the administrator, without the address', table);
        const listed = await api(baseUrl, adminToken, 'GET', `erasures?group=${food.id}`);
        checkEqual(listed.json.length, 1, 'one erasure (JSON)');
        checkEqual(listed.json[0].erased_by_login, ADMIN.login, 'who erased');
        check(!JSON.stringify(listed.json).includes(identity), 'not whom', listed.text);
        await screenshot(page, 'addresslog-7-erasures');
    });
});

/** The rows of every mm_ table (from the schema) with a column naming the text, by table. */
function rowsNaming(server, text) {
    const tables = sql(server, "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'mm\\_%' ESCAPE '\\';").split('\n').filter(Boolean);
    check(tables.includes('mm_recipients') && tables.includes('mm_erasures'), 'the mm_ tables', tables.join(' '));
    const found = {};
    const pattern = `%${text.replace(/'/g, "''")}%`;
    for (const table of tables) {
        const columns = sql(server, `SELECT name FROM pragma_table_info('${table}');`).split('\n').filter(Boolean);
        const where = columns.map((c) => `LOWER(CAST("${c}" AS TEXT)) LIKE '${pattern}'`).join(' OR ');
        const n = Number(sql(server, `SELECT COUNT(*) FROM ${table} WHERE ${where};`).trim());
        if (n > 0) found[table] = n;
    }
    return found;
}
