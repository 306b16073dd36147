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
// Server-rendered times are ISO UTC (readable without scripts); show them in the reader's locale and zone.
for (const el of document.querySelectorAll('time[datetime]')) {
  const when = new Date(el.getAttribute('datetime'));
  if (!Number.isNaN(when.getTime())) {
    el.title = el.getAttribute('datetime');
    el.textContent = when.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
}
// Phones: the navigation is one row that scrolls sideways; show the current page's link.
for (const current of document.querySelectorAll('.site-nav [aria-current=page], .admin-nav [aria-current=page]')) {
  const row = current.closest('ul');
  if (row && row.scrollWidth > row.clientWidth) row.scrollLeft = current.offsetLeft - row.clientWidth / 2 + current.offsetWidth / 2;
}
