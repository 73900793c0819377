/* The one-page issue editor: live word counts and the Markdown preview of each story.
   A static file on purpose: the Content-Security-Policy allows no inline script.
   The preview HTML comes from the server, which renders the Markdown with the public
   page's sanitiser; nothing the editor typed is put into the page as HTML here. */
(function () {
  "use strict";

  function words(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function fieldOf(el) {
    return el.closest(".md-field");
  }

  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.classList || !el.classList.contains("md-body")) { return; }
    var field = fieldOf(el);
    var count = field && field.querySelector(".md-word-count");
    if (count) {
      var n = words(el.value);
      count.textContent = n.toLocaleString() + (n === 1 ? " word" : " words");
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".md-preview-button");
    if (!button) { return; }
    event.preventDefault();
    var field = fieldOf(button);
    var textarea = field.querySelector("textarea");
    var output = field.querySelector(".md-preview");
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var data = new FormData();
    data.append("text", textarea.value);
    data.append("csrfmiddlewaretoken", token ? token.value : "");
    button.disabled = true;
    fetch(button.getAttribute("data-url"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-Requested-With": "XMLHttpRequest"}
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    }).then(function (html) {
      output.innerHTML = html;  /* sanitised by the server (newsletters/markdown.py) */
      output.hidden = false;
    }).catch(function () {
      output.textContent = "The preview could not be loaded.";
      output.hidden = false;
    }).finally(function () {
      button.disabled = false;
    });
  });
})();
