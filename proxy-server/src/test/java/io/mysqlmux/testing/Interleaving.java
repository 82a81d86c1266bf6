package io.mysqlmux.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * For tests on a pool of one server connection: runs the other session's work on a thread of its
 * own, to show that it waits while the first session holds the connection and goes on once it
 * lets go. Waits are bounded.
 */
public final class Interleaving implements AutoCloseable {
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    public <T> Future<T> start(Callable<T> work) {
        return other.submit(work);
    }

    /** The work must still be waiting after {@code millis} (it is queued behind a held connection). */
    public static void assertStillWaiting(Future<?> work, long millis) {
        assertThrows(TimeoutException.class, () -> work.get(millis, TimeUnit.MILLISECONDS),
                "expected the other session to wait for the held server connection");
        assertFalse(work.isDone());
    }

    /** The work finishes within 15 s and its result is returned. */
    public static <T> T finishes(Future<T> work) throws Exception {
        return work.get(15, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        other.shutdownNow();
    }
}
