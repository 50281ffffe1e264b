// Progressive enhancement only: the site works fully without this file.
// Pressing "/" anywhere outside a form field jumps to the search box, as on many search sites.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
  const box = document.getElementById("q") || document.getElementById("mini-q");
  if (box) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});

// "Copy" buttons beside citations: the text is selectable without this; the button only
// appears when the browser can copy for us.
if (navigator.clipboard) {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        button.textContent = "Copied";
      } catch {
        button.textContent = "Select the text to copy";
      }
      setTimeout(() => { button.textContent = "Copy"; }, 2500);
    });
  }
}
