// The profile page's only script (loaded with a nonce under the panel's CSP). It sends the
// extension {command, userId?} for the page's buttons, keeps the local time current each minute,
// replaces the page body when the extension sends a new one (live updates keep the scroll
// position), and saves which profile is shown so a reloaded window can reopen it. Plain JS: no
// build step.
// @ts-check
(function () {
  const vscode = acquireVsCodeApi();

  /** Remembers the shown profile: an account id and a user id, never anything secret. */
  function saveState() {
    const main = document.querySelector('main.profile');
    if (!main) return;
    const accountId = main.getAttribute('data-account-id');
    const userId = Number(main.getAttribute('data-user-id'));
    if (accountId && Number.isSafeInteger(userId) && userId > 0) vscode.setState({ accountId, userId });
  }

  /** The member's local time in VS Code's display language (the page's lang); an unknown zone keeps the extension's text. */
  function updateTimes() {
    for (const element of document.querySelectorAll('.local-time[data-timezone]')) {
      const zone = element.getAttribute('data-timezone') || '';
      try {
        element.textContent = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { timeZone: zone, hour: 'numeric', minute: '2-digit', weekday: 'short' }).format(new Date());
      } catch {
        // The extension already said what it could.
      }
    }
  }

  /** An avatar that cannot load (an unreachable Gravatar, offline) gives way to the placeholder. */
  function replaceBrokenAvatar(image) {
    const placeholder = document.createElement('div');
    placeholder.className = 'avatar placeholder';
    placeholder.setAttribute('aria-hidden', 'true');
    image.replaceWith(placeholder);
  }

  function checkAvatars() {
    for (const image of document.querySelectorAll('img.avatar')) {
      // Failed before this script was listening.
      if (image instanceof HTMLImageElement && image.complete && image.naturalWidth === 0) replaceBrokenAvatar(image);
    }
  }

  document.addEventListener(
    'error',
    (event) => {
      const target = event.target;
      if (target instanceof HTMLImageElement && target.classList.contains('avatar')) replaceBrokenAvatar(target);
    },
    true,
  );

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-command]') : null;
    if (!target) return;
    event.preventDefault();
    const command = target.getAttribute('data-command');
    const userId = target.getAttribute('data-user-id');
    vscode.postMessage(userId ? { command, userId: Number(userId) } : { command });
  });

  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.command !== 'render' || typeof data.body !== 'string') return;
    const container = document.getElementById('profile');
    if (!container) return;
    // The body was built by the extension from escaped and sanitized data.
    container.innerHTML = data.body;
    if (typeof data.title === 'string') document.title = data.title;
    saveState();
    updateTimes();
  });

  saveState();
  updateTimes();
  checkAvatars();
  // On the minute, then every minute.
  setTimeout(() => {
    updateTimes();
    setInterval(updateTimes, 60_000);
  }, 60_000 - (Date.now() % 60_000) + 50);
})();
