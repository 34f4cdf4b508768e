// The host's pages (templates/host/), loaded by the layout from /assets/host.js: the pages
// carry no inline script (the Content-Security-Policy allows scripts from this origin only).
(function () {
    'use strict';
    // A <select data-autosubmit> sends its form when it changes (the members' filter).
    for (const select of document.querySelectorAll('select[data-autosubmit]')) {
        select.addEventListener('change', () => select.form.submit());
    }
})();
