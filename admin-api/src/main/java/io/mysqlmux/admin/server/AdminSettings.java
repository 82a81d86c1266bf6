package io.mysqlmux.admin.server;

import java.net.InetSocketAddress;

/**
 * How the admin port and the HTTP endpoint run.
 *
 * @param listen         admin port address (port 0 = any free port), or null for no admin port
 * @param user           the one user the admin port accepts
 * @param password       its password
 * @param maxConnections admin sessions at once; one more gets ERROR 1040
 * @param serverVersion  the version string the admin port's greeting announces
 * @param httpListen     HTTP endpoint address (port 0 = any free port), or null for none
 */
public record AdminSettings(InetSocketAddress listen, String user, String password, int maxConnections,
                            String serverVersion, InetSocketAddress httpListen) {

    @Override
    public String toString() {
        return "AdminSettings[listen=" + listen + ", user=" + user + ", password=<hidden>, maxConnections="
                + maxConnections + ", httpListen=" + httpListen + "]";
    }
}
