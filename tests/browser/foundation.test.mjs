// The foundation's browser test: scripts/run.sh serves; the administrator it prints logs in, opens
// Modules, enables massmailing for the demo food group, finds the module's menu entry in that group
// and not in another group, opens the module's page from it (title "Mass mailing", and
// "Messagerie" in French), and screenshots are saved in tests/browser/screenshots/.
//
//   node tests/browser/foundation.test.mjs     (scripts/test.sh runs it after npm ci)

import { runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, pathOf, log } from './lib.mjs';

const MODULE = 'massmailing';

runTest('foundation', async (t) => {
    const server = await t.step('scripts/run.sh serves', () => startServer());
    t.server = server;
    const { baseUrl } = server;

    // ---- the demo groups, from the host's command line
    const { food, other } = await t.step('find the demo food group and another group (crmhost group list)', async () => {
        const out = await crmhost(server, 'group', 'list');
        const groups = out
            .split('\n')
            .filter((line) => line.trim())
            .map((line) => {
                const [id, kind, ...name] = line.split('\t');
                return { id: id.trim(), kind: (kind || '').trim(), name: name.join('\t').trim() };
            });
        const food = groups.find((g) => g.kind === 'food');
        check(food, 'a group of kind "food" in `crmhost group list`', out);
        checkEqual(food.name, 'AMAP des Capucins', 'the first food group\'s name');
        const other = groups.find((g) => g.kind === 'crm') || groups.find((g) => g.id !== food.id);
        check(other, 'a second demo group (kind crm) in `crmhost group list`', out);
        log(`food group: ${food.id} ${food.name}; other group: ${other.id} ${other.name} (${other.kind})`);
        return { food, other };
    });

    const { page } = await t.step('launch chromium', () => launchBrowser());
    t.page = page;

    // ---- log in
    await t.step(`log in as ${server.login}`, async () => {
        await page.goto(`${baseUrl}/login`);
        check(await page.locator('#login').count(), 'an input #login on /login', await page.content());
        await page.fill('#login', server.login);
        await page.fill('#password', server.password);
        await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
        const error = await page.locator('p.error').allTextContents();
        check(error.length === 0, 'no error after logging in with run.sh\'s credentials', error.join(' | '));
        checkEqual(pathOf(page), '/', 'the page after logging in');
        for (const g of [food, other]) {
            const link = page.locator(`main a[href="/g/${g.id}"]`);
            check((await link.count()) === 1, `the home page to list the group ${g.name} as a link /g/${g.id}`,
                `links: ${(await page.locator('main a').evaluateAll((as) => as.map((a) => `${a.getAttribute('href')} ${a.textContent}`))).join(', ')}`);
            checkEqual((await link.textContent()).trim(), g.name, `the home page's link to /g/${g.id}`);
        }
    });

    // ---- Modules: enable massmailing for the food group
    const section = page.locator(`section.module[data-module="${MODULE}"]`);
    const foodRow = section.locator(`tr[data-group="${food.id}"]`);
    const otherRow = section.locator(`tr[data-group="${other.id}"]`);
    const actionsOf = (row) => row.locator('button[data-action]').evaluateAll((bs) => bs.map((b) => b.dataset.action));

    await t.step('open Modules from the header', async () => {
        const nav = page.locator('#nav-modules');
        check((await nav.count()) === 1, 'a link #nav-modules in the header for the administrator', 'none');
        await Promise.all([page.waitForNavigation(), nav.click()]);
        checkEqual(pathOf(page), '/admin/modules', 'the page that #nav-modules opens');
        check((await section.count()) === 1, `a <section class="module" data-module="${MODULE}"> on /admin/modules`,
            `modules shown: ${JSON.stringify(await page.locator('section.module').evaluateAll((s) => s.map((x) => x.dataset.module)))}; errors: ${(await page.locator('p.error').allTextContents()).join(' | ')}`);
        check((await foodRow.count()) === 1, `a row tr[data-group="${food.id}"] for ${food.name} in the module's table`, await section.innerHTML());
        check((await otherRow.count()) === 1, `a row tr[data-group="${other.id}"] for ${other.name} in the module's table`, await section.innerHTML());
        const foodActions = await actionsOf(foodRow);
        check(JSON.stringify(foodActions) === '["enable"]', `${MODULE} not yet enabled for ${food.name} in a fresh RUN_DIR (one button data-action="enable")`, `buttons: ${JSON.stringify(foodActions)}`);
        const otherActions = await actionsOf(otherRow);
        check(JSON.stringify(otherActions) === '["enable"]', `${MODULE} not enabled for ${other.name} (one button data-action="enable")`, `buttons: ${JSON.stringify(otherActions)}`);
    });

    await t.step(`enable ${MODULE} for ${food.name}`, async () => {
        await Promise.all([page.waitForNavigation(), foodRow.locator('button[data-action="enable"]').click()]);
        check(pathOf(page).startsWith('/admin/modules'), 'the enable form to lead back to /admin/modules', pathOf(page));
        const notice = page.locator('p.notice[role="status"]');
        check((await notice.count()) === 1, 'a notice <p class="notice" role="status"> after enabling', `none; errors: ${(await page.locator('p.error').allTextContents()).join(' | ')}`);
        const text = (await notice.textContent()).trim();
        check(text.includes(MODULE) && text.includes(food.name), `the notice to name the module and the group ("${MODULE}", "${food.name}")`, text);
        const foodActions = await actionsOf(foodRow);
        check(JSON.stringify(foodActions) === '["disable"]', `the food group's row to offer "disable" now`, `buttons: ${JSON.stringify(foodActions)}`);
        const state = (await foodRow.locator('td').nth(2).textContent()).trim();
        checkEqual(state, 'Enabled', `the food group's state column`);
        const otherActions = await actionsOf(otherRow);
        check(JSON.stringify(otherActions) === '["enable"]', `${MODULE} still disabled for ${other.name}`, `buttons: ${JSON.stringify(otherActions)}`);
        await screenshot(page, 'foundation-1-modules-enabled');
    });

    // ---- the food group has the menu entry
    const menu = page.locator('nav.menu');
    const entry = menu.locator(`a[data-menu="${MODULE}"]`);
    const menuIds = () => menu.locator('a[data-menu]').evaluateAll((as) => as.map((a) => `${a.dataset.menu}=${a.getAttribute('href')}`));

    const openGroup = async (g) => {
        await page.goto(`${baseUrl}/`);
        await Promise.all([page.waitForNavigation(), page.locator(`main a[href="/g/${g.id}"]`).click()]);
        checkEqual(pathOf(page), `/g/${g.id}`, `the page that the home page's link to ${g.name} opens`);
        check((await menu.count()) === 1, `a <nav class="menu"> on the page of ${g.name}`, 'none');
        for (const id of ['home', 'members']) {
            check((await menu.locator(`a[data-menu="${id}"]`).count()) === 1, `the menu of ${g.name} to have the entry data-menu="${id}"`, `entries: ${(await menuIds()).join(', ')}`);
        }
    };

    await t.step(`the menu of ${food.name} has the module's entry`, async () => {
        await openGroup(food);
        const h1 = (await page.locator('main h1').textContent()).trim();
        checkEqual(h1, food.name, `the title of the page /g/${food.id}`);
        check((await entry.count()) === 1, `the menu of ${food.name} to have an entry data-menu="${MODULE}"`, `entries: ${(await menuIds()).join(', ')}`);
        checkEqual(await entry.getAttribute('href'), `/g/${food.id}/${MODULE}/`, `the href of the module's menu entry`);
        checkEqual((await entry.textContent()).trim(), 'Mass mailing', `the label of the module's menu entry`);
        check(await entry.isVisible(), 'the module\'s menu entry to be visible', 'hidden');
        await screenshot(page, 'foundation-2-food-group-menu');
    });

    // ---- the other group has not
    await t.step(`the menu of ${other.name} has no entry of the module`, async () => {
        await openGroup(other);
        check((await entry.count()) === 0, `no entry data-menu="${MODULE}" in the menu of ${other.name}, where the module is not enabled`, `entries: ${(await menuIds()).join(', ')}`);
        const links = await page.locator(`a[href*="/${MODULE}"]`).count();
        check(links === 0, `no link to the module anywhere on the page of ${other.name}`, `${links} link(s)`);
        await screenshot(page, 'foundation-3-other-group-menu');
    });

    // ---- the module's page, from the menu entry, in English and in French
    await t.step(`open the module's page from the menu of ${food.name}`, async () => {
        await openGroup(food);
        await Promise.all([page.waitForNavigation(), entry.click()]);
        checkEqual(pathOf(page), `/g/${food.id}/${MODULE}/`, 'the page that the menu entry opens');
        const error = await page.locator('p.error').allTextContents();
        check(error.length === 0, 'no error on the module\'s page', error.join(' | '));
        const h1 = (await page.locator('main h1').textContent()).trim();
        checkEqual(h1, 'Mass mailing', 'the title (h1) of the module\'s page');
        checkEqual(await page.locator('html').getAttribute('lang'), 'en', 'the page\'s language (html lang)');
        check((await entry.count()) === 1, 'the module\'s menu entry to stay in the menu on its own page', `entries: ${(await menuIds()).join(', ')}`);
        await screenshot(page, 'foundation-4-module-page');
    });

    await t.step('switch to French: the module\'s page shows "Messagerie"', async () => {
        const fr = page.locator('header a[href="/lang?to=fr"]');
        check((await fr.count()) === 1, 'a link /lang?to=fr in the header', 'none');
        await Promise.all([page.waitForNavigation(), fr.click()]);
        checkEqual(pathOf(page), `/g/${food.id}/${MODULE}/`, 'the page after switching language (back to the module\'s page)');
        checkEqual(await page.locator('html').getAttribute('lang'), 'fr', 'the page\'s language after /lang?to=fr (html lang)');
        const h1 = (await page.locator('main h1').textContent()).trim();
        checkEqual(h1, 'Messagerie', 'the title (h1) of the module\'s page in French');
        checkEqual((await entry.textContent()).trim(), 'Messagerie', 'the label of the module\'s menu entry in French');
        await screenshot(page, 'foundation-5-module-page-fr');
    });
});
