package io.mysqlmux.proxy.pool;

import io.mysqlmux.protocol.packet.ErrPacket;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaitQueueTest {
    private static final DefaultEventLoop LOOP = new DefaultEventLoop();

    @AfterAll
    static void stopLoop() {
        LOOP.shutdownGracefully();
    }

    @Test
    void servesOldestFirst() {
        WaitQueue queue = new WaitQueue();
        List<Waiter> waiters = waiters(5);
        waiters.forEach(queue::add);
        for (Waiter expected : waiters) {
            assertSame(expected, queue.oldest());
            assertSame(expected, queue.poll());
        }
        assertNull(queue.poll());
        assertTrue(queue.isEmpty());
    }

    @Test
    void leavingFromTheMiddleKeepsTheOrderOfTheRest() {
        WaitQueue queue = new WaitQueue();
        List<Waiter> waiters = waiters(5);
        waiters.forEach(queue::add);
        assertTrue(queue.remove(waiters.get(2)));
        assertTrue(queue.remove(waiters.get(0)));
        assertTrue(queue.remove(waiters.get(4)));
        assertEquals(2, queue.size());
        assertSame(waiters.get(1), queue.poll());
        assertSame(waiters.get(3), queue.poll());
        assertTrue(queue.isEmpty());
    }

    @Test
    void aWaiterLeavesOnceWhoeverTakesItFirst() {
        WaitQueue queue = new WaitQueue();
        Waiter only = waiters(1).get(0);
        queue.add(only);
        assertSame(only, queue.poll());
        assertFalse(queue.remove(only), "a timeout after the hand-off finds it gone");
        assertEquals(0, queue.size());
    }

    @Test
    void aWaiterMayQueueAgainAfterItWasServed() {
        WaitQueue queue = new WaitQueue();
        List<Waiter> waiters = waiters(2);
        queue.add(waiters.get(0));
        queue.add(waiters.get(1));
        Waiter served = queue.poll();
        queue.add(served);
        assertSame(waiters.get(1), queue.poll(), "the one served goes behind the one still waiting");
        assertSame(served, queue.poll());
    }

    @Test
    void randomAddsAndRemovalsMatchAListModel() {
        Random random = new Random(42);
        WaitQueue queue = new WaitQueue();
        List<Waiter> model = new ArrayList<>();
        List<Waiter> pool = waiters(50);
        for (int step = 0; step < 20_000; step++) {
            Waiter w = pool.get(random.nextInt(pool.size()));
            switch (random.nextInt(3)) {
                case 0 -> {
                    if (!model.contains(w)) {
                        queue.add(w);
                        model.add(w);
                    }
                }
                case 1 -> assertEquals(model.remove(w), queue.remove(w));
                default -> {
                    Waiter polled = queue.poll();
                    assertSame(model.isEmpty() ? null : model.remove(0), polled);
                }
            }
            assertEquals(model.size(), queue.size());
            assertSame(model.isEmpty() ? null : model.get(0), queue.oldest());
        }
    }

    @Test
    void aConnectionGoesToAWaiterOnItsOwnLoopOnlyWithinTheSlack() throws Exception {
        DefaultEventLoop other = new DefaultEventLoop();
        try {
            WaitQueue queue = new WaitQueue();
            Waiter oldest = waiter(other);
            Waiter sameLoop = waiter(LOOP);
            queue.add(oldest);
            oldest.enqueued();
            Thread.sleep(5);
            queue.add(sameLoop);
            sameLoop.enqueued();
            assertSame(oldest, queue.pollFor(LOOP, 1_000_000, 8), "came 5 ms after the oldest: beyond a 1 ms slack");
            queue.add(oldest);
            oldest.enqueued();
            assertSame(sameLoop, queue.pollFor(LOOP, 1_000_000_000, 8), "within the slack, on the connection's loop");
            assertSame(oldest, queue.poll());
            assertTrue(queue.isEmpty());
        } finally {
            other.shutdownGracefully();
        }
    }

    private static Waiter waiter(EventExecutor loop) {
        return new Waiter(new LeaseRequester() {
            @Override
            public EventExecutor executor() {
                return loop;
            }

            @Override
            public long clientId() {
                return 0;
            }

            @Override
            public void onLeased(Lease lease) {
            }

            @Override
            public void onLeaseFailed(ErrPacket error) {
            }
        });
    }

    private static List<Waiter> waiters(int count) {
        List<Waiter> waiters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = i;
            waiters.add(new Waiter(new LeaseRequester() {
                @Override
                public EventExecutor executor() {
                    return LOOP;
                }

                @Override
                public long clientId() {
                    return id;
                }

                @Override
                public void onLeased(Lease lease) {
                }

                @Override
                public void onLeaseFailed(ErrPacket error) {
                }
            }));
        }
        return waiters;
    }
}
