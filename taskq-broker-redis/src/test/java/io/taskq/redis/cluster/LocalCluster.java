package io.taskq.redis.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of local redis-server processes: {@code masters} masters with {@code replicasPerMaster}
 * replicas each, created with {@code redis-cli --cluster create}. cluster-node-timeout is 1 s so that a killed
 * master's replica takes over within a few seconds.
 */
public final class LocalCluster implements AutoCloseable {
    private final List<LocalRedis> nodes = new ArrayList<>();

    private LocalCluster() {
    }

    /** Starts and forms the cluster; waits until every node reports cluster_state:ok. */
    public static LocalCluster start(int masters, int replicasPerMaster) {
        return start(masters, replicasPerMaster, new String[0]);
    }

    /** Starts and forms the cluster, with extra redis-server arguments for every node. */
    public static LocalCluster start(int masters, int replicasPerMaster, String... extra) {
        LocalCluster c = new LocalCluster();
        int n = masters * (1 + replicasPerMaster);
        try {
            for (int i = 0; i < n; i++) {
                List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
                        "--cluster-port", Integer.toString(LocalRedis.freePort()),
                        // Replicas take over even if they lost contact for a while (tests kill masters quickly).
                        "--cluster-replica-validity-factor", "0",
                        // Replicas start syncing at once (the default waits 5 s for more replicas).
                        "--repl-diskless-sync-delay", "0"));
                args.addAll(List.of(extra));
                c.nodes.add(LocalRedis.server("cluster-node", args.toArray(new String[0])));
            }
            List<String> cmd = new ArrayList<>(List.of(LocalRedis.binary("redis-cli"), "--cluster", "create"));
            for (LocalRedis r : c.nodes) {
                cmd.add("127.0.0.1:" + r.port());
            }
            cmd.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
            String out = LocalRedis.run(cmd);
            if (!out.contains("All 16384 slots covered")) {
                throw new IllegalStateException("cluster create failed:\n" + out);
            }
            c.awaitOk(30);
            c.awaitReplicasInSync(30);
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    /** Waits until every live node says cluster_state:ok and knows the same number of masters with slots. */
    public void awaitOk(int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (LocalRedis r : nodes) {
                if (r.alive() && !r.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return;
            }
            LocalRedis.sleep(100);
        }
        throw new IllegalStateException("cluster not ok after " + seconds + " s");
    }

    /** Waits until every live replica has its link to the master up and no sync in progress. */
    public void awaitReplicasInSync(int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (LocalRedis r : nodes) {
                if (!r.alive()) {
                    continue;
                }
                String info = r.cli("INFO", "replication");
                if (info.contains("role:slave")
                        && (!info.contains("master_link_status:up") || info.contains("master_sync_in_progress:1"))) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return;
            }
            LocalRedis.sleep(100);
        }
        throw new IllegalStateException("replicas not in sync after " + seconds + " s");
    }

    /** The live replica of {@code master}, or an exception. */
    public LocalRedis replicaOf(LocalRedis master) {
        for (LocalRedis r : nodes) {
            if (r != master && r.alive()) {
                String info = r.cli("INFO", "replication");
                if (info.contains("role:slave") && (info.contains("master_port:" + master.port() + "\r")
                        || info.contains("master_port:" + master.port() + "\n"))) {
                    return r;
                }
            }
        }
        throw new IllegalStateException("no replica of " + master.port());
    }

    /** Waits until {@code node} reports the master role. */
    public void awaitMaster(LocalRedis node, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (node.cli("ROLE").startsWith("master")) {
                return;
            }
            LocalRedis.sleep(50);
        }
        throw new IllegalStateException("node " + node.port() + " did not become master in " + seconds + " s");
    }

    /** The nodes. */
    public List<LocalRedis> nodes() {
        return nodes;
    }

    /** Seed URIs of every node. */
    public String[] seeds() {
        return nodes.stream().map(r -> "redis://127.0.0.1:" + r.port()).toArray(String[]::new);
    }

    /** The live node that is master for the slot of {@code key}. */
    public LocalRedis masterOf(String key) {
        String slot = nodes.get(0).cli("CLUSTER", "KEYSLOT", key).trim();
        for (LocalRedis r : nodes) {
            if (!r.alive()) {
                continue;
            }
            String role = r.cli("ROLE");
            if (!role.startsWith("master")) {
                continue;
            }
            for (String line : r.cli("CLUSTER", "NODES").split("\n")) {
                if (!line.contains("myself")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                for (int i = 8; i < f.length; i++) {
                    String[] range = f[i].split("-");
                    if (range[0].startsWith("[")) {
                        continue;
                    }
                    int lo = Integer.parseInt(range[0]);
                    int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                    int s = Integer.parseInt(slot);
                    if (s >= lo && s <= hi) {
                        return r;
                    }
                }
            }
        }
        throw new IllegalStateException("no live master for " + key);
    }

    /** Sum of a numeric field of INFO over the live masters. */
    public long sumInfo(String section, String field) {
        long sum = 0;
        for (LocalRedis r : nodes) {
            if (r.alive() && r.cli("ROLE").startsWith("master")) {
                for (String line : r.cli("INFO", section).split("\r?\n")) {
                    if (line.startsWith(field + ":")) {
                        sum += Long.parseLong(line.substring(field.length() + 1).trim());
                    }
                }
            }
        }
        return sum;
    }

    @Override
    public void close() {
        nodes.forEach(LocalRedis::close);
    }
}
