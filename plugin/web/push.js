// The subscribe page of push notifications (screens/PushScreen, templates/massmailing/push.mustache):
// registers the service worker, asks for the permission, subscribes with the host's VAPID key and
// posts the subscription to the module. What the service worker shows is written into the page.
(function () {
  'use strict';
  const root = document.getElementById('push');
  if (!root) return;
  const status = document.getElementById('push-status');
  const shown = document.getElementById('push-shown');
  const button = document.getElementById('push-subscribe');

  function say(state, detail) {
    status.textContent = (root.dataset[state] || state) + (detail ? ' (' + detail + ')' : '');
    root.dataset.state = state;
  }

  function keyBytes(base64url) {
    const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }

  function activated(registration) {
    const worker = registration.installing || registration.waiting || registration.active;
    if (!worker || worker.state === 'activated') return Promise.resolve(registration);
    return new Promise((resolve) => {
      worker.addEventListener('statechange', () => {
        if (worker.state === 'activated') resolve(registration);
      });
    });
  }

  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    say('unsupported');
    button.disabled = true;
    return;
  }

  // The page is outside the worker's scope: it keeps the registration it made.
  const registered = navigator.serviceWorker
    .register(root.dataset.worker, { scope: root.dataset.scope })
    .then(activated)
    .then((registration) => {
      root.dataset.registered = 'true';
      return registration;
    });
  registered.catch((error) => say('unsupported', error.message));

  navigator.serviceWorker.addEventListener('message', (event) => {
    if (!event.data || !event.data.shown) return;
    shown.textContent = event.data.shown.title + ' — ' + event.data.shown.body;
    shown.dataset.title = event.data.shown.title;
    shown.dataset.body = event.data.shown.body;
  });

  async function post(subscription) {
    const form = new URLSearchParams();
    form.set('subscription', JSON.stringify(subscription));
    const answer = await fetch(root.dataset.action, {
      method: 'POST',
      headers: { 'X-CSRF-Token': root.dataset.csrf },
      body: form,
      credentials: 'same-origin',
    });
    if (answer.status !== 201) {
      const body = await answer.json().catch(() => ({}));
      say('refused', body.error ? body.error.message : String(answer.status));
      return false;
    }
    return true;
  }

  button.addEventListener('click', async () => {
    say('asking');
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') {
      say('denied');
      return;
    }
    const registration = await registered;
    let subscription;
    try {
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(root.dataset.key),
      });
    } catch (error) {
      // No push service reachable from this browser (or it refused the key).
      say('unreachable', error.message);
      return;
    }
    if (await post(subscription)) {
      say('subscribed');
      window.location.assign(window.location.pathname + '?done=subscribed');
    }
  });
})();
