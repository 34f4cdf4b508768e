// Step 3 with a large audience (issue 18): scripts/run.sh serves a fresh RUN_DIR with 200,000
// demo people; the administrator enables massmailing for the food group, creates a campaign and,
// in step 3, loads "all members" (some 80,000 rows). The page answers at once and shows the load's
// progress bar (its step, the rows so far) while it runs in the background; a second load of the
// campaign meanwhile is refused (the JSON API's 409); then the page shows the summary, which the
// JSON API agrees with. No answer the page waits for takes more than 2 s.
// Screenshots: tests/browser/screenshots/audience-progress-*.png.
//
//   node tests/browser/audience-progress.test.mjs     (scripts/test.sh runs it after npm ci)

import { foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, pathOf, log, submit, logIn, enableModule } from './lib.mjs';

const MODULE = 'massmailing';
const PEOPLE = process.env.AUDIENCE_PROGRESS_PEOPLE || '200000';
const LONGEST_ANSWER_MS = 2000;

runTest('audience-progress', async (t) => {
    process.env.RUN_PEOPLE = PEOPLE;
    const server = await t.step(`scripts/run.sh serves, with ${PEOPLE} demo people`, () => startServer({ timeoutMs: 600000 }));
    t.server = server;
    const { baseUrl } = server;

    const food = await t.step('find the demo food group (crmhost group list)', () => foodGroup(server));
    const home = `${baseUrl}/g/${food.id}/${MODULE}/`;

    const { page } = await t.step('launch chromium', () => launchBrowser());
    t.page = page;
    page.on('dialog', (dialog) => dialog.accept());
    // How long each answer of the server took, from the request to the end of its body.
    const answers = [];
    page.on('requestfinished', (request) => {
        const timing = request.timing();
        if (request.url().startsWith(baseUrl) && timing.responseEnd > 0) answers.push({ url: request.url(), ms: timing.responseEnd });
    });

    await t.step(`log in as ${server.login}`, async () => {
        await logIn(page, baseUrl, server);
    });

    await t.step(`enable ${MODULE} for ${food.name}`, async () => {
        await enableModule(page, baseUrl, food.id);
    });

    await t.step('steps 1 and 2: a campaign with a subject and a message', async () => {
        await page.goto(`${home}campaigns/new`);
        await page.fill('#name', 'Everyone, at once');
        await page.fill('#sender_local', 'paniers');
        await page.selectOption('#sender_domain', 'example.org');
        await submit(page, '#save-details');
        await page.fill('#subject', 'Hello {{first_name}}');
        await page.waitForFunction(() => window.massmailingEditor && document.querySelector('#editor .ql-editor'));
        await page.click('#editor .ql-editor');
        await page.keyboard.type('Orders close on Thursday.');
        await submit(page, '#save');
    });
    const campaignBase = page.url().replace(/composition(\?.*)?$/, '');
    const campaignId = campaignBase.match(/campaigns\/(\d+)\//)[1];
    const token = (await crmhost(server, 'user', 'token', '--login', server.login)).trim();
    const api = (path, init = {}) =>
        fetch(`${baseUrl}/api/v1/${MODULE}/campaigns/${campaignId}/${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });

    await t.step('step 3: load all members; the page answers at once and shows the progress bar', async () => {
        await page.goto(campaignBase + 'recipients');
        await page.selectOption('#target', 'members.all');
        const started = Date.now();
        await submit(page, '#load');
        const waited = Date.now() - started;
        log(`the load's answer (and the page after it) came in ${waited} ms`);
        check(waited <= LONGEST_ANSWER_MS, `the page after "load" within ${LONGEST_ANSWER_MS} ms`, `${waited} ms`);
        checkEqual(await page.locator('#audience-load').count(), 1, 'the progress of the load on the page');
        checkEqual(await page.locator('#audience-load-bar').count(), 1, 'a progress bar');
        const step = (await page.locator('#audience-load-step').innerText()).trim();
        check(step.length > 0, 'the step the load is at', step);
        checkEqual(await page.locator('#summary tr[data-count="loaded"]').count(), 0, 'no summary while it loads');
        await screenshot(page, 'audience-progress-1-loading');
    });

    await t.step('a second load of the campaign while one runs is refused (409, with the reason)', async () => {
        const res = await api('audience', { method: 'POST', body: JSON.stringify({ add: [{ target: 'members.with_order' }] }) });
        const body = await res.json();
        checkEqual(res.status, 409, 'the status of a second load');
        checkEqual(body.error && body.error.code, 'load_running', 'the error code');
        check(/under way/.test(body.error.message), 'a message that says a load is under way', body.error.message);
        const state = await (await api('audience/load')).json();
        checkEqual(state.state, 'running', 'the state of the load, polled');
    });

    let summary;
    await t.step('the summary appears when the load is done, and the JSON API agrees', async () => {
        await page.waitForSelector('#summary tr[data-count="loaded"]', { timeout: 600000 });
        checkEqual(await page.locator('#audience-load').count(), 0, 'no progress once done');
        const loaded = Number((await page.locator('#summary tr[data-count="loaded"] td').innerText()).trim());
        const planned = Number((await page.locator('#summary tr[data-count="planned"] td').innerText()).trim());
        log(`loaded ${loaded}, planned ${planned}`);
        check(loaded > 50000, 'more than 50,000 rows loaded', loaded);
        const state = await (await api('audience/load')).json();
        checkEqual(state.state, 'done', 'the state of the load, polled');
        summary = state.summary;
        checkEqual(summary.loaded, loaded, "the API's loaded");
        checkEqual(summary.planned, planned, "the API's planned");
        const source = await page.locator('#sources tr').first().innerText();
        check(source.includes(String(loaded)), 'the loaded list with its rows', source);
        await screenshot(page, 'audience-progress-2-summary');
    });

    await t.step('the JSON API: 202 with a link to poll, or the summary with ?wait=true', async () => {
        const res = await api('audience', { method: 'POST', body: JSON.stringify({ control_group: 0 }) });
        check(res.status === 202 || res.status === 200, 'the status of a load (202 while it runs, 200 when done within a second)', res.status);
        const body = await res.json();
        if (res.status === 202) {
            checkEqual(body.state, 'running', 'the state of a 202');
            check(/\/audience\/load$/.test(body.poll) && res.headers.get('location') === body.poll, 'the link to poll, in the body and Location', JSON.stringify(body));
        }
        const waited = await (await api('audience/load?wait=true')).json();
        checkEqual(waited.state, 'done', 'the state after waiting');
        const again = await api('audience?wait=true', { method: 'POST', body: JSON.stringify({ control_group: 0 }) });
        checkEqual(again.status, 200, 'the status with ?wait=true');
        checkEqual((await again.json()).loaded, summary.loaded, 'the summary with ?wait=true');
    });

    await t.step(`no answer the page waited for took more than ${LONGEST_ANSWER_MS} ms`, async () => {
        const slowest = answers.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, url: '' });
        log(`${answers.length} answers; the slowest: ${Math.round(slowest.ms)} ms (${slowest.url})`);
        check(slowest.ms <= LONGEST_ANSWER_MS, `every answer within ${LONGEST_ANSWER_MS} ms`, `${Math.round(slowest.ms)} ms for ${slowest.url}`);
    });
});
