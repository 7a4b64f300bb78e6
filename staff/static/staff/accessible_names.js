'use strict';
// Names for the controls that Django's admin scripts and django-import-export draw without one
// (WCAG 4.1.2; tests/browser/test_accessibility.py runs axe-core on every admin page):
// - the autocomplete boxes (select2): named by their field's label, then their value;
// - the multiple autocomplete's search box: named by the field's label, its "clear all" cross
//   hidden from the list of chosen records;
// - the filter icons beside the permissions pickers: an image with its description;
// - a date-and-time field's two boxes: "Date:" and "Time:", the text written before each;
// - the export page's "Select all" box: tied to its label.
// Nodes are named as they appear: select2 and the pickers are drawn after the page loads.
{
    const labelOf = (element) => {
        const id = element && element.id;
        return id ? document.querySelector(`label[for="${CSS.escape(id)}"]`) : null;
    };

    const nameAutocomplete = (select) => {
        const container = select.nextElementSibling;
        if (!container || !container.classList.contains('select2')) {
            return;
        }
        const label = labelOf(select);
        const text = label ? label.textContent.replace(/:\s*$/, '').trim() : select.getAttribute('aria-label');
        const selection = container.querySelector('.select2-selection');
        if (selection && text) {
            if (label) {
                label.id = label.id || `${select.id}_label`;
                const rendered = selection.querySelector('.select2-selection__rendered');
                const ids = [label.id];
                if (rendered && rendered.id) {
                    ids.push(rendered.id);
                    // The box showing the value (a read-only text box) is named by it too.
                    if (rendered.getAttribute('role') === 'textbox') {
                        rendered.setAttribute('aria-labelledby', label.id);
                    }
                }
                selection.setAttribute('aria-labelledby', ids.join(' '));
            } else {
                selection.removeAttribute('aria-labelledby');
                selection.setAttribute('aria-label', text);
            }
        }
        // The multiple box lists the chosen records; its "clear all" cross (a mouse control,
        // the keyboard clears with Backspace) is not a list item.
        container.querySelectorAll('ul.select2-selection__rendered > :not(li)').forEach((node) => {
            node.setAttribute('aria-hidden', 'true');
        });
        const search = container.querySelector('.select2-search__field');
        if (search && text) {
            search.setAttribute('aria-label', text);
        }
    };

    const name = (root) => {
        root.querySelectorAll('select.admin-autocomplete').forEach(nameAutocomplete);
        root.querySelectorAll('.help-tooltip.search-label-icon[aria-label]').forEach((icon) => {
            icon.setAttribute('role', 'img');
        });
        root.querySelectorAll('p.datetime').forEach((paragraph) => {
            let text = '';
            paragraph.childNodes.forEach((node) => {
                if (node.nodeType === Node.TEXT_NODE) {
                    text += node.textContent;
                } else if (node.matches && node.matches('input') && !node.hasAttribute('aria-label')) {
                    const caption = text.replace(/:\s*$/, '').trim();
                    const field = paragraph.closest('.form-row, fieldset');
                    const fieldLabel = labelOf(field && field.querySelector('input'));
                    const base = fieldLabel ? fieldLabel.textContent.replace(/:\s*$/, '').trim() : '';
                    if (caption) {
                        node.setAttribute('aria-label', base ? `${base}: ${caption}` : caption);
                    }
                    text = '';
                }
            });
        });
        root.querySelectorAll('input.select-toggle:not([id])').forEach((toggle, index) => {
            const label = toggle.nextElementSibling;
            toggle.id = `select-all-toggle-${index}`;
            if (label && label.tagName === 'LABEL') {
                label.htmlFor = toggle.id;
            }
        });
    };

    let scheduled = false;
    const observer = new MutationObserver(() => {
        if (!scheduled) {
            scheduled = true;
            requestAnimationFrame(() => {
                scheduled = false;
                observer.disconnect();
                name(document);
                observer.observe(document.body, {childList: true, subtree: true});
            });
        }
    });
    document.addEventListener('DOMContentLoaded', () => {
        name(document);
        observer.observe(document.body, {childList: true, subtree: true});
    });
}
