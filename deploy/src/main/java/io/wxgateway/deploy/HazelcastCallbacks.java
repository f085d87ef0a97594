package io.wxgateway.deploy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.hazelcast.internal.util.ConcurrencyUtil;

/**
 * Where Hazelcast runs the callbacks of its futures: every Vert.x async-map operation (a presence
 * read or update, a directory read) completes through one. Hazelcast runs them on the JDK's common
 * pool, but when that pool has a parallelism of 1 (a machine or container with 2 cores or fewer) it
 * starts a new thread for every callback, as the JDK's CompletableFuture does: on the cross-node
 * fanout bench that was about a thousand threads a second, and a presence read took 20-30 ms instead
 * of 3. There, the callbacks run on a pool of reused daemon threads instead (idle ones end after 60 s;
 * no bound, like the thread-per-callback it replaces, since a callback may block). With a larger
 * common pool nothing changes. Process-wide (Hazelcast keeps it in a static), set once.
 */
final class HazelcastCallbacks {

  private static boolean installed;

  private HazelcastCallbacks() {
  }

  static synchronized void install() {
    if (installed || ForkJoinPool.getCommonPoolParallelism() > 1) {
      return;
    }
    AtomicInteger count = new AtomicInteger();
    ExecutorService pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        task -> {
          Thread t = new Thread(task, "wx-hazelcast-callback-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    ConcurrencyUtil.setDefaultAsyncExecutor(pool);
    installed = true;
  }
}
