// The composition's browser test: scripts/run.sh serves a fresh RUN_DIR; the administrator enables
// massmailing for the food group, creates a campaign through step 1 (a refused sender address is
// shown next to its field first), writes it in step 2 (pastes a Word document into the Quill
// editor, inserts {{first_name}} with the variable picker), previews it for a chosen member,
// sends a test to the outbox and reads it back on the outbox screen, personalised.
// Screenshots: tests/browser/screenshots/composition-*.png.
//
//   node tests/browser/composition.test.mjs     (scripts/test.sh runs it after npm ci)

import { foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, pathOf, log, logIn, enableModule } from './lib.mjs';

const MODULE = 'massmailing';

// What Word puts on the clipboard (trimmed): its namespaces, a style sheet with the list's
// definition, Mso classes, a list made of paragraphs with mso-list and bullet spans, <o:p> and
// conditional comments.
const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
<style><!-- p.MsoNormal {mso-style-parent:""; margin:0cm; font-size:11.0pt;} p.MsoListParagraphCxSpFirst {mso-style-type:export-only;}
 @list l0 {mso-list-id:1386878342; mso-list-type:hybrid;}
 @list l0:level1 {mso-level-number-format:bullet; mso-level-text:\F0B7; mso-level-tab-stop:none; mso-level-number-position:left; text-indent:-18.0pt; font-family:Symbol;} --></style></head>
<body lang=FR style='tab-interval:35.4pt;word-wrap:break-word'>
<!--StartFragment--><p class=MsoNormal><b><span style='mso-bidi-font-weight:normal'>Bonjour à toutes et à tous,</span></b><o:p></o:p></p>
<p class=MsoNormal>Cette semaine dans les paniers&nbsp;:<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</span></span></span><![endif]>des poireaux et des carottes<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</span></span></span><![endif]>les œufs de la ferme<o:p></o:p></p>
<p class=MsoNormal><span style='color:#C00000'>La distribution a lieu jeudi, à partir de 18&nbsp;h.</span><o:p></o:p></p>
<!--EndFragment--></body></html>`;

// A full-page picture of a page with a message frame. The frame is sandboxed, so chromium renders
// it in a process of its own, which does not always paint again in time when a full-page
// screenshot resizes the window: make the window as tall as the page first, let it paint, then
// take the picture.
async function framedScreenshot(page, name) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: viewport.width, height });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.waitForTimeout(400);
    await screenshot(page, name);
    await page.setViewportSize(viewport);
}

runTest('composition', async (t) => {
    const server = await t.step('scripts/run.sh serves', () => startServer());
    t.server = server;
    const { baseUrl } = server;

    const food = await t.step('find the demo food group (crmhost group list)', () => foodGroup(server));
    const home = `${baseUrl}/g/${food.id}/${MODULE}/`;

    const { page } = await t.step('launch chromium', () => launchBrowser());
    t.page = page;
    page.on('dialog', (dialog) => dialog.accept()); // the confirmations of the composition's buttons

    await t.step(`log in as ${server.login}`, async () => {
        await logIn(page, baseUrl, server);
    });

    await t.step(`enable ${MODULE} for ${food.name} on the Modules page`, async () => {
        await enableModule(page, baseUrl, food.id);
    });

    // ---- the campaign list, then step 1
    await t.step('the module home lists no campaign and offers "New campaign"', async () => {
        await page.goto(home);
        checkEqual((await page.locator('main h1').textContent()).trim(), 'Mass mailing', 'the title of the module home');
        checkEqual(await page.locator('section[data-section="drafts"] tr[data-campaign]').count(), 0, 'drafts in a fresh run');
        await Promise.all([page.waitForNavigation(), page.click('#new-campaign')]);
        checkEqual(pathOf(page), `/g/${food.id}/${MODULE}/campaigns/new`, 'the page "New campaign" opens');
    });

    await t.step('step 1: a sender address without its local part is refused next to the field, input kept', async () => {
        await page.fill('#name', 'Paniers de la semaine');
        await page.fill('#subject_prefix', '[RAPPEL]');
        await page.fill('#sender_local', '');
        await Promise.all([page.waitForNavigation(), page.click('#save-details')]);
        const error = page.locator('#error-sender_email');
        check((await error.count()) === 1, 'an error next to the sender address (#error-sender_email)', await page.locator('main').innerText());
        check((await error.textContent()).includes('sender address'), 'the error to speak of the sender address', await error.textContent());
        checkEqual(await page.inputValue('#name'), 'Paniers de la semaine', 'the name typed, kept after the refusal');
        checkEqual(await page.inputValue('#subject_prefix'), '[RAPPEL]', 'the subject prefix typed, kept after the refusal');
        checkEqual(await page.getAttribute('#sender_local', 'aria-invalid'), 'true', 'the refused field marked aria-invalid');
        await screenshot(page, 'composition-1-details-error');
    });

    await t.step('step 1: a valid sender creates the campaign and opens the composition', async () => {
        await page.fill('#sender_local', 'paniers');
        await page.selectOption('#sender_domain', 'example.org');
        await page.fill('#reply_to', 'coordination@example.org');
        await Promise.all([page.waitForNavigation(), page.click('#save-details')]);
        check(/\/campaigns\/\d+\/composition$/.test(pathOf(page)), 'the composition step after creating', pathOf(page));
        checkEqual(await page.locator('.mm-steps li.current').getAttribute('data-step'), '2', 'the current step');
        await page.waitForFunction(() => window.massmailingEditor && document.querySelector('#editor .ql-editor'));
    });
    const campaignBase = page.url().replace(/composition$/, '');

    // ---- step 2
    await t.step('step 2: paste a Word document into the editor', async () => {
        await page.fill('#subject', 'Les paniers de jeudi');
        await page.click('#editor .ql-editor');
        await page.evaluate((html) => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', 'Bonjour à toutes et à tous,');
            const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
            document.querySelector('#editor .ql-editor').dispatchEvent(event);
        }, WORD_HTML);
        await page.waitForFunction(() => document.querySelector('#editor .ql-editor').innerText.includes('les œufs de la ferme'));
        const text = await page.locator('#editor .ql-editor').innerText();
        check(!text.includes('·'), 'no Word bullet character left in the editor', text);
        check((await page.locator('#editor .ql-editor li').count()) === 2, "Word's list paragraphs pasted as a list of 2 items", await page.locator('#editor .ql-editor').innerHTML());
    });

    await t.step('step 2: the picker inserts {{first_name}} in the subject and at the cursor in the message', async () => {
        await page.click('#subject');
        await page.press('#subject', 'Home');
        await page.selectOption('#variable', 'first_name');
        await page.click('#insert-variable');
        checkEqual(await page.inputValue('#subject'), '{{first_name}}Les paniers de jeudi', 'the subject after inserting at its start');
        await page.fill('#subject', '{{first_name}}, les paniers de jeudi');

        // The cursor after "Bonjour" in the first line of the message.
        await page.evaluate(() => {
            const quill = window.massmailingEditor;
            const index = quill.getText().indexOf('Bonjour') + 'Bonjour'.length;
            quill.setSelection(index, 0, 'user');
        });
        await page.selectOption('#variable', 'first_name');
        await page.click('#insert-variable');
        const first = (await page.locator('#editor .ql-editor p').first().innerText()).trim();
        checkEqual(first, 'Bonjour{{first_name}} à toutes et à tous,', 'the first line after inserting at the cursor');
        await page.evaluate(() => {
            const quill = window.massmailingEditor;
            quill.insertText(quill.getText().indexOf('{{first_name}}'), ' ', 'user');
        });
    });

    await t.step('step 2: save; the pasted Word markup is cleaned by the server, the list kept', async () => {
        await Promise.all([page.waitForNavigation(), page.click('#save')]);
        check((await page.locator('p.notice[role="status"]').count()) === 1, 'a notice "Saved."', await page.locator('main').innerText());
        const stored = await page.inputValue('#html');
        for (const gone of ['mso-', 'MsoNormal', '<o:p', 'supportLists', 'class=']) {
            check(!stored.includes(gone), `no "${gone}" in the saved message`, stored);
        }
        check(/<ul>\s*<li>des poireaux et des carottes<\/li>\s*<li>les œufs de la ferme<\/li>\s*<\/ul>/.test(stored), 'the bullet list saved as <ul><li>', stored);
        check(stored.includes('Bonjour {{first_name}}'), 'the variable saved in the message', stored);
        check(/<strong>|<b>/.test(stored), 'the bold first line kept', stored);
        checkEqual(await page.inputValue('#subject'), '{{first_name}}, les paniers de jeudi', 'the saved subject');
        await page.waitForFunction(() => window.massmailingEditor && document.querySelector('#editor .ql-editor li'));
        await screenshot(page, 'composition-2-composition');
    });

    // ---- preview
    let firstName = '';
    let email = '';
    await t.step('preview: choose a member; subject, HTML and text are filled with their values', async () => {
        await Promise.all([page.waitForNavigation(), page.click('#save-preview')]);
        checkEqual(pathOf(page), new URL(campaignBase + 'preview').pathname, 'the page "Save and preview" opens');
        // The tenth member of the list that has an address: not the default sample.
        const options = await page.locator('#recipient option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent })));
        const withAddress = options.filter((o) => /@/.test(o.label));
        check(withAddress.length > 10, 'more than 10 members with an address in the recipient list', options.length);
        const chosen = withAddress[10];
        email = chosen.label.split(' · ').pop().trim();
        await page.selectOption('#recipient', chosen.value);
        await Promise.all([page.waitForNavigation(), page.click('#show-preview')]);
        checkEqual(await page.inputValue('#recipient'), chosen.value, 'the recipient chosen, still selected');
        checkEqual((await page.locator('#preview-to').textContent()).trim(), email, 'the preview addressed to the chosen member');
        const subject = (await page.locator('#preview-subject').textContent()).trim();
        const m = subject.match(/^\[RAPPEL\] (.+), les paniers de jeudi$/);
        check(m, 'the previewed subject "[RAPPEL] <first name>, les paniers de jeudi"', subject);
        firstName = m[1];
        check(chosen.label.startsWith(firstName), `the first name in the subject (${firstName}) to be the chosen member's`, chosen.label);
        const frame = page.frameLocator('#preview-html');
        const body = await frame.locator('body').innerText();
        check(body.includes(`Bonjour ${firstName} à toutes et à tous`), 'the HTML preview personalised', body);
        check((await frame.locator('li').count()) === 2, 'the list in the HTML preview', body);
        await page.click('#preview-text-part summary');
        const text = await page.locator('#preview-text').innerText();
        check(text.includes(`Bonjour ${firstName} à toutes et à tous`), 'the text version personalised', text);
        check(await page.locator('#variable-problems').count() === 0, 'no variable problem', await page.locator('main').innerText());
        checkEqual((await page.locator('#preview-reply-to').textContent()).trim(), 'coordination@example.org', 'the reply-to of step 1 in the preview');
        await framedScreenshot(page, 'composition-3-preview');
    });

    await t.step('test send to an address typed: it lands in the outbox', async () => {
        await page.fill('#to', 'moi@example.org');
        await Promise.all([page.waitForNavigation(), page.click('#send-test')]);
        const notice = page.locator('#test-sent');
        check((await notice.count()) === 1, 'a notice that the test was sent (#test-sent)', await page.locator('main').innerText());
        const said = await notice.innerText();
        check(said.includes('moi@example.org') && said.includes(firstName) && said.includes('outbox'), 'the notice to say where the test went, and whose values filled it', said);
        await framedScreenshot(page, 'composition-4-test-sent');
    });

    await t.step('the outbox lists the test; opened, it holds the personalised text', async () => {
        await Promise.all([page.waitForNavigation(), page.click('#notice-outbox')]);
        checkEqual(pathOf(page), `/g/${food.id}/${MODULE}/outbox`, 'the outbox page');
        const first = page.locator('#outbox tbody tr').first();
        const row = await first.innerText();
        check(row.includes(`[RAPPEL] ${firstName}, les paniers de jeudi`) && row.includes('moi@example.org'), 'the newest message: the test, to moi@example.org', row);
        await screenshot(page, 'composition-5-outbox');
        await Promise.all([page.waitForNavigation(), first.locator('td a').last().click()]);
        const text = await page.locator('#message-text').innerText();
        check(text.includes(`Bonjour ${firstName} à toutes et à tous`), 'the text part of the message personalised', text);
        const html = await page.frameLocator('#message-html').locator('body').innerText();
        check(html.includes(`Bonjour ${firstName} à toutes et à tous`) && html.includes('les œufs de la ferme'), 'the HTML part personalised', html);
        const headers = await page.locator('#message-headers').innerText();
        check(headers.includes('paniers@example.org') && headers.includes('Reply-To'), 'the sender and the reply-to of step 1 in the headers', headers);
        await framedScreenshot(page, 'composition-6-outbox-message');
        log(`personalised for ${firstName} <${email}>`);
    });

    await t.step('the campaign is listed among the drafts of the module home', async () => {
        await page.goto(home);
        const row = page.locator('section[data-section="drafts"] tr[data-campaign]');
        checkEqual(await row.count(), 1, 'drafts listed');
        const text = await row.innerText();
        check(text.includes('Paniers de la semaine') && text.includes('{{first_name}}, les paniers de jeudi') && text.includes('Draft') && text.includes('Members'), 'name, subject, status and recipient type in the row', text);
        await screenshot(page, 'composition-7-campaign-list');
    });

    await t.step('in French, a variable members cannot fill is reported with the recipients it affects', async () => {
        await Promise.all([page.waitForNavigation(), page.click('header a[href="/lang?to=fr"]')]);
        await page.goto(campaignBase + 'composition');
        checkEqual(await page.locator('html').getAttribute('lang'), 'fr', 'the page language after /lang?to=fr');
        await page.fill('#subject', '{{first_name}}, les paniers de jeudi ({{company}})');
        await page.waitForFunction(() => window.massmailingEditor);
        await Promise.all([page.waitForNavigation(), page.click('#save-preview')]);
        const problems = page.locator('#variable-problems');
        check((await problems.count()) === 1, 'the variable problems listed on the preview (#variable-problems)', await page.locator('main').innerText());
        const said = await problems.innerText();
        check(/\{\{company\}\} n'existe pas pour ces destinataires : \d+ destinataires la recevraient vide\./.test(said), 'the problem in French, with the variable and the number of recipients', said);
        await screenshot(page, 'composition-8-variable-problem-fr');
        await Promise.all([page.waitForNavigation(), page.click('header a[href="/lang?to=en"]')]);
    });
});
