package io.mysqlmux.bench.scenario;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * CPU time of a process on this machine, from {@code /proc/<pid>/stat} (utime + stime, all its
 * threads), read before and after a measured period: divided by the queries of that period it is
 * what one query cost that process, whatever else shares the cores. Also finds the process that
 * listens on a local TCP port (the server), through {@code /proc/net/tcp} and the socket inodes in
 * {@code /proc/<pid>/fd}.
 */
public final class ProcessCpu {
    private static final long TICKS_PER_SECOND = clockTicks();

    private ProcessCpu() {
    }

    /** CPU time used so far by {@code pid} in microseconds, or -1 when it cannot be read (no such process, not Linux). */
    public static long micros(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count from after it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            return ticks * 1_000_000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A reading of several processes at once; {@link #microsPerQuery} after the period. */
    public record Reading(long[] pids, long[] micros) {

        public static Reading of(long... pids) {
            long[] now = new long[pids.length];
            for (int i = 0; i < pids.length; i++) {
                now[i] = ProcessCpu.micros(pids[i]);
            }
            return new Reading(pids, now);
        }

        /** CPU µs per query of process {@code i} between this reading and now; NaN when unknown. */
        public double[] microsPerQuery(long queries) {
            double[] perQuery = new double[pids.length];
            for (int i = 0; i < pids.length; i++) {
                long after = ProcessCpu.micros(pids[i]);
                perQuery[i] = micros[i] < 0 || after < 0 || queries <= 0 ? Double.NaN
                        : (after - micros[i]) / (double) queries;
            }
            return perQuery;
        }
    }

    /** The process listening on local TCP {@code port}, or -1 (not found, not local, no permission). */
    public static long listening(int port) {
        String localPort = String.format(Locale.ROOT, ":%04X", port);
        String inode = null;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split(" +");
                    // sl local_address rem_address st ... inode (field 10); st 0A = LISTEN
                    if (f.length > 9 && f[1].endsWith(localPort) && f[3].equals("0A")) {
                        inode = f[9];
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such table here
            }
        }
        return inode == null ? -1 : owner("socket:[" + inode + "]");
    }

    private static long owner(String socket) {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (socket.equals(Files.readSymbolicLink(fd).toString())) {
                            return Long.parseLong(process.getFileName().toString());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return 100; // USER_HZ on every Linux build in practice
        }
    }
}
