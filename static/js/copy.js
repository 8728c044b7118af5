// Copy buttons for read-only address fields (progressive enhancement: without JavaScript the
// field can still be selected and copied by hand). Buttons start hidden and appear here.
(function () {
  "use strict";
  if (!navigator.clipboard || window.samenCopyReady) return;
  window.samenCopyReady = true;
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-copied") || "✓";
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () { field.select(); });
    });
  });
  document.querySelectorAll("input[data-copy-source]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
