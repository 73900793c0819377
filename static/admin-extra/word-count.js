/* Live story and word counts on the section and story pages of the admin.
   A static file on purpose: the Content-Security-Policy allows no inline script.
   Counts every story title and body field on the page, as the editor types. */
(function () {
  "use strict";

  function words(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function storyFields() {
    return Array.prototype.filter.call(
      document.querySelectorAll("textarea[name$='body'], input[name$='title']"),
      function (el) {
        // Story inline rows (stories-N-...) or the story form itself, not the empty template row.
        return el.name.indexOf("__prefix__") === -1 &&
          (/^stories-\d+-(title|body)$/.test(el.name) || document.body.classList.contains("model-story"));
      }
    );
  }

  function update(output) {
    var fields = storyFields();
    var total = 0;
    var stories = 0;
    fields.forEach(function (el) {
      total += words(el.value);
      if (/body$/.test(el.name)) { stories += 1; }
    });
    output.textContent = stories + (stories === 1 ? " story, " : " stories, ") +
      total.toLocaleString() + (total === 1 ? " word" : " words");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("#content-main form");
    if (!form || !storyFields().length) { return; }
    var output = document.createElement("p");
    output.className = "live-word-count";
    output.setAttribute("role", "status");
    output.setAttribute("aria-live", "polite");
    form.parentNode.insertBefore(output, form);
    update(output);
    form.addEventListener("input", function () { update(output); });
    // New inline rows added with "Add another story" count too.
    document.addEventListener("formset:added", function () { update(output); });
  });
})();
