// Progressive enhancement only: every page works without this file.
document.addEventListener('click', (event) => {
  const copy = event.target.closest('[data-copy-target]');
  if (copy) {
    const el = document.getElementById(copy.getAttribute('data-copy-target'));
    if (el && navigator.clipboard) navigator.clipboard.writeText(el.textContent.trim()).then(() => { copy.textContent = 'Copied'; });
  }
});
document.addEventListener('submit', (event) => {
  const msg = event.target.getAttribute('data-confirm');
  if (msg && !window.confirm(msg)) event.preventDefault();
});
