package io.mysqlmux.proxy.backend;

import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The {@link ServerInfo} once the first server connection learned it. Client greetings wait for it,
 * because a greeting must repeat the server's version and capabilities.
 */
public final class ServerInfoHolder {
    private final CompletableFuture<ServerInfo> future = new CompletableFuture<>();

    public boolean isKnown() {
        return future.isDone();
    }

    /** The info; only call once {@link #isKnown()}. */
    public ServerInfo get() {
        return future.getNow(null);
    }

    void publish(ServerInfo info) {
        future.complete(info);
    }

    /** Runs {@code action} on {@code executor} once the info is known (at once if it is). */
    public void whenKnown(EventExecutor executor, Consumer<ServerInfo> action) {
        ServerInfo info = future.getNow(null);
        if (info != null && executor.inEventLoop()) {
            action.accept(info);
            return;
        }
        future.thenAccept(known -> executor.execute(() -> action.accept(known)));
    }
}
