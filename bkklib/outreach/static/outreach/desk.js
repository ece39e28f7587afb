/* The volunteer desk: queue lend / return / visitor-count actions in IndexedDB with the time they
   happened, and send the queue to the server whenever the connection is there.

   Each action gets its own id on this phone; the server stores each id once, so sending a batch
   twice (the answer lost with the connection) applies nothing twice. An action leaves the queue
   only when the server's answer names it. */
(function () {
  "use strict";
  var root = document.getElementById("desk");
  if (!root) { return; }
  var DB_NAME = "bkklib-desk-" + root.dataset.account;
  var db = null;
  var syncing = false;

  function msg(name) { return root.dataset["msg" + name] || name; }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var d = req.result;
        d.createObjectStore("queue", { keyPath: "action_id" });
        d.createObjectStore("log", { keyPath: "action_id" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(store, mode, work) {
    return new Promise(function (resolve, reject) {
      var t = db.transaction(store, mode);
      var result = work(t.objectStore(store));
      t.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
      t.onerror = function () { reject(t.error); };
    });
  }

  function all(store) {
    return new Promise(function (resolve, reject) {
      var req = db.transaction(store, "readonly").objectStore(store).getAll();
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID().replace(/-/g, ""); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function nextSeq() {
    var key = DB_NAME + "-seq";
    var n = parseInt(localStorage.getItem(key) || "0", 10) + 1;
    localStorage.setItem(key, String(n));
    return n;
  }

  function say(text) { document.getElementById("desk-message").textContent = text; }

  function label(entry) {
    var what = entry.kind === "lend" ? msg("Lend") : entry.kind === "return" ? msg("Return") : msg("Visit");
    var time = new Date(entry.happened_at).toLocaleTimeString("th-TH", { hour: "2-digit", minute: "2-digit" });
    var subject = entry.item_barcode || Object.keys(entry.counts || {}).map(function (k) {
      return entry.counts[k];
    }).reduce(function (a, b) { return a + b; }, 0);
    var state = entry.status ? msg(entry.status.charAt(0).toUpperCase() + entry.status.slice(1)) : msg("Queued");
    return time + " · " + what + " " + subject + " · " + state + (entry.message ? " — " + entry.message : "");
  }

  function render() {
    return Promise.all([all("queue"), all("log")]).then(function (lists) {
      var queue = lists[0], log = lists[1];
      document.getElementById("queue-count").textContent = String(queue.length);
      var rows = queue.map(function (e) { return Object.assign({ status: "" }, e); }).concat(log);
      rows.sort(function (a, b) { return b.happened_at.localeCompare(a.happened_at) || b.seq - a.seq; });
      var list = document.getElementById("log");
      list.textContent = "";
      rows.slice(0, 50).forEach(function (entry) {
        var li = document.createElement("li");
        li.className = entry.status || "queued";
        li.setAttribute("data-action", entry.action_id);
        li.textContent = label(entry);
        list.appendChild(li);
      });
    });
  }

  function enqueue(fields) {
    var entry = Object.assign({ action_id: newId(), happened_at: new Date().toISOString(), seq: nextSeq() }, fields);
    return tx("queue", "readwrite", function (s) { return s.put(entry); })
      .then(render).then(function () { say(msg("Queued")); return sync(); });
  }

  function sync() {
    if (syncing || !navigator.onLine) { return Promise.resolve(); }
    syncing = true;
    return all("queue").then(function (queue) {
      if (!queue.length) { return null; }
      return fetch(root.dataset.syncUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf, "Accept": "application/json" },
        body: JSON.stringify({ actions: queue })
      }).then(function (response) {
        return response.json().then(function (body) {
          if (!body.actions) { say(body.detail || body.title || ""); return null; }
          var sent = {};
          queue.forEach(function (e) { sent[e.action_id] = e; });
          return new Promise(function (resolve, reject) {
            var t = db.transaction(["queue", "log"], "readwrite");
            body.actions.forEach(function (r) {
              var entry = sent[r.action_id];
              if (!entry) { return; }
              t.objectStore("queue").delete(r.action_id);
              t.objectStore("log").put(Object.assign({}, entry, { status: r.status, code: r.code, message: r.message }));
            });
            t.oncomplete = resolve;
            t.onerror = function () { reject(t.error); };
          }).then(function () {
            if (body.detail && response.status >= 400) { say(body.detail); }
          });
        });
      });
    }).catch(function () { /* offline or the server away: the queue stays for the next try */ })
      .then(function () { syncing = false; return render(); });
  }

  function value(id) { return document.getElementById(id).value.trim(); }

  function lendOrReturn(kind) {
    var item = value("item");
    if (kind === "lend" && !value("card")) { say(msg("NeedCard")); return; }
    if (!item) { say(msg("NeedItem")); return; }
    var fields = { kind: kind, item_barcode: item };
    if (kind === "lend") { fields.card_number = value("card"); }
    document.getElementById("item").value = "";
    enqueue(fields);
    document.getElementById("item").focus();
  }

  function countVisit() {
    var counts = {};
    var total = 0;
    ["children", "youth", "adults", "elderly"].forEach(function (group) {
      var n = parseInt(value("count-" + group) || "0", 10);
      if (n > 0) { counts[group] = n; total += n; }
    });
    if (!total) { say(msg("NeedCount")); return; }
    ["children", "youth", "adults", "elderly"].forEach(function (g) { document.getElementById("count-" + g).value = "0"; });
    enqueue({ kind: "visit", counts: counts });
  }

  function scan(target) {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { say(msg("NoCamera")); return; }
    var video = document.getElementById("camera");
    var detector = new window.BarcodeDetector();
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      function stop() { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; }
      function look() {
        detector.detect(video).then(function (codes) {
          if (codes.length) { document.getElementById(target).value = codes[0].rawValue; stop(); return; }
          window.requestAnimationFrame(look);
        }).catch(stop);
      }
      look();
    }).catch(function () { say(msg("NoCamera")); });
  }

  function showNet() {
    var el = document.getElementById("net-state");
    el.textContent = navigator.onLine ? el.dataset.online : el.dataset.offline;
    el.classList.toggle("offline", !navigator.onLine);
  }

  openDb().then(function (d) {
    db = d;
    document.getElementById("do-lend").addEventListener("click", function () { lendOrReturn("lend"); });
    document.getElementById("do-return").addEventListener("click", function () { lendOrReturn("return"); });
    document.getElementById("do-visit").addEventListener("click", countVisit);
    document.getElementById("sync-now").addEventListener("click", sync);
    Array.prototype.forEach.call(document.querySelectorAll(".scan"), function (b) {
      b.addEventListener("click", function () { scan(b.dataset.target); });
    });
    window.addEventListener("online", function () { showNet(); sync(); });
    window.addEventListener("offline", showNet);
    showNet();
    root.setAttribute("data-ready", "1");
    return render().then(sync);
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
  }
})();
