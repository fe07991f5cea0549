// superpose-lab.js: a custom element for course notes, <superpose-lab preset="pentagon" ...>.
//
// What it is: a thin wrapper that turns its attributes (the URL-hash keys of state.js: preset,
// n, m, k, p, decay, model, corr, lr, batch, steps, sched, seed, sel, autoplay, controls, views)
// into an <iframe> of the site's embed.html (this file sits in embed/; the site's root
// superpose-lab.js re-exports it, CMakeLists.txt `site`). The iframe keeps the lab's worker and styles
// isolated from the host page. What it is not: no second implementation of the page.
//   <script type="module" src="superpose/superpose-lab.js"></script>
//   <superpose-lab preset="intro" views="grid,arrows" height="420"></superpose-lab>
// Attribute values are passed through the same hash parser as a URL (unknown or malformed ones
// fall back to defaults with a note inside the embed); `width`/`height` size the frame.
import { FIELDS } from '../lib/state.js';

const KEYS = FIELDS.map((f) => f.key);

class SuperposeLab extends HTMLElement {
  static get observedAttributes() { return [...KEYS, 'width', 'height']; }

  connectedCallback() { this.render(); }

  attributeChangedCallback() { if (this.isConnected) this.render(); }

  src() {
    const parts = [];
    for (const k of KEYS) {
      if (this.hasAttribute(k)) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(this.getAttribute(k))}`);
    }
    const url = new URL('../embed.html', import.meta.url);
    url.hash = parts.join('&');
    return url.href;
  }

  render() {
    let frame = this.querySelector('iframe');
    if (!frame) {
      frame = document.createElement('iframe');
      frame.style.border = '0';
      frame.style.display = 'block';
      frame.setAttribute('loading', 'lazy');
      this.appendChild(frame);
    }
    frame.title = `Superpose: ${this.getAttribute('preset') || 'toy model'} experiment`;
    frame.width = this.getAttribute('width') || '660';
    frame.height = this.getAttribute('height') || '440';
    const src = this.src();
    if (frame.src !== src) frame.src = src;
  }
}

if (!customElements.get('superpose-lab')) customElements.define('superpose-lab', SuperposeLab);
export { SuperposeLab };
