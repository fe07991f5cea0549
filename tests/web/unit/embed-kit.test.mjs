// web/embed/embed-kit.js without a browser: the kit's keys are split off the page's own hash keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitHash, kitHash, pageOf } from '../../../web/embed/embed-kit.js';

test('splitHash takes experiment, embed and known *_hide keys out, keeps the rest in order', () => {
  const r = splitHash('#experiment=suppression&c=0.6&controls_hide=1&title_hide=true&bogus_hide=1&p=0.5&embed=1');
  assert.deepEqual(r.kit, { experiment: 'suppression', embed: true, hide: ['controls', 'title'] });
  assert.equal(r.own, 'c=0.6&bogus_hide=1&p=0.5'.replace('bogus_hide=1&', ''));
  assert.deepEqual(splitHash('').kit, { experiment: null, embed: false, hide: [] });
  assert.deepEqual(splitHash('#controls_hide=0').kit.hide, []);
  assert.deepEqual(splitHash('#__proto___hide=1&constructor_hide=1').kit.hide, []);
});

test('kitHash carries the options to the experiment page; pageOf knows the experiments', () => {
  assert.equal(kitHash({ embed: true, hide: ['controls', 'link'] }), 'embed=1&controls_hide=1&link_hide=1');
  assert.equal(pageOf('suppression'), 'suppression.html');
  assert.equal(pageOf('toy'), 'embed.html');
  assert.equal(pageOf('sae'), 'sae.html');
  assert.equal(pageOf('steer'), 'steer.html');
  assert.equal(pageOf('grok'), 'grok.html');  // every page embeds through the kit (issue 13)
  assert.equal(pageOf('constructor'), null);
  assert.equal(pageOf('nope'), null);
});
