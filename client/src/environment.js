'use strict';

// What the phone tells the SDK about itself: foreground/background (wx.onAppShow,
// wx.onAppHide) and the network (wx.onNetworkStatusChange, wx.getNetworkType).
// The socket decides what to do; this only keeps the facts and calls back.
// wx.onNetworkStatusChange has no off* before base library 2.9.3, so each listener is
// registered at most once per instance and ignores events while detached.

class Environment {
  /**
   * @param {object} wx
   * @param {() => number} clock
   * @param {{show: (hiddenMs: number) => void, hide: () => void,
   *          network: (change: {online: boolean, typeChanged: boolean, cameBack: boolean}) => void}} handlers
   */
  constructor(wx, clock, handlers) {
    this._wx = wx;
    this._clock = clock;
    this._handlers = handlers;
    this.hidden = false;
    this._hiddenAt = 0;
    this.online = null; // null: unknown, treated as online
    this.networkType = null;
    this._listening = 'none'; // 'all' | 'show' (a closed socket that onAppShow may revive) | 'none'
    this._registered = { show: false, hide: false, network: false };
    this._networkEvents = 0;
    this._onShow = () => this._show();
    this._onHide = () => this._hide();
    this._onNetwork = (res) => this._network(res);
  }

  /** Listens (again); idempotent, also after detach(true). */
  attach() {
    this._listening = 'all';
    this._register('show', 'onAppShow', this._onShow);
    this._register('hide', 'onAppHide', this._onHide);
    this._register('network', 'onNetworkStatusChange', this._onNetwork);
    this._queryNetwork();
  }

  /** Stops listening; keepShow leaves onAppShow on, so a foreground can revive the socket. */
  detach(keepShow) {
    this._listening = keepShow ? 'show' : 'none';
    if (!keepShow) this._unregister('show', 'offAppShow', this._onShow);
    this._unregister('hide', 'offAppHide', this._onHide);
    this._unregister('network', 'offNetworkStatusChange', this._onNetwork);
  }

  /** How long the app has been in the background, 0 in the foreground. */
  hiddenForMs() {
    return this.hidden ? this._clock() - this._hiddenAt : 0;
  }

  get offline() {
    return this.online === false;
  }

  _show() {
    if (this._listening === 'none') return;
    const hiddenMs = this.hiddenForMs();
    this.hidden = false;
    this._queryNetwork(); // a network change may have gone unreported in the background
    this._handlers.show(hiddenMs);
  }

  _hide() {
    if (this._listening !== 'all' || this.hidden) return;
    this.hidden = true;
    this._hiddenAt = this._clock();
    this._handlers.hide();
  }

  _network(res) {
    if (this._listening !== 'all' || !res) return;
    this._networkEvents++;
    const type = typeof res.networkType === 'string' ? res.networkType : null;
    const typeChanged = this.networkType !== null && type !== null && type !== this.networkType;
    const wasOffline = this.online === false;
    this.networkType = type;
    this.online = res.isConnected !== false && type !== 'none';
    this._handlers.network({ online: this.online, typeChanged: typeChanged, cameBack: this.online && wasOffline });
  }

  _queryNetwork() {
    if (typeof this._wx.getNetworkType !== 'function') return;
    const asked = this._networkEvents;
    try {
      this._wx.getNetworkType({
        success: (res) => {
          // An onNetworkStatusChange since the question is newer than this answer.
          if (this._listening !== 'all' || this._networkEvents !== asked || !res) return;
          this._network({ isConnected: res.networkType !== 'none', networkType: res.networkType });
        }
      });
    } catch (err) {
      // Unknown network state: assume online, as without the API.
    }
  }

  _register(kind, method, fn) {
    if (this._registered[kind] || typeof this._wx[method] !== 'function') return;
    this._wx[method](fn);
    this._registered[kind] = true;
  }

  _unregister(kind, method, fn) {
    if (!this._registered[kind] || typeof this._wx[method] !== 'function') return;
    this._wx[method](fn);
    this._registered[kind] = false;
  }
}

module.exports = { Environment };
