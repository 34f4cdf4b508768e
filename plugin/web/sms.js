// The SMS counter of the composer: encoding (GSM 03.38 7-bit or UCS-2), segments and characters
// left, as content/SmsText counts them (the owner of the rule; both are tested against
// tests/content/sms_cases.json). Usable in a page (window.MassMailingSms) and from Node (require).
(function (root) {
    'use strict';
    var BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡' +
        'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
    var EXTENSION = '\f^{}\\[~]|€';

    function gsmUnits(ch) {
        if (BASIC.indexOf(ch) >= 0) return 1;
        if (EXTENSION.indexOf(ch) >= 0) return 2;
        return 0;
    }

    // Units laid into segments of perSegment, no character split between two.
    function segmentsOf(units, perSegment) {
        var segments = units.length ? 1 : 0, fill = 0;
        for (var i = 0; i < units.length; i++) {
            if (fill + units[i] > perSegment) { segments++; fill = 0; }
            fill += units[i];
        }
        return { segments: segments, fill: fill };
    }

    function count(text) {
        var points = Array.from(text || ''); // code points: an emoji is one
        var gsm = [], ucs2 = [], allGsm = true;
        points.forEach(function (ch) {
            var u = gsmUnits(ch);
            if (!u) allGsm = false;
            gsm.push(u);
            ucs2.push(ch.codePointAt(0) > 0xFFFF ? 2 : 1);
        });
        var units = allGsm ? gsm : ucs2;
        var single = allGsm ? 160 : 70, part = allGsm ? 153 : 67;
        var total = units.reduce(function (a, b) { return a + b; }, 0);
        var perSegment = total <= single ? single : part;
        var laid = segmentsOf(units, perSegment);
        return {
            encoding: allGsm ? 'gsm7' : 'ucs2',
            characters: points.length,
            units: total,
            segments: laid.segments,
            perSegment: perSegment,
            left: perSegment - laid.fill
        };
    }

    // The text with each {{variable}} replaced by the longest value the audience has for it
    // (longest: {name: value}); a variable it does not know is left as written.
    function worstCase(text, longest) {
        return (text || '').replace(/\{\{\{?\s*([a-z_][a-z0-9_]*)\s*\}?\}\}/g, function (all, name) {
            return longest && Object.prototype.hasOwnProperty.call(longest, name) ? longest[name] : all;
        });
    }

    // The composer's counter: under the SMS text, while typing, its encoding, segments and
    // characters left, and the same for the personalised worst case (each variable as long as
    // VARIABLE_LENGTH characters outside GSM 03.38 may make it UCS-2 only if the text is).
    var VARIABLE_LENGTH = 20;
    function describe(counted, words) {
        return (counted.encoding === 'gsm7' ? words.gsm7 : words.ucs2) + ' · ' +
            words.segments.replace('{n}', counted.segments) + ' · ' + words.left.replace('{n}', counted.left);
    }
    function attach(doc) {
        var text = doc.getElementById('sms-text'), out = doc.getElementById('sms-counter');
        if (!text || !out) return;
        var words = { gsm7: out.dataset.gsm7, ucs2: out.dataset.ucs2, segments: out.dataset.segments,
                      left: out.dataset.left, worst: out.dataset.worst };
        function longest() {
            var values = {};
            (text.value.match(/\{\{\{?\s*([a-z_][a-z0-9_]*)/g) || []).forEach(function (tag) {
                values[tag.replace(/[{\s]/g, '')] = new Array(VARIABLE_LENGTH + 1).join('x');
            });
            return values;
        }
        function update() {
            var now = count(text.value), worst = count(worstCase(text.value, longest()));
            out.textContent = describe(now, words) + (worst.segments !== now.segments || text.value.indexOf('{{') >= 0
                ? ' — ' + words.worst + ' ' + describe(worst, words) : '');
            out.dataset.encoding = now.encoding;
            out.dataset.segments = String(now.segments);
        }
        text.addEventListener('input', update);
        update();
        var pick = doc.getElementById('variable'), insert = doc.getElementById('insert-variable');
        if (pick && insert)
            insert.addEventListener('click', function () {
                var tag = '{{' + pick.value + '}}', at = text.selectionStart || text.value.length;
                text.value = text.value.slice(0, at) + tag + text.value.slice(text.selectionEnd || at);
                text.focus();
                text.selectionStart = text.selectionEnd = at + tag.length;
                update();
            });
    }

    var api = { count: count, worstCase: worstCase, gsmUnits: gsmUnits, attach: attach };
    if (typeof module !== 'undefined' && module.exports) module.exports = api;
    else {
        root.MassMailingSms = api;
        if (root.document) {
            if (root.document.readyState === 'loading')
                root.document.addEventListener('DOMContentLoaded', function () { attach(root.document); });
            else attach(root.document);
        }
    }
})(this);
