package io.mysqlmux.admin.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LikePatternTest {

    @Test
    void percentUnderscoreEscapeAndCase() {
        assertTrue(new LikePattern("pool.%").matches("pool.max_size"));
        assertTrue(new LikePattern("POOL.%").matches("pool.max_size"));
        assertTrue(new LikePattern("%timeout").matches("client.idle_in_transaction_timeout"));
        assertTrue(new LikePattern("pool._ax_size").matches("pool.max_size"));
        assertTrue(new LikePattern("pool.max\\_size").matches("pool.max_size"));
        assertFalse(new LikePattern("pool.max\\_size").matches("pool.maxxsize"));
        assertTrue(new LikePattern("%").matches(""));
        assertTrue(new LikePattern("a%b%c").matches("aXXbYYc"));
        assertFalse(new LikePattern("a%b%c").matches("aXXbYY"));
        assertFalse(new LikePattern("pool").matches("pool.max_size"));
        assertFalse(new LikePattern("_").matches(""));
    }
}
