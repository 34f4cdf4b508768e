// SMS from the wizard (issue 15, points 1-3): scripts/run.sh serves a fresh RUN_DIR; the host
// administrator enables massmailing for the food group and switches its SMS add-on on in the
// group's settings; step 1 offers the SMS channel; step 2 is the SMS text with the variable picker
// and the counter, which says GSM 03.38 or UCS-2, the number of SMS and the characters left while
// typing (accents, €, emoji); step 3 loads the members' numbers (some have none: counted apart);
// the send goes to the SMS outbox, whose screen shows each SMS with its encoding.
// Screenshots: tests/browser/screenshots/sms-*.png.
//
//   node tests/browser/sms.test.mjs     (scripts/test.sh runs it after npm ci)

import { foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, pathOf, logIn, enableModule, submit } from './lib.mjs';

const MODULE = 'massmailing';

runTest('sms', async (t) => {
    const server = await t.step('scripts/run.sh serves', () => startServer());
    t.server = server;
    const { baseUrl } = server;
    const food = await t.step('find the demo food group (crmhost group list)', () => foodGroup(server));
    const home = `${baseUrl}/g/${food.id}/${MODULE}/`;
    const { page } = await t.step('launch chromium', () => launchBrowser());
    t.page = page;

    await t.step(`log in as ${server.login}, enable ${MODULE} for ${food.name}`, async () => {
        await logIn(page, baseUrl, server);
        await enableModule(page, baseUrl, food.id);
    });

    await t.step('step 1 offers email only while the SMS add-on is off', async () => {
        await page.goto(`${home}campaigns/new`);
        checkEqual(await page.locator('#channel option').allInnerTexts().then((o) => o.join(',')), 'Email', 'the channels');
    });

    await t.step("the host administrator switches the group's SMS add-on on, with its country", async () => {
        await page.goto(`${home}settings`);
        await page.selectOption('#setting-channel-sms', 'on');
        await page.fill('#setting-country', 'FR');
        await submit(page, '#save');
        checkEqual(await page.inputValue('#setting-channel-sms'), 'on', 'channel.sms after saving');
    });

    await t.step('step 1: an SMS campaign, without sender address', async () => {
        await page.goto(`${home}campaigns/new`);
        await page.selectOption('#channel', 'sms');
        await page.fill('#name', 'Rappel SMS');
        await submit(page, '#save-details');
        check(/\/campaigns\/\d+\/composition$/.test(pathOf(page)), 'the composition step after creating', pathOf(page));
        checkEqual(await page.locator('#subject').count(), 0, 'no subject for an SMS');
        checkEqual(await page.locator('#sms-text').count(), 1, 'the SMS text');
    });
    const campaignBase = page.url().replace(/composition(\?.*)?$/, '');
    const campaignId = campaignBase.match(/campaigns\/(\d+)\//)[1];

    await t.step('step 2: the counter follows the text: GSM 03.38, € counts two, an emoji makes UCS-2', async () => {
        const counter = page.locator('#sms-counter');
        await page.fill('#sms-text', 'Bonjour, les paniers sont prets : 12€ [salle 2]');
        checkEqual(await counter.getAttribute('data-encoding'), 'gsm7', 'the encoding of a GSM text');
        check((await counter.innerText()).includes('1 SMS'), 'one SMS', await counter.innerText());
        check((await counter.innerText()).includes('110 characters left'), '160 - 50 septets left (47 characters, € [ ] two each)', await counter.innerText());
        await page.fill('#sms-text', 'Bonjour 😀 '.repeat(8));
        checkEqual(await counter.getAttribute('data-encoding'), 'ucs2', 'the encoding with an emoji');
        checkEqual(await counter.getAttribute('data-segments'), '2', '88 UTF-16 units: two SMS of 67');
        await screenshot(page, 'sms-1-counter-ucs2');
        await page.fill('#sms-text', 'Bonjour , les paniers sont à retirer jeudi dès 18h. A bientôt !');
        await page.focus('#sms-text');
        await page.evaluate(() => document.querySelector('#sms-text').setSelectionRange(8, 8)); // after "Bonjour "
        await page.selectOption('#variable', 'first_name');
        await page.click('#insert-variable');
        check((await page.inputValue('#sms-text')).startsWith('Bonjour {{first_name}}, les paniers'), 'the variable at the cursor', await page.inputValue('#sms-text'));
        check((await counter.innerText()).includes('at worst'), 'the personalised worst case shown', await counter.innerText());
        await screenshot(page, 'sms-2-composition');
        await submit(page, '#save');
        check((await page.inputValue('#sms-text')).startsWith('Bonjour {{first_name}}, les paniers'), 'the text saved', await page.inputValue('#sms-text'));
    });

    const token = (await crmhost(server, 'user', 'token', '--login', server.login)).trim();
    const api = (path, body) =>
        fetch(`${baseUrl}/api/v1/${MODULE}/campaigns/${campaignId}${path ? '/' + path : ''}`, {
            method: body ? 'POST' : 'GET',
            body: body ? JSON.stringify(body) : undefined,
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        });

    let summary;
    await t.step("step 3: the members' numbers, E.164; those without a number counted apart", async () => {
        const loaded = await api('audience?wait=true', { add: [{ target: 'members.all', params: {} }] });
        checkEqual(loaded.status, 200, 'the load through the API');
        summary = await (await api('summary')).json();
        check(summary.planned > 0, 'numbers planned', JSON.stringify(summary));
        check(summary.invalid > 0, 'members without a valid number counted (invalid: no number, or not a mobile)', JSON.stringify(summary));
        const rows = await (await api('recipients?status=planned&limit=5')).json();
        check(rows.length > 0 && rows.every((row) => /^\+33[67]\d{8}$/.test(row.email)), 'E.164 numbers as the rows\' addresses', JSON.stringify(rows));
    });

    await t.step('send now; each SMS is in the SMS outbox with its encoding and segments', async () => {
        checkEqual((await api('schedule', { at: null })).status, 200, 'scheduled');
        await crmhost(server, 'task', 'run', 'massmailing.send', '--until-idle');
        const state = await (await api('')).json().catch(() => null);
        await page.goto(`${home}sms-outbox`);
        const rows = page.locator('#sms-outbox tbody tr');
        checkEqual(await rows.count(), Math.min(200, summary.planned), 'SMS listed (200 at most)');
        check((await rows.first().innerText()).includes('ucs2'), 'the encoding shown ("à", "ô" are outside GSM 03.38: UCS-2)', await rows.first().innerText());
        check(!(await rows.first().innerText()).includes('{{first_name}}'), 'the text personalised', await rows.first().innerText());
        await screenshot(page, 'sms-3-outbox');
        if (state) check(['sending', 'done'].includes(state.status), 'the campaign sent', JSON.stringify(state.status));
    });
});
