// The service worker of push notifications (registered by push.js, scope /p/massmailing/assets/):
// shows each message the push service delivers, {"title", "body", "url"} as the module encrypted
// it (plugin/push/PushMessage), and opens its URL on a click.
'use strict';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let message = {};
  if (event.data) {
    try {
      message = event.data.json();
    } catch (error) {
      message = { body: event.data.text() };
    }
  }
  const title = String(message.title || '');
  const body = String(message.body || '');
  const url = String(message.url || '');
  event.waitUntil(
    self.registration
      .showNotification(title, { body: body, data: { url: url } })
      .then(() => self.clients.matchAll({ type: 'window', includeUncontrolled: true }))
      .then((clients) => clients.forEach((client) => client.postMessage({ shown: { title: title, body: body } })))
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url;
  // Only a web address: the module fills it, but a worker opens nothing else.
  if (url && /^https?:\/\//i.test(url)) event.waitUntil(self.clients.openWindow(url));
});
