package io.wxgateway.gateway.session;

import java.util.List;

import io.wxgateway.gateway.connection.Connection;

/**
 * The node's authority over sessions (the {@code resume} package implements it over the session
 * store): it opens, resumes, checkpoints, suspends and ends the session of a {@link SessionSocket}.
 * Every method is called on the socket's event loop and must not block; what it answers the socket,
 * it answers through the socket's methods, called on that loop again (a store's callback hops back
 * first): they write to the socket, and a socket is written only on its own loop (DirectWrites).
 */
public interface SessionKeeper {

  /** The socket's {@code hello}: {@code resumeToken} null for a new session. Answers with a welcome. */
  void hello(SessionSocket socket, String resumeToken);

  /** The client acknowledged these pushes (at least one). */
  void acked(SessionSocket socket, List<PushLedger.Acked> acked);

  /** A checkpoint is due: the ledger's watermarks changed since the last one. */
  void checkpoint(SessionSocket socket);

  /**
   * The socket is gone after its welcome: {@code end} says whether the session ends, else it
   * suspends; then answers the placeholder that stands in for the socket in the registry (null: none).
   */
  Connection lost(SessionSocket socket, boolean end, String reason);
}
