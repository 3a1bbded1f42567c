package io.taskq.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.fault.FaultTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS: a CA and a server certificate (SAN IP 127.0.0.1) are made with openssl at test time, the CA goes into a
 * PKCS12 trust store with keytool, and redis-server listens with TLS only. A worker runs through
 * {@code rediss://} with that trust store; without it the handshake is refused (the JDK does not trust the CA).
 */
class TlsTest {
    private static Path dir;
    private static LocalRedis redis;

    private static void run(String... cmd) {
        String out = LocalRedis.run(List.of(cmd));
        if (out.contains("rror") && !out.contains("Certificate was added")) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        String openssl = LocalRedis.binary("openssl");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        assertTrue(LocalRedis.run(List.of(LocalRedis.binary("redis-server"), "--help")).contains("Usage"));
        dir = Files.createTempDirectory("taskq-tls-certs");
        Path ca = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path crt = dir.resolve("server.crt");
        Path ext = dir.resolve("ext.cnf");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out",
                ca.toString(), "-days", "2", "-subj", "/CN=taskq-test-ca");
        run(openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", "/CN=127.0.0.1");
        run(openssl, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", crt.toString(), "-days", "2", "-extfile", ext.toString());
        run(keytool, "-importcert", "-noprompt", "-alias", "taskq-ca", "-file", ca.toString(), "-keystore",
                dir.resolve("trust.p12").toString(), "-storetype", "PKCS12", "-storepass", "trustpass");
        redis = LocalRedis.tlsServer(crt, key, ca);
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aWorkerRunsThroughTlsWithACustomTrustStore() {
        try (RedisBroker broker = RedisBroker.builder().uri("rediss://127.0.0.1:" + redis.port() + "/0")
                .trustStore(dir.resolve("trust.p12"), "trustpass").keyPrefix("tls").build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            taskq.startWorker(WorkerOptions.builder().queues("default").concurrency(2).build());
            assertEquals("secret", taskq.submit(TaskRequest.of(FaultTasks::echo, "secret").queue("default"))
                    .get(Duration.ofSeconds(10)));
            assertEquals("later", taskq.submit(TaskRequest.of(FaultTasks::echo, "later").queue("default")
                    .countdown(Duration.ofMillis(200))).get(Duration.ofSeconds(10)));
        }
    }

    @Test
    void withoutTheTrustStoreTheServerIsNotTrusted() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> RedisBroker.builder()
                .uri("rediss://127.0.0.1:" + redis.port() + "/0").keyPrefix("tls").build().close());
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t).append(" <- ");
        }
        assertTrue(chain.toString().matches("(?s).*(SSL|PKIX|certificat).*"), chain.toString());
    }
}
