package io.taskq.redis.internal;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The codec of script and blocking-wait keys: a queue's thirteen key names go with every script call, and the String
 * codec writes each one through a temporary buffer, character by character (its UTF-8 size is not known up front).
 * Key names are few and fixed per queue, so their bytes are kept and copied as they are, with their exact length.
 * Values are the String codec's; only keys are used through this codec.
 */
public final class KeyCodec implements RedisCodec<String, String>, ToByteBufEncoder<String, String> {
    /** The one instance. */
    public static final KeyCodec INSTANCE = new KeyCodec();

    /** Beyond this many distinct names (queues × 13, lease and schedule keys) a name is encoded each time instead. */
    private static final int MAX_CACHED = 10_000;

    private final ConcurrentHashMap<String, byte[]> bytes = new ConcurrentHashMap<>();

    private KeyCodec() {
    }

    private byte[] bytes(String key) {
        byte[] b = bytes.get(key);
        if (b == null) {
            b = key.getBytes(StandardCharsets.UTF_8);
            if (bytes.size() < MAX_CACHED) {
                bytes.put(key, b);
            }
        }
        return b;
    }

    @Override
    public void encodeKey(String key, ByteBuf target) {
        target.writeBytes(bytes(key));
    }

    @Override
    public void encodeValue(String value, ByteBuf target) {
        StringCodec.UTF8.encodeValue(value, target);
    }

    @Override
    public int estimateSize(Object keyOrValue) {
        // Exact for any String (its UTF-8 length), though only keys are meant to come through here.
        return keyOrValue instanceof String s ? bytes(s).length : 0;
    }

    @Override
    public boolean isEstimateExact() {
        return true;
    }

    @Override
    public String decodeKey(ByteBuffer bytes) {
        return StringCodec.UTF8.decodeKey(bytes);
    }

    @Override
    public String decodeValue(ByteBuffer bytes) {
        return StringCodec.UTF8.decodeValue(bytes);
    }

    @Override
    public ByteBuffer encodeKey(String key) {
        // A Cluster connection reads the first key to route the call: a fresh view each time, the array shared.
        return ByteBuffer.wrap(bytes(key));
    }

    @Override
    public ByteBuffer encodeValue(String value) {
        return StringCodec.UTF8.encodeValue(value);
    }
}
