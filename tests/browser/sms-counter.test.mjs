// The composer's SMS counter (plugin/web/sms.js) against the cases content/SmsText is tested
// with (tests/content/sms_cases.json): both count encodings and segments the same way. No
// browser needed: the counter is plain JavaScript, loaded as the page loads it.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const sms = require(path.join(here, '../../plugin/web/sms.js'));
const { cases } = require(path.join(here, '../content/sms_cases.json'));

let failed = 0;
for (const c of cases) {
    const counted = sms.count(c.text.repeat(c.repeat || 1));
    for (const field of ['encoding', 'characters', 'units', 'segments', 'left']) {
        if (counted[field] !== c[field]) {
            failed++;
            console.error(`${c.name}: ${field} ${counted[field]}, expected ${c[field]}`);
        }
    }
}
// The personalised worst case: each variable replaced by the audience's longest value.
const worst = sms.worstCase('Bonjour {{first_name}}, à demain', { first_name: 'Marie-Hélène' });
if (worst !== 'Bonjour Marie-Hélène, à demain') {
    failed++;
    console.error('worstCase: ' + worst);
}
if (sms.count(sms.worstCase('Hi {{first_name}}', { first_name: 'Zoë' })).encoding !== 'ucs2') {
    failed++;
    console.error('a value outside GSM 03.38 makes the worst case UCS-2');
}
if (failed) {
    console.error(`sms-counter: ${failed} differences`);
    process.exit(1);
}
console.log(`sms-counter: ${cases.length} cases agree with content/SmsText`);
