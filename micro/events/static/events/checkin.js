/* Check-in at the door, for a phone on a poor connection. The page works without this file;
   with it: the camera scans QR codes (BarcodeDetector, where the browser has it), check-ins are
   sent in the background, and when the connection drops they wait on the phone (each with its
   own idempotency key, so a check-in sent twice counts once) and leave when it is back. The list
   of the day is kept on the phone to name the person even offline. */
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var input = form.querySelector("input[name=code]");
  var keyInput = form.querySelector("input[name=idempotency_key]");
  var result = document.getElementById("checkin-result");
  var queueName = "micro-checkin-queue:" + location.pathname;
  var listName = "micro-checkin-list:" + location.pathname;

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }
  function read(name, fallback) {
    try { return JSON.parse(localStorage.getItem(name)) || fallback; } catch (error) { return fallback; }
  }
  function write(name, value) {
    try { localStorage.setItem(name, JSON.stringify(value)); } catch (error) { /* storage full or off */ }
  }
  function show(text, ok) {
    result.textContent = text;
    result.className = ok ? "checkin-ok" : "checkin-error";
  }
  function nameFor(code) {
    var wanted = String(code).toUpperCase().split(":").pop().replace(/[^A-Z0-9]/g, "");
    var people = read(listName, {people: []}).people || [];
    for (var i = 0; i < people.length; i += 1) {
      if (people[i].code === wanted) { return people[i].name; }
    }
    return "";
  }
  function send(item) {
    var body = new FormData(form);
    body.set("code", item.code);
    body.set("idempotency_key", item.key);
    return fetch(location.pathname, {
      method: "POST", body: body, credentials: "same-origin", headers: {"Accept": "application/json"}
    }).then(function (response) {
      if (response.status >= 500) { throw new Error("server"); }
      return response.json();
    });
  }
  function flush() {
    var items = read(queueName, []);
    if (!items.length || navigator.onLine === false) { return; }
    var item = items[0];
    send(item).then(function () {
      write(queueName, read(queueName, []).filter(function (other) { return other.key !== item.key; }));
      if (read(queueName, []).length) { flush(); } else { show(form.getAttribute("data-sent"), true); }
    }).catch(function () { /* still offline: try again later */ });
  }
  function preload() {
    var url = form.getAttribute("data-list");
    if (!url || navigator.onLine === false) { return; }
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { write(listName, data); } })
      .catch(function () { /* keep the copy we have */ });
  }

  form.addEventListener("submit", function (event) {
    if (!input.value.trim()) { return; }
    event.preventDefault();
    var item = {code: input.value.trim(), key: keyInput.value || newKey()};
    keyInput.value = newKey();
    input.value = "";
    send(item).then(function (data) {
      show(data.message, data.ok);
    }).catch(function () {
      var items = read(queueName, []);
      items.push(item);
      write(queueName, items);
      var name = nameFor(item.code);
      show(form.getAttribute("data-offline") + (name ? " (" + name + ")" : ""), false);
    });
    input.focus();
  });
  window.addEventListener("online", flush);
  flush();
  preload();

  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  if (!button || !video || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  button.hidden = false;
  var stream = null;
  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
  }
  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    var detector = new window.BarcodeDetector({formats: ["qr_code"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      return video.play();
    }).then(function () {
      function look() {
        if (!stream) { return; }
        detector.detect(video).then(function (codes) {
          if (codes.length && codes[0].rawValue) {
            input.value = codes[0].rawValue;
            stop();
            form.requestSubmit();
          } else {
            window.setTimeout(look, 250);
          }
        }).catch(function () { window.setTimeout(look, 500); });
      }
      look();
    }).catch(function () { stop(); });
  });
}());
