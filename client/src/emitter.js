'use strict';

// A tiny event emitter. Node's EventEmitter is not available in mini programs, and
// unlike it this one never throws on an 'error' event without listeners: a socket
// that fails while nobody listens must not crash the page.

class Emitter {
  /** @param {string[]} names the only event names accepted (catches typos early) */
  constructor(names) {
    this._listeners = {};
    names.forEach((name) => { this._listeners[name] = []; });
  }

  on(name, fn) {
    const list = this._list(name);
    if (typeof fn !== 'function') throw new TypeError('listener must be a function');
    if (list.indexOf(fn) === -1) list.push(fn);
  }

  off(name, fn) {
    const list = this._list(name);
    const index = list.indexOf(fn);
    if (index !== -1) list.splice(index, 1);
  }

  /** `extra` is a second listener argument (a message's position), when there is one. */
  emit(name, payload, extra) {
    // Copy first: a listener may call off() (or on()) while we iterate.
    this._list(name).slice().forEach((fn) => {
      try {
        if (extra === undefined) fn(payload);
        else fn(payload, extra);
      } catch (err) {
        // One faulty listener must neither break the socket's state machine nor
        // starve the other listeners; report it where developers look.
        if (typeof console !== 'undefined') console.error('[wx-gateway-client] "' + name + '" listener threw', err);
      }
    });
  }

  _list(name) {
    const list = Object.prototype.hasOwnProperty.call(this._listeners, name) ? this._listeners[name] : null;
    if (!list) throw new TypeError('unknown event "' + name + '"; expected one of: ' + Object.keys(this._listeners).join(', '));
    return list;
  }
}

module.exports = { Emitter };
