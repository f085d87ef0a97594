package io.wxgateway.deploy;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * The clients of a pause or partition test: users with a socket on gw-1 (a survivor) and one on the
 * child gateway (the node that will be cut off), and users with a socket on only one of the two.
 */
final class Users {

  final List<ClusterSocket> pairsOnSurvivor = new ArrayList<>();
  final List<ClusterSocket> pairsOnChild = new ArrayList<>();
  final List<ClusterSocket> soloOnSurvivor = new ArrayList<>();
  final List<ClusterSocket> soloOnChild = new ArrayList<>();
  private final String child;

  private Users(String child) {
    this.child = child;
  }

  static Users connect(TestCluster cluster, ChildGateway child, String prefix) {
    Users users = new Users(child.nodeId());
    for (int i = 0; i < 3; i++) {
      String user = prefix + "-pair-" + i;
      users.pairsOnSurvivor.add(cluster.connect("gw-1", user, null));
      users.pairsOnChild.add(cluster.connectTo(child.nodeId(), child.gatewayPort(), user));
    }
    for (int i = 0; i < 2; i++) {
      users.soloOnSurvivor.add(cluster.connect("gw-1", prefix + "-here-" + i, null));
      users.soloOnChild.add(cluster.connectTo(child.nodeId(), child.gatewayPort(), prefix + "-there-" + i));
    }
    users.pairsOnSurvivor.forEach(s -> cluster.awaitPresence(s.user(), Set.of("gw-1", users.child)));
    users.soloOnSurvivor.forEach(s -> cluster.awaitPresence(s.user(), Set.of("gw-1")));
    users.soloOnChild.forEach(s -> cluster.awaitPresence(s.user(), Set.of(users.child)));
    return users;
  }

  List<ClusterSocket> all() {
    List<ClusterSocket> all = new ArrayList<>(onSurvivor());
    all.addAll(onChild());
    return all;
  }

  List<ClusterSocket> onSurvivor() {
    List<ClusterSocket> here = new ArrayList<>(pairsOnSurvivor);
    here.addAll(soloOnSurvivor);
    return here;
  }

  List<ClusterSocket> onChild() {
    List<ClusterSocket> there = new ArrayList<>(pairsOnChild);
    there.addAll(soloOnChild);
    return there;
  }

  Set<String> userIds() {
    Set<String> ids = new LinkedHashSet<>();
    all().forEach(s -> ids.add(s.user()));
    return ids;
  }

  /** The survivors removed the child from their presence map: its users are on gw-1 only, or offline. */
  void awaitSurvivorsPrunedTheChild(TestCluster cluster) {
    soloOnChild.forEach(s -> cluster.awaitPresence(s.user(), Set.of()));
    pairsOnSurvivor.forEach(s -> cluster.awaitPresence(s.user(), Set.of("gw-1")));
  }

  /**
   * Once the child is back: both nodes in the directory, gw-1's users still listed for gw-1, and the
   * child listed for nobody (it shed every socket).
   */
  void assertSurvivorsStateIsIntact(TestCluster cluster) {
    Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
        .until(() -> cluster.directory().equals(Set.of("gw-1", child)));
    for (ClusterSocket s : onSurvivor()) {
      cluster.awaitPresence(s.user(), Set.of("gw-1"));
    }
    soloOnChild.forEach(s -> assertEquals(false, cluster.isOnline(s.user()), s.user() + " is offline"));
  }

  /** A push to every user and to every connection on gw-1 reaches that socket; users only on the child are offline. */
  void assertEveryOpenSocketGetsItsPush(TestCluster cluster, SocketReaders readers) {
    for (ClusterSocket s : onSurvivor()) {
      cluster.send(s.user(), "final-" + s.user(), "ce_userid", s.user());
      cluster.send(s.id(), "final-" + s.id(), "ce_connectionid", s.id());
    }
    for (ClusterSocket s : soloOnChild) {
      cluster.send("final-" + s.user(), "final-" + s.user(), "ce_userid", s.user());
    }
    Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> onSurvivor()
        .stream().allMatch(s -> readers.of(s).contains("final-" + s.user()) && readers.of(s).contains("final-" + s.id())));
    for (ClusterSocket s : soloOnChild) {
      assertEquals("user-offline", header(cluster.deadLetter("final-" + s.user()), "ce_deliveryerror"), s.user());
    }
  }

  /** The child serves again: a shed user reconnects to it and a push by user reaches both its sockets. */
  void assertShedUsersCanReconnectToTheChild(TestCluster cluster, ChildGateway node, SocketReaders readers) {
    for (ClusterSocket old : pairsOnChild) {
      ClusterSocket again = cluster.connectTo(node.nodeId(), node.gatewayPort(), old.user());
      cluster.awaitPresence(old.user(), Set.of("gw-1", child));
      cluster.send(old.user(), "back-" + old.user(), "ce_userid", old.user());
      assertEquals("back-" + old.user(), again.nextText(), "the reconnected socket on " + child);
      ClusterSocket onSurvivor = pairsOnSurvivor.get(pairsOnChild.indexOf(old));
      Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> readers.of(onSurvivor).contains("back-" + old.user()));
      again.close();
    }
  }
}
