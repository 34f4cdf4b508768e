// The behaviour of the module's screens that was inline in their templates (home, recipients,
// send), served by AssetScreen: the pages carry no inline script, as the host's
// Content-Security-Policy allows scripts from this origin only. Each part acts only when its
// elements are on the page. (The composition screen has its own composition.js.)
(function () {
    'use strict';
    // A button with data-confirm asks first.
    for (const button of document.querySelectorAll('[data-confirm]')) {
        button.addEventListener('click', (event) => { if (!window.confirm(button.dataset.confirm)) event.preventDefault(); });
    }

    // Recipients: ticking a row's box saves the checks at once.
    for (const box of document.querySelectorAll('#rows .mm-row-check')) {
        box.addEventListener('change', () => box.form.requestSubmit(document.getElementById('save-checks')));
    }

    // Send: "Later" shows the date, time and zone; "at most N" and "within H hours" their number.
    for (const form of document.querySelectorAll('form.mm-send-form')) {
        const sync = () => {
            const later = form.querySelector('input[name=when][value=later]').checked;
            form.querySelector('.mm-later').hidden = !later;
            for (const input of form.querySelectorAll('input[name=pacing]')) {
                const field = form.querySelector('[data-pacing="' + input.value + '"]');
                if (field) field.disabled = !input.checked;
            }
        };
        form.addEventListener('change', sync);
        sync();
    }

    // Send: while a send is scheduled or runs, its numbers every 2 seconds; the page again when
    // its state changes.
    const progress = document.getElementById('progress');
    if (progress && progress.dataset.live === '1') {
        const bar = document.getElementById('progress-bar');
        const poll = async () => {
            try {
                const response = await fetch(progress.dataset.url, { credentials: 'same-origin', cache: 'no-store' });
                if (response.ok) {
                    const numbers = await response.json();
                    for (const cell of progress.querySelectorAll('[data-progress]')) {
                        if (numbers[cell.dataset.progress] !== undefined) cell.textContent = numbers[cell.dataset.progress];
                    }
                    bar.max = Number(numbers.total) || 1;
                    bar.value = Number(numbers.done) || 0;
                    if (numbers.status !== progress.dataset.status) {
                        window.location.replace(window.location.pathname);
                        return;
                    }
                }
            } catch (error) {
                // The next poll tries again.
            }
            setTimeout(poll, 2000);
        };
        setTimeout(poll, 2000);
    }

    // Recipients: while a load runs in the background, its step and rows every half second;
    // the page again (with the summary) once it has ended.
    const load = document.getElementById('audience-load');
    if (load && load.dataset.live === '1') {
        const bar = document.getElementById('audience-load-bar');
        const poll = async () => {
            try {
                const response = await fetch(load.dataset.url, { credentials: 'same-origin', cache: 'no-store' });
                if (response.ok) {
                    const state = await response.json();
                    if (state.state !== 'running') {
                        window.location.replace(window.location.href);
                        return;
                    }
                    bar.max = Number(state.total) || 1;
                    bar.value = Number(state.done) || 0;
                    document.getElementById('audience-load-step').textContent = state.stepText;
                    document.getElementById('audience-load-rows').textContent = state.rows;
                }
            } catch (error) {
                // The next poll tries again.
            }
            setTimeout(poll, 500);
        };
        setTimeout(poll, 500);
    }

    // Results: while the campaign sends, the page again every data-refresh-seconds.
    const results = document.getElementById('results');
    if (results && results.dataset.live === '1') {
        const seconds = Math.max(5, Number(results.dataset.refreshSeconds) || 30);
        setTimeout(() => window.location.reload(), seconds * 1000);
    }
})();
