'use strict';

// The session's resume token: in memory, and in the mini program's storage
// (wx.setStorageSync/getStorageSync, when present) so that a page reloaded within the
// resume window resumes the same session. The stored copy carries the time it was last
// known good; one older than the window is not worth presenting (the gateway would
// refuse it with session-expired) and is forgotten. Storage failures (quota, a runtime
// without storage) only cost the reload case, never the connection.

class TokenStore {
  /**
   * @param {{wx: object, clock: () => number, key: string|null, maxAgeMs: number}} config
   *   key null: memory only
   */
  constructor(config) {
    this._config = config;
    this._token = null;
    this._loaded = false;
  }

  /** The token to present in the next hello, or null for a new session. */
  get() {
    if (!this._loaded) {
      this._loaded = true;
      this._token = this._read();
    }
    return this._token;
  }

  /** Each welcome's new token replaces the old one (which stops working). */
  set(token) {
    this._loaded = true;
    this._token = token;
    this._write(token);
  }

  /** The session is still resumable as of now (the socket was lost, the app hidden). */
  touch() {
    if (this._token !== null) this._write(this._token);
  }

  /** The session ended (bye): a later connection starts a new one. */
  clear() {
    this._loaded = true;
    this._token = null;
    const wx = this._config.wx;
    if (this._config.key === null || typeof wx.removeStorageSync !== 'function') {
      this._write(null);
      return;
    }
    try {
      wx.removeStorageSync(this._config.key);
    } catch (err) {
      // storage unavailable: nothing to remove either
    }
  }

  _read() {
    const wx = this._config.wx;
    if (this._config.key === null || typeof wx.getStorageSync !== 'function') return null;
    try {
      const saved = wx.getStorageSync(this._config.key);
      if (!saved || typeof saved.token !== 'string' || typeof saved.at !== 'number') return null;
      const age = this._config.clock() - saved.at;
      return age >= 0 && age <= this._config.maxAgeMs ? saved.token : null;
    } catch (err) {
      return null;
    }
  }

  _write(token) {
    const wx = this._config.wx;
    if (this._config.key === null || typeof wx.setStorageSync !== 'function') return;
    try {
      wx.setStorageSync(this._config.key, token === null ? '' : { token: token, at: this._config.clock() });
    } catch (err) {
      // quota or no storage: the in-memory token still resumes while the page lives
    }
  }
}

module.exports = { TokenStore };
