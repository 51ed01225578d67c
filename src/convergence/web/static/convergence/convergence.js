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

  // Partner and dataset rows: add one in place, remove one with a button (the tick box stays for pages without JS).
  function setUpFormset(container) {
    var prefix = container.getAttribute("data-formset");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var maximum = parseInt(document.getElementById("id_" + prefix + "-MAX_NUM_FORMS").value, 10);
    var template = container.querySelector("template[data-formset-empty]");
    var add = container.querySelector("[data-formset-add]");
    var removeLabel = container.getAttribute("data-remove-label");
    if (!total || !template || !add) { return; }

    function enhanceRow(row) {
      var box = row.querySelector("input[name$='-DELETE']");
      if (!box) { return; }
      var group = box.closest(".cv-row__remove");
      group.hidden = true;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "fr-btn fr-btn--tertiary fr-btn--sm fr-icon-delete-line fr-btn--icon-left";
      button.textContent = removeLabel;
      button.addEventListener("click", function () {
        box.checked = true;
        row.hidden = true;
        box.dispatchEvent(new Event("input", { bubbles: true }));
        add.focus();
      });
      group.insertAdjacentElement("afterend", button);
    }

    container.querySelectorAll("[data-formset-row]").forEach(enhanceRow);
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (index >= maximum) { return; }
      template.insertAdjacentHTML("beforebegin", template.innerHTML.replace(/__prefix__/g, String(index)));
      var row = template.previousElementSibling;
      row.querySelector("[data-row-number]").textContent = String(index + 1);
      total.value = String(index + 1);
      enhanceRow(row);
      row.querySelector("input, select").focus();
      add.disabled = index + 1 >= maximum;
    });
  }

  // A table wider than the screen scrolls sideways: it must then take the keyboard focus to be scrolled (RGAA 7.3).
  function makeWideTablesFocusable() {
    document.querySelectorAll(".fr-table table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
      } else {
        table.removeAttribute("tabindex");
      }
    });
  }

  // Sortable tables: a header with data-sort ("number" or "text") becomes a button; cells may give data-sort-value.
  // Empty values stay last whatever the direction; the header says the order to screen readers (aria-sort).
  function setUpSortableTable(table) {
    table.querySelectorAll("th[data-sort]").forEach(function (header) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cv-sort-button";
      while (header.firstChild) { button.appendChild(header.firstChild); }
      header.appendChild(button);
      button.addEventListener("click", function () {
        var column = Array.prototype.indexOf.call(header.parentNode.children, header);
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = header.dataset.sort === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function value(row) {
          var cell = row.cells[column];
          var raw = cell.dataset.sortValue !== undefined ? cell.dataset.sortValue : cell.textContent.trim();
          if (raw === "") { return null; }
          return numeric ? parseFloat(raw) : raw.toLocaleLowerCase();
        }
        rows.sort(function (a, b) {
          var x = value(a), y = value(b);
          if (x === null || y === null) { return (x === null) - (y === null); }
          var order = numeric ? x - y : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    makeWideTablesFocusable();
    document.querySelectorAll("table[data-sortable]").forEach(setUpSortableTable);
    document.querySelectorAll(".cv-no-js-only").forEach(function (element) { element.hidden = true; });
    document.querySelectorAll("[data-formset]").forEach(setUpFormset);
    window.addEventListener("resize", makeWideTablesFocusable);
    document.querySelectorAll("[data-max-length]").forEach(setUpCounter);
    document.querySelectorAll("form[data-autosave]").forEach(setUpAutosave);
  });
})();
