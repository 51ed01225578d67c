// Progressive enhancements: live character counters and draft autosave. Pages work without them.
(function () {
  "use strict";

  function setUpCounter(field) {
    var max = parseInt(field.getAttribute("data-max-length"), 10);
    if (!max) { return; }
    var counter = document.createElement("span");
    counter.className = "fr-hint-text cv-counter";
    counter.id = field.id + "-counter";
    counter.setAttribute("aria-live", "polite");
    field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + counter.id).trim());
    field.insertAdjacentElement("afterend", counter);
    var template = document.documentElement.lang === "en" ? "{n} / {max} characters" : "{n} / {max} caractères";
    function update() {
      var n = field.value.length;
      counter.textContent = template.replace("{n}", n).replace("{max}", max);
      counter.classList.toggle("is-over", n > max);
    }
    field.addEventListener("input", update);
    update();
  }

  function setUpAutosave(form) {
    var status = form.querySelector(".cv-autosave");
    var timer = null;
    var saving = false;
    var pending = false;
    var english = document.documentElement.lang === "en";
    function say(text) { if (status) { status.textContent = text; } }
    function save() {
      if (saving) { pending = true; return; }
      saving = true;
      fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Autosave": "1" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (result.ok && result.body.saved) {
          form.querySelector("input[name=version]").value = result.body.version;
          say((english ? "Draft saved at " : "Brouillon enregistré à ") + new Date().toLocaleTimeString());
        } else if (result.body.message) {
          say(result.body.message);
        }
      }).catch(function () {
        say(english ? "Not saved: check your connection." : "Non enregistré : vérifiez votre connexion.");
      }).finally(function () {
        saving = false;
        if (pending) { pending = false; save(); }
      });
    }
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(save, 2000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-max-length]").forEach(setUpCounter);
    document.querySelectorAll("form[data-autosave]").forEach(setUpAutosave);
  });
})();
