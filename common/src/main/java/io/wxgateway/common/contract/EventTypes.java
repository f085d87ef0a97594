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

  private EventTypes() {
  }
}
