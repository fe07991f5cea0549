// nav.js: the line of links between the lab's pages, built from the registry (pages.js) into
// each page's masthead, so every page links every other and no HTML file carries a copy.
// The current page is shown in bold (aria-current="page"), not as a link.
// What it is not: no routing; a page without a masthead (embed.html) gets no nav.
import { PAGES, pageAt } from './pages.js';

/** Put the nav after the masthead's title (once); returns the <nav> or null. */
export function addNav(doc = document) {
  const head = doc.querySelector('header.masthead');
  if (!head || head.querySelector('nav.pages')) return head ? head.querySelector('nav.pages') : null;
  const here = pageAt(doc.location ? doc.location.pathname : '');
  const nav = doc.createElement('nav');
  nav.className = 'pages lede';
  nav.setAttribute('aria-label', 'pages');
  PAGES.forEach((p, i) => {
    if (i > 0) nav.append(' · ');
    const current = here && here.name === p.name;
    const e = doc.createElement(current ? 'b' : 'a');
    e.textContent = p.title;
    if (current) e.setAttribute('aria-current', 'page');
    else e.href = p.file;
    e.title = p.description;
    nav.append(e);
  });
  const title = head.querySelector('h1');
  if (title) title.after(nav); else head.prepend(nav);
  return nav;
}
