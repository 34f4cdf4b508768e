// Automatic messages (M4), in a browser: scripts/run.sh serves a fresh RUN_DIR (SQLite, outbox
// transport). A coordinator (send right) opens "Automatic messages", sets up the weekly reminder
// on its form (every Tuesday at 18:00, Paris time, to the members who have not ordered for the
// next distribution), sees its next five occurrences with their planned audience size, the JSON
// API says the same, then pauses it. The coordinator sets up the group's built-in notifications
// (orders open, the order summary 24 h or 4 h before); a member switches the summary off in
// "My account → Notifications", and the page keeps the choice with its date. Screenshots: tests/browser/screenshots/automations-*.png.
//
//   node tests/browser/automations.test.mjs     (scripts/test.sh runs it after npm ci)

import { foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, pathOf, submit, logIn, logOut, enableModule } from './lib.mjs';

const MODULE = 'massmailing';
const USER = { login: 'coordinateur', password: 'coordinateur-mot-de-passe' };

runTest('automations', async (t) => {
    const server = await t.step('scripts/run.sh serves', () => startServer());
    t.server = server;
    const { baseUrl } = server;
    const food = await t.step('find the demo food group (crmhost group list)', () => foodGroup(server));

    await t.step('create a coordinator (compose, send) with crmhost user add', async () => {
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

    const screen = `${baseUrl}/g/${food.id}/${MODULE}/automations`;
    await t.step('the coordinator opens "Automatic messages": no rule yet', async () => {
        await logIn(page, baseUrl, USER);
        await page.goto(screen);
        check(await page.locator('#no-rules').isVisible(), 'the "no rule yet" line', 'none');
        await screenshot(page, 'automations-empty');
    });

    await t.step('the weekly reminder in four steps: name, Tuesday 18:00, those who have not ordered, the message', async () => {
        await page.fill('#name', 'Rappel de commande');
        await page.selectOption('#day', '2');
        await page.fill('#time', '18:00');
        checkEqual(await page.locator('#target').inputValue(), 'members.not_ordered_next_distribution', 'the target chosen for a reminder');
        await page.fill('#sender_name', 'Les Paniers');
        await page.fill('#sender_email', 'contact@example.org');
        await page.fill('#subject', 'Les commandes ferment demain');
        await page.fill('#html', '<p>Bonjour {{first_name}}, pensez à commander avant demain midi.</p>');
        await screenshot(page, 'automations-form');
        await submit(page, '#create-rule');
        checkEqual(pathOf(page), `/g/${food.id}/${MODULE}/automations?done=create`, 'the page after creating the rule');
        check(await page.locator('#notice').isVisible(), 'the notice "the rule is created"', 'none');
    });

    await t.step('its next five occurrences are Tuesdays at 18:00 local time, with their planned audience', async () => {
        const rows = page.locator('article.mm-rule table.next-occurrences tr.occurrence');
        checkEqual(await rows.count(), 5, 'next occurrences shown');
        for (let i = 0; i < 5; ++i) {
            const when = await rows.nth(i).locator('td').first().innerText();
            check(when.endsWith('18:00'), 'an occurrence at 18:00 local time', when);
            const day = new Date(`${when.slice(0, 10)}T12:00:00Z`).getUTCDay();
            checkEqual(day, 2, `the weekday of ${when}`);
        }
        const planned = Number(await rows.first().locator('td.planned').innerText());
        check(planned > 0, 'a planned audience of the members who have not ordered', String(planned));
        await screenshot(page, 'automations-created');
    });

    await t.step('the JSON API lists the rule and its occurrences', async () => {
        const headers = { Authorization: `Bearer ${token}` };
        const rules = await (await fetch(`${baseUrl}/api/v1/${MODULE}/automations?group=${food.id}`, { headers })).json();
        checkEqual(rules.length, 1, 'rules of the group');
        checkEqual(rules[0].trigger.cron, '0 18 * * 2', 'the rule\'s schedule');
        const res = await fetch(`${baseUrl}/api/v1/${MODULE}/automations/${rules[0].id}/occurrences`, { headers });
        checkEqual(res.status, 200, 'GET occurrences');
        const occurrences = await res.json();
        checkEqual(occurrences.filter((o) => o.status === 'planned').length, 5, 'planned occurrences');
    });

    await t.step('the coordinator pauses it', async () => {
        await submit(page, 'article.mm-rule button[value="pause"]');
        check(await page.locator('article.mm-rule[data-paused="true"]').isVisible(), 'the rule shown paused', 'not paused');
        check(await page.locator('article.mm-rule button[value="resume"]').isVisible(), 'a resume button', 'none');
        await screenshot(page, 'automations-paused');
    });

    await t.step('the coordinator sets up the group\'s notifications: three built-in rules more', async () => {
        await submit(page, '#set-up-notifications');
        checkEqual(await page.locator('article.mm-rule').count(), 4, 'rules on the page');
        await screenshot(page, 'automations-notifications');
        await logOut(page);
    });

    await t.step('a member switches the order summary off in My account → Notifications', async () => {
        await logIn(page, baseUrl, { login: 'member', password: server.password });
        await submit(page, '#nav-notifications');
        const row = page.locator(`tr[data-group="${food.id}"][data-notification="order_summary"]`);
        checkEqual(await row.getAttribute('data-enabled'), 'true', 'the summary before the choice');
        await screenshot(page, 'automations-member-before');
        await row.locator('input[name="enabled"][value="0"]').check();
        await Promise.all([page.waitForNavigation(), row.locator('button[type=submit]').click()]);
        check(await page.locator('#notice').isVisible(), 'the notice "your choice is saved"', 'none');
        const saved = page.locator(`tr[data-group="${food.id}"][data-notification="order_summary"]`);
        checkEqual(await saved.getAttribute('data-enabled'), 'false', 'the summary after the choice');
        const since = await saved.locator('td.since').innerText();
        check(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(since.trim()), 'the date of the choice', since);
        await screenshot(page, 'automations-member-off');
    });
});
