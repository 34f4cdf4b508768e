// The results page's browser test (issue 13, point 6): scripts/run.sh serves a fresh RUN_DIR; a
// finished campaign with opens, clicks, bounces, an unsubscribe, a complaint and a control group is
// written into its SQLite database (seed_results.py, as tracking would have counted them). The
// administrator finds "Results" in the campaign list and sees the funnel, the chart of opens and
// clicks per hour (two series told apart by line pattern and markers, and a table), the clicks per
// link, the domains, the language versions and the control group beside the sent group, and the
// CSV link. Screenshots: tests/browser/screenshots/results-*.png.
//
//   node tests/browser/results.test.mjs     (scripts/test.sh runs it after npm ci)

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, pathOf, REPO_ROOT, logIn } from './lib.mjs';

runTest('results', async (t) => {
    const server = await t.step('scripts/run.sh serves', () => startServer());
    t.server = server;
    const { baseUrl } = server;
    const food = await t.step('find the demo food group', () => foodGroup(server));
    await t.step('enable massmailing in it', () => crmhost(server, 'module', 'enable', 'massmailing', '--group', food.id));
    const campaign = await t.step('write a finished campaign with its events', async () => {
        const { stdout } = await promisify(execFile)('/usr/bin/python3', [
            path.join(REPO_ROOT, 'tests/browser/seed_results.py'),
            path.join(server.runDir, 'data/crmhost.db'),
            food.id,
        ]);
        return stdout.trim();
    });

    const { page } = await launchBrowser();
    await t.step('log in as the administrator', async () => {
        await logIn(page, baseUrl, server);
    });
    const home = `${baseUrl}/g/${food.id}/massmailing/`;
    await t.step('the campaign list links to its results', async () => {
        await page.goto(home);
        const link = page.locator(`tr[data-campaign="${campaign}"] a.mm-results-link`);
        check(await link.count() === 1, 'a Results link on the campaign\'s row', await page.content());
        await Promise.all([page.waitForNavigation(), link.click()]);
        checkEqual(pathOf(page), `/g/${food.id}/massmailing/campaigns/${campaign}/results`, 'the results page');
    });
    await t.step('the funnel: counts and rates', async () => {
        const counts = await page.evaluate(() => Object.fromEntries(
            [...document.querySelectorAll('#funnel [data-count]')].map((td) => [td.dataset.count, Number(td.innerText.trim())])));
        checkEqual(counts.planned, 36, 'planned (40 members, 4 held out)');
        checkEqual(counts.sent, 36, 'sent');
        checkEqual(counts.bounced_hard, 1, 'bounced permanently');
        checkEqual(counts.bounced_soft, 1, 'bounced temporarily');
        checkEqual(counts.delivered, 34, 'delivered');
        check(counts.opened > 0 && counts.clicked > 0 && counts.clicked <= counts.opened, 'people opened and fewer clicked', counts);
        const rate = await page.locator('#funnel [data-rate="delivered"]').innerText();
        check(/94\.4\s%/.test(rate), 'the delivered rate 94.4 % of sent', rate);
        await screenshot(page, 'results-page');
    });
    await t.step('the chart: two series, told apart without colour, and its table', async () => {
        const chart = page.locator('#results-chart');
        check(await chart.isVisible(), 'the chart to be visible', await page.content());
        const box = await chart.boundingBox();
        check(box && box.width > 300 && box.height > 100, 'a chart of a readable size', box);
        const dashes = await page.evaluate(() => [...document.querySelectorAll('#results-chart g.series polyline')]
            .map((line) => line.getAttribute('stroke-dasharray') || 'solid'));
        checkEqual(dashes.join(' | '), 'solid | 6 4', 'opens solid, clicks dashed');
        check(await page.locator('#results-chart circle.marker').count() > 0 && await page.locator('#results-chart rect.marker').count() > 0,
            'round markers for opens, square ones for clicks', '');
        checkEqual(await page.locator('#results-chart g.legend').count(), 2, 'a legend entry per series');
        await page.click('#hours-table-details summary');
        checkEqual(await page.locator('#hours-table tbody tr').count(), 9, 'one table row per hour, 08:00 to 16:00');
        await screenshot(page, 'results-chart-table');
    });
    await t.step('clicks per link, domains, versions', async () => {
        const first = await page.locator('#links-table tbody tr').first().innerText();
        check(first.includes('https://example.org/commandes?semaine=10') && /\b5\b/.test(first), 'the most clicked link first, 5 people', first);
        check(await page.locator('#domains-table tbody tr').count() >= 5, 'a row per domain', await page.locator('#domains-table').innerText());
        const versions = await page.locator('#versions-table').innerText();
        check(versions.includes('Main version') && versions.includes('English'), 'the main and the English versions', versions);
    });
    await t.step('the control group beside the sent group', async () => {
        checkEqual(await page.locator('#control-size').innerText(), '4', 'the control group');
        checkEqual(await page.locator('#sent-size').innerText(), '36', 'the sent group');
        const share = await page.locator('#control-share').innerText();
        check(/%/.test(share), 'the share of the control group who ordered', share);
        await page.locator('#control').scrollIntoViewIfNeeded();
        await screenshot(page, 'results-control-group');
    });
    await t.step('the CSV link downloads one line per recipient', async () => {
        const href = await page.locator('#csv-link').getAttribute('href');
        const response = await page.request.get(new URL(href, baseUrl).toString());
        checkEqual(response.status(), 200, 'the CSV answer');
        const lines = (await response.text()).trim().split('\r\n');
        checkEqual(lines.length, 41, 'a header and 40 lines');
        check(lines[0].startsWith('address,first_name,last_name,status'), 'the header', lines[0]);
    });
});
