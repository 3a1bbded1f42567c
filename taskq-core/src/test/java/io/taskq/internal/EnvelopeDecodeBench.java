package io.taskq.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A microbenchmark of {@link Envelope#decode} on the message a worker meets most: a probe task with one long argument,
 * as {@link Envelope#encode} writes it; and the same with a 10-step chain. Not a test (surefire runs *Test classes);
 * run it by hand in a fresh JVM:
 *
 * <pre>java -cp taskq-core/target/classes:taskq-core/target/test-classes:$(deps) \
 *     io.taskq.internal.EnvelopeDecodeBench cold|warm probe|chain</pre>
 *
 * {@code cold} times the first 2,000 decodes of the JVM (a freshly deployed worker meeting a backlog); {@code warm}
 * reports ns and bytes allocated per decode after a warm-up, the median of 5 rounds.
 */
public final class EnvelopeDecodeBench {
    private static final int COLD = 2_000;
    private static final int ROUND = 200_000;

    private EnvelopeDecodeBench() {
    }

    /** Runs the benchmark; arguments {@code cold|warm probe|chain}. */
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "warm";
        String kind = args.length > 1 ? args[1] : "probe";
        String text = message(kind.equals("chain") ? 10 : 0);
        if (mode.equals("cold")) {
            long t0 = System.nanoTime();
            long sink = 0;
            for (int i = 0; i < COLD; i++) {
                sink += Envelope.decode(text).retries();
            }
            long ns = System.nanoTime() - t0;
            System.out.printf("cold %s: first %d decodes %.1f ms (%d ns/op) [%d]%n", kind, COLD, ns / 1e6,
                    ns / COLD, sink);
            return;
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long sink = 0;
        for (int i = 0; i < 5 * ROUND; i++) {
            sink += Envelope.decode(text).retries();
        }
        double[] nsPerOp = new double[5];
        double[] bytesPerOp = new double[5];
        for (int r = 0; r < 5; r++) {
            long b0 = mx.getThreadAllocatedBytes(tid);
            long t0 = System.nanoTime();
            for (int i = 0; i < ROUND; i++) {
                sink += Envelope.decode(text).retries();
            }
            nsPerOp[r] = (System.nanoTime() - t0) / (double) ROUND;
            bytesPerOp[r] = (mx.getThreadAllocatedBytes(tid) - b0) / (double) ROUND;
        }
        Arrays.sort(nsPerOp);
        Arrays.sort(bytesPerOp);
        System.out.printf("warm %s (%d chars): %.0f ns/op, %.0f B/op (rounds %s) [%d]%n", kind, text.length(),
                nsPerOp[2], bytesPerOp[2], Arrays.toString(Arrays.stream(nsPerOp).mapToLong(Math::round).toArray()),
                sink);
    }

    /** A probe task's message as a producer sends it, with a chain of {@code chainSteps} steps after it. */
    static String message(int chainSteps) {
        List<Embed.Step> chain = new ArrayList<>();
        for (int i = 0; i < chainSteps; i++) {
            chain.add(new Embed.Step("bench.step", Json.mapper().createArrayNode(), i > 0,
                    "5f0b7c44-61d8-3b1e-9a53-0c1f2a3b4c" + (10 + i), "default", 4, null, null, null, List.of(),
                    List.of()));
        }
        return new Envelope("0636dca0-ee9a-4a16-9f21-47e59b090c49", "bench.probe", "default", 4,
                Json.mapper().createArrayNode().add(1234567890123L), null, null, 0, null, null, null, false,
                "4242@worker-host-1", Map.of(), Instant.parse("2026-11-21T17:43:04.576Z"), (Duration) null,
                new Embed(List.of(), List.of(), chain)).encode();
    }
}
