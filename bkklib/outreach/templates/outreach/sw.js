{% load static %}/* Service worker of the volunteer desk: keeps the page and its files so the desk opens with no connection.
   The actions themselves are queued by desk.js in IndexedDB, not here. */
"use strict";
const CACHE = "bkklib-desk-v1";
const DESK = "{% url 'outreach:desk' %}";
const FILES = [DESK, "{% static 'outreach/desk.js' %}", "{% static 'outreach/desk.css' %}",
  "{% static 'outreach/desk-icon.svg' %}", "{% url 'outreach:desk-manifest' %}"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key !== CACHE).map((key) => caches.delete(key)))).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) { return; }
  if (request.mode === "navigate" && url.pathname === DESK) {
    // The page: the network first (fresh CSRF token, account still valid), the kept copy offline.
    event.respondWith(fetch(request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(DESK, copy));
      }
      return response;
    }).catch(() => caches.match(DESK)));
    return;
  }
  if (FILES.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});
