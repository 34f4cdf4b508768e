// The send step's browser test: scripts/run.sh serves a fresh RUN_DIR (outbox transport, the
// scheduler firing massmailing.send every 10 s). The administrator enables massmailing for the food
// group; a sender who may not approve (created with `crmhost user add`) writes a campaign and, in
// step 5, schedules it for later in Europe/Paris, finishing within 2 hours: it waits for approval.
// The approver (another user) sees it among the pending approvals of the home screen, approves it,
// sees it in the list of scheduled sends at the time as typed, and cancels it there. Then the
// approver sends a second campaign now and watches the progress, which updates by itself, reach
// 100 %, every recipient sent. Screenshots: tests/browser/screenshots/send-*.png.
//
//   node tests/browser/send.test.mjs     (scripts/test.sh runs it after npm ci)

import { foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, pathOf, log, submit, logIn, logOut, enableModule } from './lib.mjs';

const MODULE = 'massmailing';
const TARGET = 'members.not_ordered_next_distribution';
const SENDER = { login: 'redactrice', password: 'redactrice-mot-de-passe' };
const APPROVER = { login: 'validatrice', password: 'validatrice-mot-de-passe' };

/** Steps 1 to 3: a campaign with a subject, a message and the recipients of TARGET; returns its base URL. */
async function writeCampaign(page, home, name) {
    await page.goto(`${home}campaigns/new`);
    await page.fill('#name', name);
    await page.fill('#sender_local', 'paniers');
    await page.selectOption('#sender_domain', 'example.org');
    await submit(page, '#save-details');
    check(/\/campaigns\/\d+\/composition$/.test(pathOf(page)), 'the composition step after creating', pathOf(page));
    await page.fill('#subject', 'Commandez avant jeudi, {{first_name}}');
    await page.waitForFunction(() => window.massmailingEditor && document.querySelector('#editor .ql-editor'));
    await page.click('#editor .ql-editor');
    await page.keyboard.type('Les commandes ferment jeudi à midi.');
    await submit(page, '#save');
    const campaignBase = page.url().replace(/composition(\?.*)?$/, '');
    await page.goto(`${campaignBase}recipients`);
    await page.selectOption('#target', TARGET);
    await submit(page, '#load');
    return campaignBase;
}

/** The numbers of the send page's summary, by their data-count. */
async function summary(page) {
    return page.evaluate(() => {
        const counts = {};
        for (const row of document.querySelectorAll('#summary tr[data-count]')) {
            const text = row.querySelector('td').innerText.trim();
            counts[row.dataset.count] = /^\d+$/.test(text) ? Number(text) : text;
        }
        return counts;
    });
}

runTest('send', async (t) => {
    const server = await t.step('scripts/run.sh serves', () => startServer());
    t.server = server;
    const { baseUrl } = server;

    const food = await t.step('find the demo food group (crmhost group list)', () => foodGroup(server));
    const home = `${baseUrl}/g/${food.id}/${MODULE}/`;

    await t.step('create a sender (compose, send) and an approver (compose, send, approve) with crmhost user add', async () => {
        await crmhost(server, 'user', 'add', '--login', SENDER.login, '--password', SENDER.password, '--group', food.id, '--right', 'massmailing.compose', '--right', 'massmailing.send');
        await crmhost(server, 'user', 'add', '--login', APPROVER.login, '--password', APPROVER.password, '--group', food.id, '--right', 'massmailing.compose', '--right', 'massmailing.send', '--right', 'massmailing.approve');
    });

    const { browser, page } = await t.step('launch chromium', () => launchBrowser());
    t.page = page;
    page.on('dialog', (dialog) => dialog.accept());

    await t.step(`the administrator enables ${MODULE} for ${food.name}`, async () => {
        await logIn(page, baseUrl, server);
        await enableModule(page, baseUrl, food.id);
        await logOut(page);
    });

    // ---- a send for later, approved, then cancelled
    await t.step(`${SENDER.login} writes a campaign (steps 1 to 3)`, () => logIn(page, baseUrl, SENDER));
    const laterBase = await t.step('steps 1 to 3 of "Distribution de janvier"', () => writeCampaign(page, home, 'Distribution de janvier'));

    const year = new Date().getUTCFullYear() + 1;
    const date = `${year}-01-15`;
    await t.step('step 5 from the steps bar: the summary, the checklist, send now or later', async () => {
        const step = page.locator('.mm-steps li[data-step="5"] a');
        checkEqual((await step.innerText()).trim(), '5. Send', 'the fifth step of the bar');
        await submit(page, '.mm-steps li[data-step="5"] a');
        checkEqual(pathOf(page), new URL(`${laterBase}send`).pathname, 'the send step');
        const n = await summary(page);
        check(n.planned > 0, 'recipients planned in the summary', JSON.stringify(n));
        const checks = await page.locator('#checklist li').evaluateAll((items) => items.map((li) => `${li.dataset.check}:${li.className}`));
        checkEqual(checks.join(' '), 'sender:ok subject:ok recipients:ok variables:ok size:ok', 'the checklist');
        check((await page.locator('#checklist li[data-check="recipients"]').innerText()).includes(`${n.planned} recipients planned`), 'the recipients count in the checklist', await page.locator('#checklist').innerText());
        checkEqual(await page.locator('#time_zone').inputValue(), 'Europe/Paris', 'the default time zone');
        check(await page.locator('#needs-approval').isVisible(), 'the hint that an approver must approve', await page.locator('main').innerText());
        checkEqual(await page.locator('#send_date').isVisible(), false, 'the date hidden while "send now" is chosen');
        await screenshot(page, 'send-1-form');
    });

    await t.step(`schedule it for ${date} 09:30 in Europe/Paris, finishing within 2 hours: it waits for approval`, async () => {
        await page.check('#when-later');
        check(await page.locator('#send_date').isVisible(), 'the date shown once "later" is chosen', '');
        await page.fill('#send_date', date);
        await page.fill('#send_time', '09:30');
        await page.selectOption('#time_zone', 'Europe/Paris');
        await page.check('#pacing-within');
        await page.fill('#within_hours', '2');
        await submit(page, '#schedule');
        const notice = await page.locator('#notice').innerText();
        check(notice.includes(`The send waits for an approver of the group. Planned for ${date} 09:30 (Europe/Paris, UTC+01:00).`), 'the notice with the time as typed', notice);
        checkEqual(await page.locator('#campaign-status').getAttribute('data-status'), 'pending_approval', 'the state after scheduling without the approve right');
        checkEqual(await page.locator('#plan').getAttribute('data-utc'), `${year}-01-15 08:30:00`, 'the UTC time stored (Paris is at +01:00 in January)');
        check(await page.locator('#waiting-approval').isVisible(), 'the page saying it waits for an approver', await page.locator('main').innerText());
        checkEqual(await page.locator('#approve').count(), 0, 'no approve button for the sender');
        await screenshot(page, 'send-2-pending-approval');
    });

    const approverContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const approver = await approverContext.newPage();
    approver.on('dialog', (dialog) => dialog.accept());
    t.page = approver;

    await t.step(`${APPROVER.login} sees it among the pending approvals of the home screen`, async () => {
        await logIn(approver, baseUrl, APPROVER);
        await approver.goto(home);
        const item = approver.locator('#approvals li', { hasText: 'Distribution de janvier' });
        checkEqual(await item.count(), 1, 'the campaign among the pending approvals');
        check((await item.innerText()).includes(`${date} 09:30 (Europe/Paris, UTC+01:00)`), 'its planned time as typed', await item.innerText());
        await screenshot(approver, 'send-3-home-pending-approval');
        await submit(approver, '#approvals li a.button');
    });

    await t.step('the approver reads the checklist and approves it', async () => {
        check(await approver.locator('#checklist').isVisible(), 'the checklist for the approver', '');
        check(await approver.locator('#approve').isVisible(), 'the approve button', await approver.locator('main').innerText());
        await screenshot(approver, 'send-4-approval');
        await submit(approver, '#approve');
        check((await approver.locator('#notice').innerText()).startsWith('The send is approved.'), 'the notice after approving', await approver.locator('main').innerText());
        checkEqual(await approver.locator('#campaign-status').getAttribute('data-status'), 'scheduled', 'the state after approval');
        check((await approver.locator('#plan').innerText()).includes('At most'), 'the pace of "within 2 hours" in the plan', await approver.locator('#plan').innerText());
    });

    await t.step('the home screen lists it among the scheduled sends, then it is cancelled there', async () => {
        await approver.goto(home);
        checkEqual(await approver.locator('#approvals').count(), 0, 'no pending approval left');
        const row = approver.locator('section[data-section="scheduled"] tr', { hasText: 'Distribution de janvier' });
        checkEqual(await row.count(), 1, 'the campaign among the scheduled sends');
        check((await row.innerText()).includes(`${date} 09:30 (Europe/Paris, UTC+01:00)`), 'its time as typed', await row.innerText());
        check(await row.locator('a.mm-edit').isVisible(), 'an Edit link', await row.innerText());
        await screenshot(approver, 'send-5-home-scheduled');
        await submit(approver, 'section[data-section="scheduled"] tr:has-text("Distribution de janvier") form.mm-cancel button');
        check((await approver.locator('#notice').innerText()).startsWith('The send is cancelled'), 'the notice after cancelling', await approver.locator('main').innerText());
        const cancelled = approver.locator('section[data-section="sent"] tr', { hasText: 'Distribution de janvier' });
        checkEqual(await cancelled.getAttribute('data-status'), 'cancelled', 'the campaign cancelled, among the finished ones');
        await screenshot(approver, 'send-6-home-cancelled');
    });

    // ---- a send now, watched to the end
    const nowBase = await t.step('the approver writes a second campaign (steps 1 to 3)', () => writeCampaign(approver, home, 'Rappel immédiat'));

    let planned;
    await t.step('send it now: scheduled at once, no approval needed', async () => {
        await approver.goto(`${nowBase}send`);
        planned = (await summary(approver)).planned;
        checkEqual(await approver.locator('#needs-approval').count(), 0, 'no approval hint for an approver');
        await approver.check('#when-now');
        await submit(approver, '#schedule');
        const status = await approver.locator('#campaign-status').getAttribute('data-status');
        check(['scheduled', 'sending', 'done'].includes(status), 'the campaign scheduled (or already under way)', status);
    });

    await t.step('the progress updates by itself and reaches 100 %, every recipient sent', async () => {
        const started = Date.now();
        // No reload by the test: the page polls and reloads itself when the state changes.
        await approver.waitForFunction(() => {
            const percent = document.getElementById('progress-percent');
            return percent && percent.textContent.trim() === '100' && document.getElementById('campaign-status').dataset.status === 'done';
        }, null, { timeout: 90000, polling: 500 });
        log(`100 % after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        checkEqual(Number(await approver.locator('#progress-sent').innerText()), planned, 'sent = the planned recipients');
        checkEqual(Number(await approver.locator('#progress-total').innerText()), planned, 'the total');
        checkEqual(Number(await approver.locator('#progress-remaining').innerText()), 0, 'nothing remaining');
        checkEqual(Number(await approver.locator('#progress-failed').innerText()), 0, 'nothing failed');
        checkEqual(await approver.locator('#statuses a[data-status="sent"] .count').innerText(), String(planned), 'the count of sent recipients among the statuses');
        checkEqual((await summary(approver)).sent_this_month, planned, 'the emails sent this month in the summary (A9)');
        await screenshot(approver, 'send-7-done');
        await submit(approver, '#statuses a[data-status="sent"]');
        checkEqual(await approver.locator('#rows tbody tr[data-status="sent"]').count(), Math.min(50, planned), 'the sent recipients listed');
        checkEqual((await approver.locator('#page-text').innerText()).trim(), `Records 1 to ${Math.min(50, planned)} of ${planned}`, 'the page text of the list');
        checkEqual(await approver.locator('#next-page').count(), planned > 50 ? 1 : 0, 'a link to the next page');
        await screenshot(approver, 'send-8-sent-recipients');
    });

    await t.step('in French, the same page in French', async () => {
        await approver.goto(`${baseUrl}/lang?to=fr`);
        await approver.goto(`${nowBase}send`);
        checkEqual((await approver.locator('.mm-steps li.current').innerText()).trim(), '5. Envoi', 'the current step in French');
        checkEqual((await approver.locator('#campaign-status').innerText()).trim(), 'Envoyée', 'the state in French');
        check((await approver.locator('#progress').innerText()).includes('Envoyés'), 'the progress in French', await approver.locator('#progress').innerText());
        await screenshot(approver, 'send-9-french');
        await approver.goto(`${baseUrl}/lang?to=en`);
    });

    await t.step('the outbox holds the messages', async () => {
        await approver.goto(`${home}outbox`);
        const rows = await approver.locator('tr[data-message]').count();
        check(rows >= Math.min(planned, 1), `the outbox lists the sent messages (${planned} sent)`, String(rows));
    });
});
