// The location form: show only the settings of the chosen handler. Without this script
// every handler's settings show, and the server saves only the chosen one's.
(function () {
  'use strict';

  var select = document.getElementById('handler');
  if (!select) {
    return;
  }

  function show() {
    document.querySelectorAll('[data-handler]').forEach(function (element) {
      element.hidden = element.getAttribute('data-handler') !== select.value;
    });
  }

  select.addEventListener('change', show);
  show();
})();
