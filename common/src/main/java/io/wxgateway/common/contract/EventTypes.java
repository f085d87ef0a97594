package io.wxgateway.common.contract;

/** Values of the {@code ce_type} header. */
public final class EventTypes {

  /** Inbound: a message a client sent. */
  public static final String MESSAGE = "wx.socket.message";
  /** Inbound: a socket opened; comes before any message of that connection. */
  public static final String OPEN = "wx.socket.open";
  /** Inbound: a socket closed, after its last message. Outbound: close a socket. */
  public static final String CLOSE = "wx.socket.close";
  /** Outbound: send the value to the target; the default when {@code ce_type} is missing. */
  public static final String SEND = "wx.socket.send";
  /** Outbound: send the value to every socket. */
  public static final String BROADCAST = "wx.socket.broadcast";

  /** Inbound: a session of the session protocol began (docs/sessions.md). */
  public static final String SESSION_OPEN = "wx.session.open";
  /** Inbound: a session lost its socket and is kept for its resume window. */
  public static final String SESSION_SUSPEND = "wx.session.suspend";
  /** Inbound: a suspended (or taken-over) session continues on a new socket. */
  public static final String SESSION_RESUME = "wx.session.resume";
  /** Inbound: a session ended for good (bye, closed, kicked, expired ...). */
  public static final String SESSION_END = "wx.session.end";
  /** Receipts topic: the client acknowledged a push. */
  public static final String PUSH_RECEIPT = "wx.push.receipt";

  private EventTypes() {
  }
}
