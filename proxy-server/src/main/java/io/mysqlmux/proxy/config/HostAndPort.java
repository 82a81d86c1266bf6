package io.mysqlmux.proxy.config;

import java.net.InetSocketAddress;

/** A {@code host:port} setting; IPv6 hosts are written in brackets ({@code [::1]:6033}). */
public record HostAndPort(String host, int port) {

    public static HostAndPort parse(String key, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw ConfigException.invalid(key, value, "host:port, e.g. 127.0.0.1:3306");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key, value, "host:port with a numeric port");
        }
        if (port < 0 || port > 65535) {
            throw ConfigException.invalid(key, value, "a port between 0 and 65535");
        }
        return new HostAndPort(host, port);
    }

    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
