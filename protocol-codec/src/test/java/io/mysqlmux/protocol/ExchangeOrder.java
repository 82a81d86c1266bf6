package io.mysqlmux.protocol;

import io.mysqlmux.protocol.HexVectors.Direction;
import io.mysqlmux.protocol.HexVectors.Packet;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the client and server packets of a vector back into wire order. Within one exchange every
 * packet, in either direction, takes the previous sequence id + 1 (mod 256), so the next packet is
 * whichever side's next one carries the expected id. A vector whose ids do not chain this way is
 * broken (a lost or extra packet), and this says where.
 */
final class ExchangeOrder {

    private ExchangeOrder() {
    }

    static List<Packet> interleave(String name, List<byte[]> client, List<byte[]> server) {
        List<Packet> order = new ArrayList<>(client.size() + server.size());
        if (client.isEmpty() && server.isEmpty()) {
            return order;
        }
        int c = 0;
        int s = 0;
        Direction last = firstSide(client, server);
        int expected = sequenceId(last == Direction.CLIENT ? client.get(0) : server.get(0));
        while (c < client.size() || s < server.size()) {
            boolean clientFits = c < client.size() && sequenceId(client.get(c)) == expected;
            boolean serverFits = s < server.size() && sequenceId(server.get(s)) == expected;
            if (!clientFits && !serverFits) {
                throw new IllegalStateException(name + ": no packet with sequence id " + expected
                        + " after " + order.size() + " packets (next client id " + nextId(client, c)
                        + ", next server id " + nextId(server, s) + ")");
            }
            // Both can fit only in a corrupt file; staying on the same side keeps a split payload together.
            boolean takeClient = clientFits && (!serverFits || last == Direction.CLIENT);
            last = takeClient ? Direction.CLIENT : Direction.SERVER;
            order.add(new Packet(last, takeClient ? client.get(c++) : server.get(s++)));
            expected = (expected + 1) & 0xFF;
        }
        return order;
    }

    // Commands start with the client's id 0; logins with the server's greeting (id 0).
    private static Direction firstSide(List<byte[]> client, List<byte[]> server) {
        if (server.isEmpty()) {
            return Direction.CLIENT;
        }
        if (client.isEmpty()) {
            return Direction.SERVER;
        }
        return sequenceId(client.get(0)) <= sequenceId(server.get(0)) ? Direction.CLIENT : Direction.SERVER;
    }

    private static int sequenceId(byte[] packet) {
        return packet[3] & 0xFF;
    }

    private static String nextId(List<byte[]> packets, int index) {
        return index < packets.size() ? String.valueOf(sequenceId(packets.get(index))) : "none";
    }
}
