// Passkey ceremonies for the forms marked data-passkey="register", "sign-in" or "step-up"
// (views/passkeys.hbs, views/login-passkey.hbs, views/step-up.hbs). The response goes into the
// form's field marked data-passkey-response (else the one named "response"). Needs @simplewebauthn/browser's bundle (global SimpleWebAuthnBrowser),
// served by the app. The server checks everything; this file only carries the ceremony.
(function () {
  'use strict';
  function show(message) {
    const el = document.getElementById('passkey-error');
    if (!el) return window.alert(message);
    el.textContent = message;
    el.hidden = false;
    el.setAttribute('tabindex', '-1');
    el.focus();
  }
  function explain(err) {
    if (err && err.name === 'NotAllowedError') return 'The passkey request was cancelled or timed out. Try again.';
    if (err && err.name === 'InvalidStateError') return 'This device already has a passkey for your account.';
    if (err && err.name === 'SecurityError') return 'Passkeys do not work on this address; use the site’s own address.';
    return 'The passkey request did not work' + (err && err.message ? ': ' + err.message : '.');
  }
  async function ceremony(form) {
    const lib = window.SimpleWebAuthnBrowser;
    if (!lib || !lib.browserSupportsWebAuthn()) return show('This browser does not support passkeys.');
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    try {
      const res = await fetch(form.getAttribute('data-options-url'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{}',
      });
      const options = await res.json().catch(() => ({}));
      if (!res.ok) return show(options.message || 'Could not start the passkey request. Try again.');
      let credential;
      try {
        credential =
          form.getAttribute('data-passkey') === 'register'
            ? await lib.startRegistration({ optionsJSON: options })
            : await lib.startAuthentication({ optionsJSON: options });
      } catch (err) {
        return show(explain(err));
      }
      (form.querySelector('[data-passkey-response]') || form.elements.response).value = JSON.stringify(credential);
      form.submit();
    } finally {
      if (button) button.disabled = false;
    }
  }
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!form.hasAttribute || !form.hasAttribute('data-passkey')) return;
    event.preventDefault();
    if (form.reportValidity && !form.reportValidity()) return;
    ceremony(form);
  });
})();
