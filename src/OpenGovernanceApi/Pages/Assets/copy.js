// Copy buttons of the citation box. Progressive enhancement: the buttons are hidden in the page's HTML and only
// shown here, where copying can work; without JavaScript every citation is still there to select.
for (const button of document.querySelectorAll('button[data-copy]')) {
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) continue;
  const status = document.querySelector('.copy-status');
  button.hidden = false;
  button.addEventListener('click', async () => {
    let message;
    try {
      await navigator.clipboard.writeText(source.textContent);
      message = button.dataset.done;
    } catch {
      message = button.dataset.failed;
    }
    if (status) status.textContent = message;
  });
}
