(function () {
  'use strict';
  var errors = [];
  window.__quotevalErrors = errors;
  function show() {
    var el = document.getElementById('page-errors');
    if (el) {
      el.hidden = false;
      el.textContent = 'Errors on this page:\n' + errors.join('\n');
    }
  }
  function record(message) {
    errors.push(String(message));
    show();
  }
  window.addEventListener('error', function (e) {
    if (e.target && e.target !== window && e.target.tagName) {
      record('failed to load ' + e.target.tagName + ' ' + (e.target.src || e.target.href || ''));
    } else {
      record((e.message || 'error') + ' at ' + (e.filename || '') + ':' + (e.lineno || 0));
    }
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    record('unhandled rejection: ' + (e.reason && e.reason.message ? e.reason.message : e.reason));
  });
  document.addEventListener('securitypolicyviolation', function (e) {
    record('blocked by the content security policy: ' + e.violatedDirective + ' ' + (e.blockedURI || ''));
  });
  var original = console.error;
  console.error = function () {
    record(Array.prototype.map.call(arguments, String).join(' '));
    return original.apply(console, arguments);
  };
  document.addEventListener('DOMContentLoaded', function () {
    if (errors.length) {
      show();
    }
  });
})();
