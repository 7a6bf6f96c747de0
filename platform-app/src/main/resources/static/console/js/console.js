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
    var done = function () {
      button.textContent = 'Copied';
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        button.textContent = 'Select and copy';
      });
    } else {
      button.textContent = 'Selected: press Ctrl+C';
    }
  });
}());
