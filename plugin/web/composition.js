// The composition page (templates/massmailing/composition.mustache): the Quill editor over the
// form's "html" field, the variable picker, image insertion and the confirmations of the buttons
// that replace the message. Without JavaScript the page still works: the form posts the
// textarea as it is.
(function () {
    'use strict';
    const form = document.getElementById('composition');
    if (!form) return;
    const html = document.getElementById('html');
    const subject = document.getElementById('subject');
    const picker = document.getElementById('variable');
    let quill = null;
    let lastField = 'body'; // where the picker inserts: "subject" or "body"
    let lastRange = null; // the editor's selection when it was last known

    if (form.dataset.mode === 'editor' && window.Quill && html) {
        const Quill = window.Quill;
        // Inline styles rather than Quill's classes: mail clients know no ql-* class, and the
        // server's sanitiser keeps style attributes (and drops class).
        for (const name of ['attributors/style/align', 'attributors/style/color', 'attributors/style/background', 'attributors/style/size']) {
            Quill.register(Quill.import(name), true);
        }
        quill = new Quill('#editor', {
            theme: 'snow',
            placeholder: form.dataset.placeholder || '',
            modules: {
                toolbar: [
                    [{ header: [1, 2, 3, false] }],
                    ['bold', 'italic', 'underline', 'strike'],
                    [{ color: [] }, { background: [] }],
                    [{ align: [] }],
                    [{ list: 'ordered' }, { list: 'bullet' }],
                    ['link', 'image'],
                    ['clean'],
                ],
            },
        });
        if (html.value.trim()) {
            quill.setContents(quill.clipboard.convert({ html: html.value }), 'silent');
        }
        quill.history.clear();
        quill.on('selection-change', (range) => {
            if (range) {
                lastField = 'body';
                lastRange = range;
            }
        });
        quill.on('text-change', () => {
            const range = quill.getSelection();
            if (range) lastRange = range;
        });
        window.massmailingEditor = quill; // for the browser tests and the curious
    } else if (html) {
        html.addEventListener('focus', () => (lastField = 'body'));
    }
    if (subject) subject.addEventListener('focus', () => (lastField = 'subject'));
    // A language version's subject or HTML (C11): the picker inserts where its cursor was.
    let lastVersionField = null;
    for (const field of document.querySelectorAll('[data-variable-target]')) {
        field.addEventListener('focus', () => {
            lastField = 'version';
            lastVersionField = field;
        });
    }

    // The editor's HTML as the server stores it. Quill 2 writes every space of a text as &nbsp;
    // in getSemanticHTML (lines would never wrap in a mail client): turn them back into spaces.
    function editorHtml() {
        if (quill.getLength() <= 1) return '';
        return quill.getSemanticHTML().replace(/&nbsp;/g, ' ');
    }

    function insertIntoField(field, text) {
        const start = field.selectionStart ?? field.value.length;
        const end = field.selectionEnd ?? start;
        field.value = field.value.slice(0, start) + text + field.value.slice(end);
        field.focus();
        field.setSelectionRange(start + text.length, start + text.length);
    }

    function insertIntoBody(text) {
        const range = lastRange || { index: Math.max(quill.getLength() - 1, 0), length: 0 };
        if (range.length) quill.deleteText(range.index, range.length, 'user');
        quill.insertText(range.index, text, 'user');
        quill.setSelection(range.index + text.length, 0, 'user');
    }

    const insertVariable = document.getElementById('insert-variable');
    if (insertVariable && picker) {
        insertVariable.addEventListener('click', () => {
            const tag = '{{' + picker.value + '}}';
            if (lastField === 'version' && lastVersionField) insertIntoField(lastVersionField, tag);
            else if (lastField === 'subject' && subject) insertIntoField(subject, tag);
            else if (quill) insertIntoBody(tag);
            else if (html) insertIntoField(html, tag);
        });
    }

    for (const button of document.querySelectorAll('[data-insert-image]')) {
        button.addEventListener('click', () => {
            const url = button.dataset.insertImage;
            if (quill) {
                const range = lastRange || { index: Math.max(quill.getLength() - 1, 0), length: 0 };
                quill.insertEmbed(range.index, 'image', url, 'user');
                quill.setSelection(range.index + 1, 0, 'user');
            } else if (html) {
                insertIntoField(html, '<img src="' + url + '" alt="">');
            }
        });
    }

    form.addEventListener('submit', (event) => {
        const button = event.submitter;
        if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
            event.preventDefault();
            return;
        }
        if (quill) html.value = editorHtml();
    });
})();
