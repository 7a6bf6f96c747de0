// Capuchin console: every htmx request carries the page's CSRF token, and a request whose
// session ended sends the whole page to the sign-in page (the server answers HX-Redirect).
(function () {
  'use strict';

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute('content') : null;
  }

  document.addEventListener('htmx:configRequest', function (event) {
    var header = meta('csrf-header');
    var token = meta('csrf-token');
    if (header && token) {
      event.detail.headers[header] = token;
    }
  });

  // a failed poll (server restarting, network) keeps the last content instead of an error
  document.addEventListener('htmx:responseError', function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 401) {
      window.location.reload();
    }
  });

  // "Copy" buttons: data-copy names the field whose value goes to the clipboard
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy]');
    if (!button) {
      return;
    }
    var field = document.querySelector(button.getAttribute('data-copy'));
    if (!field) {
      return;
    }
    field.select();
    var label = button.getAttribute('data-label') || button.textContent;
    button.setAttribute('data-label', label);
    var done = function () {
      button.textContent = 'Copied';
      announce('Copied to the clipboard');
      window.setTimeout(function () { button.textContent = label; }, 3000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        button.textContent = 'Select and copy';
      });
    } else {
      button.textContent = 'Selected: press Ctrl+C';
    }
  });

  // a choice that changes what the rest of the page offers (the access-rule form's site)
  // reloads the page for it; without JavaScript, its form's button does the same
  document.addEventListener('change', function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute('data-autosubmit') && field.form) {
      field.form.submit();
    }
  });

  // a visually hidden status region (in the layout) that screen readers read out
  function announce(text) {
    var region = document.getElementById('console-announce');
    if (region) {
      region.textContent = '';
      window.setTimeout(function () { region.textContent = text; }, 50);
    }
  }

  // Forms answered with errors: every invalid field says so (aria-invalid) and names its
  // message (aria-describedby), required fields say so too (aria-required), and focus
  // moves to the first invalid field, or to the form's error summary when no field is at fault.
  function markForms() {
    document.querySelectorAll('[required]').forEach(function (field) {
      field.setAttribute('aria-required', 'true');
    });
    var invalid = document.querySelectorAll('#content .is-invalid');
    invalid.forEach(function (field) {
      field.setAttribute('aria-invalid', 'true');
      var container = field.closest('.input-group') || field;
      var message = container.parentElement
        ? container.parentElement.querySelector('.invalid-feedback[id]') : null;
      if (message) {
        var described = (field.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
        if (described.indexOf(message.id) < 0) {
          described.unshift(message.id);
          field.setAttribute('aria-describedby', described.join(' '));
        }
      }
    });
    var first = invalid.length > 0 ? invalid[0]
      : document.querySelector('#content form [role="alert"], #content [role="alert"].alert-danger');
    if (first) {
      if (!first.matches('input, select, textarea, button, a[href]')) {
        first.setAttribute('tabindex', '-1');
      }
      first.focus();
    }
  }

  // a table that scrolls sideways (at phone width) can be scrolled from the keyboard
  function scrollables(root) {
    root.querySelectorAll('.table-responsive').forEach(function (region) {
      region.setAttribute('tabindex', '0');
      var heading = region.closest('section, .card');
      heading = heading ? heading.querySelector('h2, h3, caption') : null;
      if (heading) {
        region.setAttribute('role', 'region');
        region.setAttribute('aria-label', heading.textContent.trim());
      }
    });
  }

  document.addEventListener('htmx:afterSwap', function (event) {
    scrollables(event.detail.target || document);
  });

  function ready() {
    scrollables(document);
    markForms();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
}());
