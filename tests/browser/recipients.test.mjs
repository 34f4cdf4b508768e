// The recipients step's browser test: scripts/run.sh serves a fresh RUN_DIR; the administrator
// enables massmailing for the food group, creates a campaign through steps 1 and 2 quickly, then,
// in French, in step 3: loads "N'ayant pas commandé pour la prochaine distribution" and reads the
// summary (checked against the JSON API), removes one address, adds one by hand, unticks and
// ticks a row's checkbox, lists the people without a valid address (not selectable, a link to
// their record), and imports a CSV file with bad lines, reported line by line.
// Screenshots: tests/browser/screenshots/recipients-*.png.
//
//   node tests/browser/recipients.test.mjs     (scripts/test.sh runs it after npm ci)

import { foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, pathOf, log, submit, logIn, enableModule } from './lib.mjs';

const MODULE = 'massmailing';
const TARGET = "N'ayant pas commandé pour la prochaine distribution";

/** The numbers of the summary, by their data-count, and the rows left out, by reason. */
async function numbers(page) {
    return page.evaluate(() => {
        const counts = {};
        for (const row of document.querySelectorAll('#summary tr[data-count]')) {
            const text = row.querySelector('td').innerText.trim();
            counts[row.dataset.count] = /^\d+$/.test(text) ? Number(text) : text;
        }
        const leftOut = {};
        for (const item of document.querySelectorAll('#left-out li[data-reason]')) {
            leftOut[item.dataset.reason] = Number(item.querySelector('.count').innerText.trim());
        }
        return { ...counts, leftOut, leftOutTotal: Object.values(leftOut).reduce((a, b) => a + b, 0) };
    });
}

function checkAddsUp(n, when) {
    check(n.loaded === n.planned + n.leftOutTotal, `${when}: loaded (${n.loaded}) = planned (${n.planned}) + every left-out reason (${n.leftOutTotal})`, JSON.stringify(n));
}

runTest('recipients', async (t) => {
    const server = await t.step('scripts/run.sh serves', () => startServer());
    t.server = server;
    const { baseUrl } = server;

    const food = await t.step('find the demo food group (crmhost group list)', () => foodGroup(server));
    const home = `${baseUrl}/g/${food.id}/${MODULE}/`;

    const { page } = await t.step('launch chromium', () => launchBrowser());
    t.page = page;
    page.on('dialog', (dialog) => dialog.accept());

    await t.step(`log in as ${server.login}, in French`, async () => {
        await logIn(page, baseUrl, server);
        await page.goto(`${baseUrl}/lang?to=fr`);
        checkEqual(await page.locator('html').getAttribute('lang'), 'fr', 'the page language after /lang?to=fr');
    });

    await t.step(`enable ${MODULE} for ${food.name} on the Modules page`, async () => {
        await enableModule(page, baseUrl, food.id);
    });

    await t.step('steps 1 and 2: a campaign with a subject and a message', async () => {
        await page.goto(`${home}campaigns/new`);
        await page.fill('#name', 'Rappel : commandez avant jeudi');
        await page.fill('#sender_local', 'paniers');
        await page.selectOption('#sender_domain', 'example.org');
        await submit(page, '#save-details');
        check(/\/campaigns\/\d+\/composition$/.test(pathOf(page)), 'the composition step after creating', pathOf(page));
        await page.fill('#subject', 'Pensez à commander, {{first_name}}');
        await page.waitForFunction(() => window.massmailingEditor && document.querySelector('#editor .ql-editor'));
        await page.click('#editor .ql-editor');
        await page.keyboard.type('Les commandes ferment jeudi à midi.');
        await submit(page, '#save');
        check((await page.locator('p.notice[role="status"]').count()) === 1, 'a notice "Enregistré."', await page.locator('main').innerText());
    });
    const campaignBase = page.url().replace(/composition(\?.*)?$/, '');
    const campaignId = campaignBase.match(/campaigns\/(\d+)\//)[1];

    await t.step('step 3 from the steps bar: empty, with the group\'s lists in French', async () => {
        const step = page.locator('.mm-steps li[data-step="3"] a');
        checkEqual((await step.innerText()).trim(), '3. Destinataires', 'the third step of the bar');
        await submit(page, '.mm-steps li[data-step="3"] a');
        checkEqual(pathOf(page), new URL(campaignBase + 'recipients').pathname, 'the recipients step');
        checkEqual(await page.locator('.mm-steps li.current').getAttribute('data-step'), '3', 'the current step');
        checkEqual((await page.locator('main h1').innerText()).trim(), 'Destinataires de Rappel : commandez avant jeudi', 'the title');
        const labels = await page.locator('#target option').allInnerTexts();
        check(labels.includes(TARGET), `"${TARGET}" among the lists`, labels);
        check(labels.some((l) => /^Utilisateurs ayant déjà commandé dans le catalogue [^{]+$/.test(l)), 'a catalogue list with its name filled', labels);
        check(!labels.some((l) => l.includes('{')), 'no label with an unfilled {parameter}', labels);
        const n = await numbers(page);
        checkEqual(n.loaded, 0, 'records loaded before any list');
        checkEqual(await page.locator('#no-rows').count(), 1, 'the "no record" hint');
        await screenshot(page, 'recipients-1-empty');
    });

    let loaded;
    await t.step(`load "${TARGET}": the summary counts it, and the JSON API agrees`, async () => {
        const value = await page.locator('#target option', { hasText: TARGET }).getAttribute('value');
        checkEqual(value, 'members.not_ordered_next_distribution', 'the id of the target');
        await page.selectOption('#target', value);
        await submit(page, '#load');
        check((await page.locator('#notice').innerText()).includes('La liste est chargée'), 'the notice after loading', await page.locator('main').innerText());
        loaded = await numbers(page);
        log(`loaded: ${JSON.stringify(loaded)}`);
        check(loaded.loaded > 10 && loaded.planned > 10, 'more than 10 records loaded and planned', JSON.stringify(loaded));
        checkAddsUp(loaded, 'after loading');
        checkEqual(loaded.invalid, (loaded.leftOut.invalid || 0) + (loaded.leftOut.no_address || 0), 'invalid = invalid + no address');
        checkEqual(loaded.monthly_limit, 'sans limite', 'the monthly limit of the demo configuration');
        const source = await page.locator('#sources tr').first().innerText();
        check(source.includes(TARGET) && source.includes(`${loaded.loaded} fiches`), 'the loaded list with its records', source);
        checkEqual(await page.locator('#rows tbody tr').count(), Math.min(50, loaded.loaded), 'rows on the first page');
        checkEqual((await page.locator('#page-text').innerText()).trim(), `Fiches 1 à ${Math.min(50, loaded.loaded)} sur ${loaded.loaded}`, 'the page text');

        const token = (await crmhost(server, 'user', 'token', '--login', server.login)).trim();
        const res = await fetch(`${baseUrl}/api/v1/${MODULE}/campaigns/${campaignId}/summary`, { headers: { Authorization: `Bearer ${token}` } });
        const api = await res.json();
        for (const name of ['loaded', 'planned', 'invalid', 'duplicates', 'unsubscribed', 'sent_this_month']) {
            checkEqual(api[name], loaded[name], `the API's ${name}`);
        }
        const consent = page.locator('#consent-warning');
        if (api.without_consent > 0) {
            check((await consent.innerText()).startsWith(`${api.without_consent} des ${loaded.planned} destinataires prévus`), 'the consent warning with its count', await consent.innerText());
        }
        await screenshot(page, 'recipients-2-loaded');
    });

    let afterRemove;
    await t.step('remove one address: planned goes down by one, the address is listed as unchecked', async () => {
        const button = page.locator('#rows tr.planned button[name="remove"]').first();
        const removed = await button.getAttribute('value');
        await submit(page, `#rows button[name="remove"][value="${removed}"]`);
        check((await page.locator('#notice').innerText()).includes("L'adresse est retirée"), 'the notice after removing', await page.locator('main').innerText());
        const n = await numbers(page);
        checkEqual(n.loaded, loaded.loaded, 'records loaded after removing an address');
        checkEqual(n.planned, loaded.planned - 1, 'planned after removing an address');
        check(n.leftOut.unchecked >= 1, 'at least one unchecked record', JSON.stringify(n));
        checkAddsUp(n, 'after removing');
        await submit(page, '#left-out li[data-reason="unchecked"] a');
        const row = page.locator('#rows tbody tr', { hasText: removed });
        check((await row.count()) >= 1, `${removed} among the unchecked records`, await page.locator('#list').innerText());
        checkEqual(await row.first().locator('input.mm-row-check').isChecked(), false, 'its checkbox unticked');
        check((await row.first().innerText()).includes('Décochée'), 'its reason', await row.first().innerText());
        afterRemove = n;
    });

    let added;
    await t.step('add an address by hand: loaded and planned go up by one', async () => {
        await page.fill('#addresses', 'nouvelle.adherente@example.org');
        await submit(page, '#add');
        checkEqual((await page.locator('#report-taken').innerText()).trim(), '1 adresse prise.', 'the report of the typed address');
        added = await numbers(page);
        checkEqual(added.loaded, afterRemove.loaded + 1, 'records loaded after adding one');
        checkEqual(added.planned, afterRemove.planned + 1, 'planned after adding one');
        checkAddsUp(added, 'after adding');
        await screenshot(page, 'recipients-3-removed-and-added');
    });

    await t.step('untick the added address\'s checkbox, then tick it again from the unchecked records', async () => {
        await page.goto(`${campaignBase}recipients?list=planned`);
        const row = page.locator('#rows tbody tr[data-key="nouvelle.adherente@example.org"]');
        if ((await row.count()) === 0) {
            // Not on the first page of planned records: it is the last one loaded.
            const last = page.locator('#next-page');
            while ((await row.count()) === 0 && (await last.count()) === 1) await submit(page, '#next-page');
        }
        checkEqual(await row.count(), 1, 'the added address in the planned records');
        check((await row.innerText()).includes('Ajoutée à la main'), 'its source', await row.innerText());
        // A click, not uncheck(): the change submits the form, and uncheck() would look for the box
        // on the next page, where the row is no longer planned, until it times out.
        const box = row.locator('input.mm-row-check');
        checkEqual(await box.isChecked(), true, 'the added address ticked');
        await Promise.all([page.waitForNavigation(), box.click()]); // submitted on change
        let n = await numbers(page);
        checkEqual(n.planned, added.planned - 1, 'planned after unticking one box');
        checkEqual(n.leftOut.unchecked, added.leftOut.unchecked + 1, 'unchecked records after unticking one box');
        await page.goto(`${campaignBase}recipients?list=unchecked`);
        const again = page.locator('#rows tbody tr[data-key="nouvelle.adherente@example.org"]');
        const againBox = again.locator('input.mm-row-check');
        checkEqual(await againBox.isChecked(), false, 'the added address unticked');
        await Promise.all([page.waitForNavigation(), againBox.click()]);
        n = await numbers(page);
        checkEqual(n.planned, added.planned, 'planned after ticking it again');
        await submit(page, '#calculate');
        const calculated = await numbers(page);
        checkEqual(calculated.planned, added.planned, 'planned after "Calculer"');
        checkAddsUp(calculated, 'after "Calculer"');
    });

    await t.step('people without a valid address are listed, not selectable, with a link to their record', async () => {
        await page.goto(`${campaignBase}recipients?list=all`);
        const n = await numbers(page);
        const reason = n.leftOut.invalid ? 'invalid' : n.leftOut.no_address ? 'no_address' : '';
        check(reason, 'records with an invalid or no address in the demo list', JSON.stringify(n));
        await submit(page, `#left-out li[data-reason="${reason}"] a`);
        const rows = page.locator('#rows tbody tr');
        checkEqual(await rows.count(), Math.min(50, n.leftOut[reason]), `rows listed for "${reason}"`);
        const first = rows.first();
        checkEqual(await first.locator('input[type=checkbox]').isDisabled(), true, 'the checkbox of a record without a valid address disabled');
        const link = first.locator('a.mm-profile');
        check(/^Corriger sa fiche \(personne n° \d+\)$/.test(await link.innerText()), 'a link to fix the record', await first.innerText());
        checkEqual(await link.getAttribute('href'), `/g/${food.id}/members`, 'where the link goes (the host has no profile page yet)');
        await screenshot(page, 'recipients-4-no-valid-address');
    });

    await t.step('import a CSV file: the good lines are kept, each bad line reported', async () => {
        await page.goto(`${campaignBase}recipients`);
        const before = await numbers(page);
        const csv = Buffer.concat([
            Buffer.from('email;prénom;nom\nalice.martin@example.org;Alice;Martin\n;Sans;Adresse\npas-une-adresse;Bob;Durand\ncarl@example.org;Carl;Petit;en trop\n'),
            Buffer.from([0xe9, 0x74, 0xe9, 0x40, 0x65, 0x78, 0x2e, 0x6f, 0x72, 0x67, 0x0a]), // "été@ex.org" in Latin-1
            Buffer.from('eve.leroy@example.org;Ève;Leroy\n'),
        ]);
        await page.setInputFiles('#csv', { name: 'adherents.csv', mimeType: 'text/csv', buffer: csv });
        await submit(page, '#import');
        checkEqual((await page.locator('#report-taken').innerText()).trim(), '2 adresses prises.', 'what the import took');
        const refused = await page.locator('#report li').allInnerTexts();
        checkEqual(refused.length, 4, 'lines refused');
        check(refused[0].startsWith('Ligne 3 : pas d') && refused[1].startsWith('Ligne 4 : « pas-une-adresse »') && refused[2].startsWith('Ligne 5 : 4 colonnes') && refused[3].startsWith('Ligne 6 : le texte n\'est pas en UTF-8'), 'each bad line with its number and why', refused);
        const after = await numbers(page);
        checkEqual(after.loaded, before.loaded + 2, 'records loaded after the import');
        checkEqual(after.planned, before.planned + 2, 'planned after the import');
        checkAddsUp(after, 'after the import');
        const source = await page.locator('#sources tr', { hasText: 'Fichier adherents.csv' }).innerText();
        check(source.includes('2 fiches'), 'the imported file among what was loaded', source);
        await screenshot(page, 'recipients-5-csv-report');
    });

    await t.step('in English, the same page and numbers', async () => {
        await page.goto(`${baseUrl}/lang?to=en`);
        await page.goto(`${campaignBase}recipients`);
        checkEqual((await page.locator('.mm-steps li.current').innerText()).trim(), '3. Recipients', 'the current step in English');
        const n = await numbers(page);
        checkAddsUp(n, 'in English');
        check((await page.locator('#summary').innerText()).includes('Emails planned for this campaign'), 'the summary in English', await page.locator('#summary').innerText());
        await screenshot(page, 'recipients-6-english');
    });
});
