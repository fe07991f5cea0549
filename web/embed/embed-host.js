// embed-host.js: for the page that embeds Superpose demos (course notes): sizes each demo's
// <iframe> to its content from the 'superpose:size' messages embed-kit.js posts (issue 7).
//   <script type="module">import { autoSize } from './superpose/embed-host.js'; autoSize();</script>
// Only frames on this page are resized, matched by the message's source window; a message's
// height is clamped to [min, max] so a demo can never blow up the host's layout.
// What it is not: no messages back to the demos, no styling.

/** Start listening; returns a function that stops. */
export function autoSize({ min = 120, max = 4000, root = document } = {}) {
  const onMessage = (e) => {
    const d = e.data;
    if (!d || d.type !== 'superpose:size' || !Number.isFinite(d.height)) return;
    for (const frame of root.querySelectorAll('iframe')) {
      if (frame.contentWindow !== e.source) continue;
      const h = Math.round(Math.min(max, Math.max(min, d.height)));
      if (frame.style.height !== `${h}px`) frame.style.height = `${h}px`;
      frame.dataset.autosized = String(h);
    }
  };
  window.addEventListener('message', onMessage);
  return () => window.removeEventListener('message', onMessage);
}
