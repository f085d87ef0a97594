package io.wxgateway.gateway.connection;

/**
 * Told when this node gains a user's first socket and loses the user's last one, so a cluster-wide
 * presence map (user -> nodes) can follow. Called on the event loop of the socket concerned: it must
 * not block, and the two calls for one user may come from different event loops.
 */
public interface UserPresenceListener {

  UserPresenceListener NONE = new UserPresenceListener() {
    @Override
    public void userArrived(String userId) {
    }

    @Override
    public void userLeft(String userId) {
    }
  };

  void userArrived(String userId);

  void userLeft(String userId);
}
