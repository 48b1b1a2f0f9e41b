// Preloaded into Electronegativity (review:electron): it fetches updated translations from the internet
// at start (1 s timeout), and when the network hangs rather than refuses, got's retry path throws from a
// timer and kills the run. The review must not depend on the network, and its bundled en-US strings are
// all it needs: the translation request fails at once instead.
import Module from 'node:module';
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'got' && parent && /electronegativity[\\/]dist[\\/]locales/.test(parent.filename)) {
    return () => Promise.reject(new Error('offline: translations are not fetched during the review'));
  }
  return load.call(this, request, parent, isMain);
};
