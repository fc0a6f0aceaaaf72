// Registers the offline service worker (sw.js, next to this file) once the page has loaded,
// so that the site keeps working with the network off after this first visit. Loaded with
// <script src defer> (no inline script: the site runs under a strict CSP). The worker's scope
// is this file's directory, so the site works at the root of a host or under any sub-path.
(() => {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  const base = document.currentScript ? document.currentScript.src : location.href;
  const register = () =>
    navigator.serviceWorker.register(new URL('sw.js', base)).catch((error) => {
      console.warn(`backlens: offline mode unavailable (${error.message})`);
    });
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
})();
